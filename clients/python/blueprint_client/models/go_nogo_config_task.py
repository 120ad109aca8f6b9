from typing import Literal, cast

GoNogoConfigTask = Literal['go-nogo']

GO_NOGO_CONFIG_TASK_VALUES: set[GoNogoConfigTask] = { 'go-nogo',  }

def check_go_nogo_config_task(value: str) -> GoNogoConfigTask:
    if value in GO_NOGO_CONFIG_TASK_VALUES:
        return cast(GoNogoConfigTask, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GO_NOGO_CONFIG_TASK_VALUES!r}")
