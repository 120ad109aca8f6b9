from typing import Literal, cast

RealDistanceMode = Literal['compat', 'isotropic', 'minmax']

REAL_DISTANCE_MODE_VALUES: set[RealDistanceMode] = { 'compat', 'isotropic', 'minmax',  }

def check_real_distance_mode(value: str) -> RealDistanceMode:
    if value in REAL_DISTANCE_MODE_VALUES:
        return cast(RealDistanceMode, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REAL_DISTANCE_MODE_VALUES!r}")
