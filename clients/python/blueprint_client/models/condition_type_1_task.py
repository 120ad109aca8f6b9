from typing import Literal, cast

ConditionType1Task = Literal['go-nogo']

CONDITION_TYPE_1_TASK_VALUES: set[ConditionType1Task] = { 'go-nogo',  }

def check_condition_type_1_task(value: str) -> ConditionType1Task:
    if value in CONDITION_TYPE_1_TASK_VALUES:
        return cast(ConditionType1Task, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONDITION_TYPE_1_TASK_VALUES!r}")
