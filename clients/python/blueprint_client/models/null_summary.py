from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.null_model import check_null_model
from ..models.null_model import NullModel
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NullSummary")



@_attrs_define
class NullSummary:
    """ Summary of the nulls of one model: means and sample standard deviations (`ddof = 1`;
    0 for a single null).

        Attributes:
            clustering_efficiency_cov (float): Sample covariance of the nulls' clustering and efficiency (for
                [`SmallWorld::sigma_se`]).
            clustering_mean (float):
            clustering_sd (float):
            efficiency_mean (float):
            efficiency_sd (float):
            model (NullModel): Which null graphs a small-world comparison draws.
            n_nulls (int):
            path_length_mean (float | None | Unset): Mean path length over the nulls that have a connected pair (`None` if
                none has).
            path_length_sd (float | None | Unset): Their sample standard deviation (`None` likewise; 0 for one such null).
     """

    clustering_efficiency_cov: float
    clustering_mean: float
    clustering_sd: float
    efficiency_mean: float
    efficiency_sd: float
    model: NullModel
    n_nulls: int
    path_length_mean: float | None | Unset = UNSET
    path_length_sd: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        clustering_efficiency_cov = self.clustering_efficiency_cov

        clustering_mean = self.clustering_mean

        clustering_sd = self.clustering_sd

        efficiency_mean = self.efficiency_mean

        efficiency_sd = self.efficiency_sd

        model: str = self.model

        n_nulls = self.n_nulls

        path_length_mean: float | None | Unset
        if isinstance(self.path_length_mean, Unset):
            path_length_mean = UNSET
        else:
            path_length_mean = self.path_length_mean

        path_length_sd: float | None | Unset
        if isinstance(self.path_length_sd, Unset):
            path_length_sd = UNSET
        else:
            path_length_sd = self.path_length_sd


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clustering_efficiency_cov": clustering_efficiency_cov,
            "clustering_mean": clustering_mean,
            "clustering_sd": clustering_sd,
            "efficiency_mean": efficiency_mean,
            "efficiency_sd": efficiency_sd,
            "model": model,
            "n_nulls": n_nulls,
        })
        if path_length_mean is not UNSET:
            field_dict["path_length_mean"] = path_length_mean
        if path_length_sd is not UNSET:
            field_dict["path_length_sd"] = path_length_sd

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clustering_efficiency_cov = d.pop("clustering_efficiency_cov")

        clustering_mean = d.pop("clustering_mean")

        clustering_sd = d.pop("clustering_sd")

        efficiency_mean = d.pop("efficiency_mean")

        efficiency_sd = d.pop("efficiency_sd")

        model = check_null_model(d.pop("model"))




        n_nulls = d.pop("n_nulls")

        def _parse_path_length_mean(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        path_length_mean = _parse_path_length_mean(d.pop("path_length_mean", UNSET))


        def _parse_path_length_sd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        path_length_sd = _parse_path_length_sd(d.pop("path_length_sd", UNSET))


        null_summary = cls(
            clustering_efficiency_cov=clustering_efficiency_cov,
            clustering_mean=clustering_mean,
            clustering_sd=clustering_sd,
            efficiency_mean=efficiency_mean,
            efficiency_sd=efficiency_sd,
            model=model,
            n_nulls=n_nulls,
            path_length_mean=path_length_mean,
            path_length_sd=path_length_sd,
        )


        null_summary.additional_properties = d
        return null_summary

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
