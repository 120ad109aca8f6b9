from typing import Literal, cast

OneChoiceInferenceConfigTask = Literal['one-choice-inference']

ONE_CHOICE_INFERENCE_CONFIG_TASK_VALUES: set[OneChoiceInferenceConfigTask] = { 'one-choice-inference',  }

def check_one_choice_inference_config_task(value: str) -> OneChoiceInferenceConfigTask:
    if value in ONE_CHOICE_INFERENCE_CONFIG_TASK_VALUES:
        return cast(OneChoiceInferenceConfigTask, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ONE_CHOICE_INFERENCE_CONFIG_TASK_VALUES!r}")
