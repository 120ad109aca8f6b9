from typing import Literal, cast

MannWhitneyMethod = Literal['asymptotic', 'auto', 'exact']

MANN_WHITNEY_METHOD_VALUES: set[MannWhitneyMethod] = { 'asymptotic', 'auto', 'exact',  }

def check_mann_whitney_method(value: str) -> MannWhitneyMethod:
    if value in MANN_WHITNEY_METHOD_VALUES:
        return cast(MannWhitneyMethod, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MANN_WHITNEY_METHOD_VALUES!r}")
