from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="KruskalWallis")



@_attrs_define
class KruskalWallis:
    """ The result of [`kruskal_wallis`].

        Attributes:
            df (int): Degrees of freedom `k − 1` of the χ² approximation.
            h (float): The tie-corrected statistic `H`.
            n (int): Total number of values `N`.
            p_value (float): `P(χ²_{k−1} ≥ H)`.
            tie_correction (float): The tie correction `C = 1 − Σ(t³ − t)/(N³ − N)` that `H` was divided by (1 without
                ties).
     """

    df: int
    h: float
    n: int
    p_value: float
    tie_correction: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        df = self.df

        h = self.h

        n = self.n

        p_value = self.p_value

        tie_correction = self.tie_correction


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "df": df,
            "h": h,
            "n": n,
            "p_value": p_value,
            "tie_correction": tie_correction,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        df = d.pop("df")

        h = d.pop("h")

        n = d.pop("n")

        p_value = d.pop("p_value")

        tie_correction = d.pop("tie_correction")

        kruskal_wallis = cls(
            df=df,
            h=h,
            n=n,
            p_value=p_value,
            tie_correction=tie_correction,
        )


        kruskal_wallis.additional_properties = d
        return kruskal_wallis

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
