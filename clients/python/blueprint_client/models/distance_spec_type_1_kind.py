from typing import Literal, cast

DistanceSpecType1Kind = Literal['grid']

DISTANCE_SPEC_TYPE_1_KIND_VALUES: set[DistanceSpecType1Kind] = { 'grid',  }

def check_distance_spec_type_1_kind(value: str) -> DistanceSpecType1Kind:
    if value in DISTANCE_SPEC_TYPE_1_KIND_VALUES:
        return cast(DistanceSpecType1Kind, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DISTANCE_SPEC_TYPE_1_KIND_VALUES!r}")
