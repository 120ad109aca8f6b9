from typing import Literal, cast

GridLattice = Literal['cube-like', 'study']

GRID_LATTICE_VALUES: set[GridLattice] = { 'cube-like', 'study',  }

def check_grid_lattice(value: str) -> GridLattice:
    if value in GRID_LATTICE_VALUES:
        return cast(GridLattice, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GRID_LATTICE_VALUES!r}")
