from typing import Literal, cast

PenaltyNormalisation = Literal['mean', 'sum']

PENALTY_NORMALISATION_VALUES: set[PenaltyNormalisation] = { 'mean', 'sum',  }

def check_penalty_normalisation(value: str) -> PenaltyNormalisation:
    if value in PENALTY_NORMALISATION_VALUES:
        return cast(PenaltyNormalisation, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PENALTY_NORMALISATION_VALUES!r}")
