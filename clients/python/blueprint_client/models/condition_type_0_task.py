from typing import Literal, cast

ConditionType0Task = Literal['one-choice-inference']

CONDITION_TYPE_0_TASK_VALUES: set[ConditionType0Task] = { 'one-choice-inference',  }

def check_condition_type_0_task(value: str) -> ConditionType0Task:
    if value in CONDITION_TYPE_0_TASK_VALUES:
        return cast(ConditionType0Task, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONDITION_TYPE_0_TASK_VALUES!r}")
