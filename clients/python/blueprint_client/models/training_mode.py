from typing import Literal, cast

TrainingMode = Literal['compat', 'corrected']

TRAINING_MODE_VALUES: set[TrainingMode] = { 'compat', 'corrected',  }

def check_training_mode(value: str) -> TrainingMode:
    if value in TRAINING_MODE_VALUES:
        return cast(TrainingMode, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRAINING_MODE_VALUES!r}")
