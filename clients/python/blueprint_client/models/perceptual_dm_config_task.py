from typing import Literal, cast

PerceptualDmConfigTask = Literal['perceptual-dm']

PERCEPTUAL_DM_CONFIG_TASK_VALUES: set[PerceptualDmConfigTask] = { 'perceptual-dm',  }

def check_perceptual_dm_config_task(value: str) -> PerceptualDmConfigTask:
    if value in PERCEPTUAL_DM_CONFIG_TASK_VALUES:
        return cast(PerceptualDmConfigTask, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PERCEPTUAL_DM_CONFIG_TASK_VALUES!r}")
