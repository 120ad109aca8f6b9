from typing import Literal, cast

ConditionType2Task = Literal['perceptual-dm']

CONDITION_TYPE_2_TASK_VALUES: set[ConditionType2Task] = { 'perceptual-dm',  }

def check_condition_type_2_task(value: str) -> ConditionType2Task:
    if value in CONDITION_TYPE_2_TASK_VALUES:
        return cast(ConditionType2Task, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONDITION_TYPE_2_TASK_VALUES!r}")
