from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PsychometricPoint")



@_attrs_define
class PsychometricPoint:
    """ One signed coherence of a [`Psychometric`] curve.

        Attributes:
            high (float):
            low (float): The Wilson 95% score interval of `p_theta_0`.
            n_chose_theta_0 (int): Trials answered θ = 0.
            n_trials (int):
            p_theta_0 (float): `n_chose_theta_0 / n_trials`.
            signed_coherence (float): Percent; positive toward θ = 0.
     """

    high: float
    low: float
    n_chose_theta_0: int
    n_trials: int
    p_theta_0: float
    signed_coherence: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        high = self.high

        low = self.low

        n_chose_theta_0 = self.n_chose_theta_0

        n_trials = self.n_trials

        p_theta_0 = self.p_theta_0

        signed_coherence = self.signed_coherence


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "high": high,
            "low": low,
            "n_chose_theta_0": n_chose_theta_0,
            "n_trials": n_trials,
            "p_theta_0": p_theta_0,
            "signed_coherence": signed_coherence,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        high = d.pop("high")

        low = d.pop("low")

        n_chose_theta_0 = d.pop("n_chose_theta_0")

        n_trials = d.pop("n_trials")

        p_theta_0 = d.pop("p_theta_0")

        signed_coherence = d.pop("signed_coherence")

        psychometric_point = cls(
            high=high,
            low=low,
            n_chose_theta_0=n_chose_theta_0,
            n_trials=n_trials,
            p_theta_0=p_theta_0,
            signed_coherence=signed_coherence,
        )


        psychometric_point.additional_properties = d
        return psychometric_point

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
