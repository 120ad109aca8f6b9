from typing import Literal, cast

DistanceControl = Literal['none', 'rank-matched', 'scale-matched', 'shuffled']

DISTANCE_CONTROL_VALUES: set[DistanceControl] = { 'none', 'rank-matched', 'scale-matched', 'shuffled',  }

def check_distance_control(value: str) -> DistanceControl:
    if value in DISTANCE_CONTROL_VALUES:
        return cast(DistanceControl, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DISTANCE_CONTROL_VALUES!r}")
