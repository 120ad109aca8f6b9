from typing import Literal, cast

Variant = Literal['W', 'W!D*C', 'W!D*C*', 'W*D*C', 'W*D*C*', 'W*DC*', 'WD', 'WD*', 'WD*C', 'WD*C*', 'WDC']

VARIANT_VALUES: set[Variant] = { 'W', 'W!D*C', 'W!D*C*', 'W*D*C', 'W*D*C*', 'W*DC*', 'WD', 'WD*', 'WD*C', 'WD*C*', 'WDC',  }

def check_variant(value: str) -> Variant:
    if value in VARIANT_VALUES:
        return cast(Variant, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {VARIANT_VALUES!r}")
