from typing import Literal, cast

MetricKind = Literal['assortativity', 'communicability', 'entropy', 'fraction-positive', 'modularity', 'modularity-leiden', 'modularity-louvain', 'omega', 'path-length', 'small-world', 'small-world-degree', 'small-world-density', 'sparsity', 'spectral-radius', 'weighted-clustering', 'weighted-path-length', 'wiring-cost']

METRIC_KIND_VALUES: set[MetricKind] = { 'assortativity', 'communicability', 'entropy', 'fraction-positive', 'modularity', 'modularity-leiden', 'modularity-louvain', 'omega', 'path-length', 'small-world', 'small-world-degree', 'small-world-density', 'sparsity', 'spectral-radius', 'weighted-clustering', 'weighted-path-length', 'wiring-cost',  }

def check_metric_kind(value: str) -> MetricKind:
    if value in METRIC_KIND_VALUES:
        return cast(MetricKind, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRIC_KIND_VALUES!r}")
