from typing import Literal, cast

DistanceSpecType0Kind = Literal['none']

DISTANCE_SPEC_TYPE_0_KIND_VALUES: set[DistanceSpecType0Kind] = { 'none',  }

def check_distance_spec_type_0_kind(value: str) -> DistanceSpecType0Kind:
    if value in DISTANCE_SPEC_TYPE_0_KIND_VALUES:
        return cast(DistanceSpecType0Kind, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DISTANCE_SPEC_TYPE_0_KIND_VALUES!r}")
