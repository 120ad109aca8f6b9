from typing import Literal, cast

GetTrialsFormat = Literal['json', 'npy']

GET_TRIALS_FORMAT_VALUES: set[GetTrialsFormat] = { 'json', 'npy',  }

def check_get_trials_format(value: str) -> GetTrialsFormat:
    if value in GET_TRIALS_FORMAT_VALUES:
        return cast(GetTrialsFormat, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_TRIALS_FORMAT_VALUES!r}")
