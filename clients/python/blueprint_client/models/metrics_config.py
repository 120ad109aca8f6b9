from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.metric_kind import check_metric_kind
from ..models.metric_kind import MetricKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MetricsConfig")



@_attrs_define
class MetricsConfig:
    """ What [`compute_all`] computes and how. `Default` is the study's settings with every
    metric.

        Attributes:
            metrics (list[MetricKind] | Unset): Which metrics (default: all of [`MetricKind::ALL`]).
            n_matched_nulls (int | Unset): Nulls of each matched model (density, degree) for σ and ω. Default: 100.
            n_nulls (int | Unset): Nulls of the study's model for σ (the study: 1,000). Default: 1000.
            restarts (int | Unset): Louvain and Leiden restarts; the best `Q` is reported. Default: 10.
            rewiring_iterations (int | Unset): Maslov–Sneppen swaps attempted per edge (BCT `randmio_und`'s `ITER`).
                Default: 10.
            seed (int | Unset): Seed of every random draw (nulls, optimiser orders). Default: 0.
            threads (int | Unset): Threads for the null models (results do not depend on it). Default: 1.
            threshold_quantile (float | Unset): Binarisation quantile of `|W|`, in `(0, 1)` (the study: 0.9). Default: 0.9.
     """

    metrics: list[MetricKind] | Unset = UNSET
    n_matched_nulls: int | Unset = 100
    n_nulls: int | Unset = 1000
    restarts: int | Unset = 10
    rewiring_iterations: int | Unset = 10
    seed: int | Unset = 0
    threads: int | Unset = 1
    threshold_quantile: float | Unset = 0.9
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        metrics: list[str] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = []
            for metrics_item_data in self.metrics:
                metrics_item: str = metrics_item_data
                metrics.append(metrics_item)



        n_matched_nulls = self.n_matched_nulls

        n_nulls = self.n_nulls

        restarts = self.restarts

        rewiring_iterations = self.rewiring_iterations

        seed = self.seed

        threads = self.threads

        threshold_quantile = self.threshold_quantile


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if n_matched_nulls is not UNSET:
            field_dict["n_matched_nulls"] = n_matched_nulls
        if n_nulls is not UNSET:
            field_dict["n_nulls"] = n_nulls
        if restarts is not UNSET:
            field_dict["restarts"] = restarts
        if rewiring_iterations is not UNSET:
            field_dict["rewiring_iterations"] = rewiring_iterations
        if seed is not UNSET:
            field_dict["seed"] = seed
        if threads is not UNSET:
            field_dict["threads"] = threads
        if threshold_quantile is not UNSET:
            field_dict["threshold_quantile"] = threshold_quantile

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _metrics = d.pop("metrics", UNSET)
        metrics: list[MetricKind] | Unset = UNSET
        if _metrics is not UNSET:
            metrics = []
            for metrics_item_data in _metrics:
                metrics_item = check_metric_kind(metrics_item_data)



                metrics.append(metrics_item)


        n_matched_nulls = d.pop("n_matched_nulls", UNSET)

        n_nulls = d.pop("n_nulls", UNSET)

        restarts = d.pop("restarts", UNSET)

        rewiring_iterations = d.pop("rewiring_iterations", UNSET)

        seed = d.pop("seed", UNSET)

        threads = d.pop("threads", UNSET)

        threshold_quantile = d.pop("threshold_quantile", UNSET)

        metrics_config = cls(
            metrics=metrics,
            n_matched_nulls=n_matched_nulls,
            n_nulls=n_nulls,
            restarts=restarts,
            rewiring_iterations=rewiring_iterations,
            seed=seed,
            threads=threads,
            threshold_quantile=threshold_quantile,
        )


        metrics_config.additional_properties = d
        return metrics_config

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
