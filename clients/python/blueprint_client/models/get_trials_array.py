from typing import Literal, cast

GetTrialsArray = Literal['inputs', 'labels']

GET_TRIALS_ARRAY_VALUES: set[GetTrialsArray] = { 'inputs', 'labels',  }

def check_get_trials_array(value: str) -> GetTrialsArray:
    if value in GET_TRIALS_ARRAY_VALUES:
        return cast(GetTrialsArray, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_TRIALS_ARRAY_VALUES!r}")
