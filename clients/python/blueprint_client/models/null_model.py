from typing import Literal, cast

NullModel = Literal['degree-matched', 'density-matched', 'ring-lattice', 'study']

NULL_MODEL_VALUES: set[NullModel] = { 'degree-matched', 'density-matched', 'ring-lattice', 'study',  }

def check_null_model(value: str) -> NullModel:
    if value in NULL_MODEL_VALUES:
        return cast(NullModel, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {NULL_MODEL_VALUES!r}")
