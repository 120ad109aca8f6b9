from typing import Literal, cast

DistanceSpecType2Kind = Literal['real']

DISTANCE_SPEC_TYPE_2_KIND_VALUES: set[DistanceSpecType2Kind] = { 'real',  }

def check_distance_spec_type_2_kind(value: str) -> DistanceSpecType2Kind:
    if value in DISTANCE_SPEC_TYPE_2_KIND_VALUES:
        return cast(DistanceSpecType2Kind, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DISTANCE_SPEC_TYPE_2_KIND_VALUES!r}")
