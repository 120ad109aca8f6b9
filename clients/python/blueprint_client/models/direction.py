from typing import Literal, cast

Direction = Literal['d', 'l', 'r', 'u']

DIRECTION_VALUES: set[Direction] = { 'd', 'l', 'r', 'u',  }

def check_direction(value: str) -> Direction:
    if value in DIRECTION_VALUES:
        return cast(Direction, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DIRECTION_VALUES!r}")
