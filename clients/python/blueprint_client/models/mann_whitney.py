from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mann_whitney_method import check_mann_whitney_method
from ..models.mann_whitney_method import MannWhitneyMethod
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MannWhitney")



@_attrs_define
class MannWhitney:
    """ The result of [`mann_whitney_u`].

        Attributes:
            method (MannWhitneyMethod): How [`mann_whitney_u`] computes its p-value.
            p_value (float): Two-sided p-value.
            rank_biserial (float): Rank-biserial correlation `r = 1 − 2U₂/(n₁n₂)`, positive when `x` tends to be larger
                (see [`super::effect::rank_biserial`]).
            u1 (float): `U₁ = R₁ − n₁(n₁ + 1)/2` of the first sample `x` (`R₁` its rank sum): the number of
                pairs with `xᵢ > yⱼ` plus half the tied pairs. scipy's `statistic`.
            u2 (float): `U₂ = n₁n₂ − U₁` of the second sample `y`.
            z (float | None | Unset): The standardised statistic `z` of the asymptotic method; `None` for exact.
     """

    method: MannWhitneyMethod
    p_value: float
    rank_biserial: float
    u1: float
    u2: float
    z: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        method: str = self.method

        p_value = self.p_value

        rank_biserial = self.rank_biserial

        u1 = self.u1

        u2 = self.u2

        z: float | None | Unset
        if isinstance(self.z, Unset):
            z = UNSET
        else:
            z = self.z


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "method": method,
            "p_value": p_value,
            "rank_biserial": rank_biserial,
            "u1": u1,
            "u2": u2,
        })
        if z is not UNSET:
            field_dict["z"] = z

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        method = check_mann_whitney_method(d.pop("method"))




        p_value = d.pop("p_value")

        rank_biserial = d.pop("rank_biserial")

        u1 = d.pop("u1")

        u2 = d.pop("u2")

        def _parse_z(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        z = _parse_z(d.pop("z", UNSET))


        mann_whitney = cls(
            method=method,
            p_value=p_value,
            rank_biserial=rank_biserial,
            u1=u1,
            u2=u2,
            z=z,
        )


        mann_whitney.additional_properties = d
        return mann_whitney

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
