from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CompatFlags")



@_attrs_define
class CompatFlags:
    """ Switches that restore a defect of the study's reference code, to reproduce its numbers and
    measure the correction. All off by default. (The distance defect is
    `DistanceSpec::Real { mode: Compat }`.)

        Attributes:
            empirical_epsilon (bool | Unset): Empirical communicability with ε = 1e-10 on zero strengths instead of
                isolating them. Default: False.
            unscaled_positive_baseline (bool | Unset): Positive-only random baselines start from the clipped orthogonal
                matrix (spectral radius
                ≈ 0.4·√N) instead of being rescaled to 0.95. Default: False.
            w_ignores_lambda (bool | Unset): The `W` baseline ignores λ (effective λ = 1). Default: False.
     """

    empirical_epsilon: bool | Unset = False
    unscaled_positive_baseline: bool | Unset = False
    w_ignores_lambda: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        empirical_epsilon = self.empirical_epsilon

        unscaled_positive_baseline = self.unscaled_positive_baseline

        w_ignores_lambda = self.w_ignores_lambda


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if empirical_epsilon is not UNSET:
            field_dict["empirical_epsilon"] = empirical_epsilon
        if unscaled_positive_baseline is not UNSET:
            field_dict["unscaled_positive_baseline"] = unscaled_positive_baseline
        if w_ignores_lambda is not UNSET:
            field_dict["w_ignores_lambda"] = w_ignores_lambda

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        empirical_epsilon = d.pop("empirical_epsilon", UNSET)

        unscaled_positive_baseline = d.pop("unscaled_positive_baseline", UNSET)

        w_ignores_lambda = d.pop("w_ignores_lambda", UNSET)

        compat_flags = cls(
            empirical_epsilon=empirical_epsilon,
            unscaled_positive_baseline=unscaled_positive_baseline,
            w_ignores_lambda=w_ignores_lambda,
        )


        compat_flags.additional_properties = d
        return compat_flags

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
