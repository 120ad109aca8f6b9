from typing import Literal, cast

InitControl = Literal['none', 'resample', 'shuffle']

INIT_CONTROL_VALUES: set[InitControl] = { 'none', 'resample', 'shuffle',  }

def check_init_control(value: str) -> InitControl:
    if value in INIT_CONTROL_VALUES:
        return cast(InitControl, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INIT_CONTROL_VALUES!r}")
