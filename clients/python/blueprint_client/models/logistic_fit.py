from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LogisticFit")



@_attrs_define
class LogisticFit:
    """ A fitted logistic psychometric function (see the module).

        Attributes:
            intercept (float): β₀.
            iterations (int): Newton iterations used.
            pse (float): Point of subjective equality, −β₀/β₁: the x where P = 0.5.
            slope (float): β₁, per unit of x.
            threshold (float): ln 3 / β₁: from the PSE to P = 0.75, in units of x.
     """

    intercept: float
    iterations: int
    pse: float
    slope: float
    threshold: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        intercept = self.intercept

        iterations = self.iterations

        pse = self.pse

        slope = self.slope

        threshold = self.threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "intercept": intercept,
            "iterations": iterations,
            "pse": pse,
            "slope": slope,
            "threshold": threshold,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        intercept = d.pop("intercept")

        iterations = d.pop("iterations")

        pse = d.pop("pse")

        slope = d.pop("slope")

        threshold = d.pop("threshold")

        logistic_fit = cls(
            intercept=intercept,
            iterations=iterations,
            pse=pse,
            slope=slope,
            threshold=threshold,
        )


        logistic_fit.additional_properties = d
        return logistic_fit

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
