from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.null_summary import NullSummary





T = TypeVar("T", bound="SmallWorld")



@_attrs_define
class SmallWorld:
    """ Small-worldness `σ = (C/C̄_null)/(Ē_null/E)` against one null model.

        Attributes:
            clustering (float): Observed `C`.
            efficiency (float): Observed `E`.
            null (NullSummary): Summary of the nulls of one model: means and sample standard deviations (`ddof = 1`;
                0 for a single null).
            sigma (float):
            sigma_se (float): Standard error of `σ` from the nulls' sampling error (delta method on
                `log σ = log C + log E − log C̄ − log Ē`, covariance of `C̄` and `Ē` included).
     """

    clustering: float
    efficiency: float
    null: NullSummary
    sigma: float
    sigma_se: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.null_summary import NullSummary
        clustering = self.clustering

        efficiency = self.efficiency

        null = self.null.to_dict()

        sigma = self.sigma

        sigma_se = self.sigma_se


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clustering": clustering,
            "efficiency": efficiency,
            "null": null,
            "sigma": sigma,
            "sigma_se": sigma_se,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.null_summary import NullSummary
        d = dict(src_dict)
        clustering = d.pop("clustering")

        efficiency = d.pop("efficiency")

        null = NullSummary.from_dict(d.pop("null"))




        sigma = d.pop("sigma")

        sigma_se = d.pop("sigma_se")

        small_world = cls(
            clustering=clustering,
            efficiency=efficiency,
            null=null,
            sigma=sigma,
            sigma_se=sigma_se,
        )


        small_world.additional_properties = d
        return small_world

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
