from typing import Literal, cast

TaskKind = Literal['go-nogo', 'one-choice-inference', 'perceptual-dm']

TASK_KIND_VALUES: set[TaskKind] = { 'go-nogo', 'one-choice-inference', 'perceptual-dm',  }

def check_task_kind(value: str) -> TaskKind:
    if value in TASK_KIND_VALUES:
        return cast(TaskKind, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TASK_KIND_VALUES!r}")
