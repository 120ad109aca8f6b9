from typing import Literal, cast

BioSource = Literal['connectome', 'corr-sttc', 'precision-sttc', 'sttc-only']

BIO_SOURCE_VALUES: set[BioSource] = { 'connectome', 'corr-sttc', 'precision-sttc', 'sttc-only',  }

def check_bio_source(value: str) -> BioSource:
    if value in BIO_SOURCE_VALUES:
        return cast(BioSource, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BIO_SOURCE_VALUES!r}")
