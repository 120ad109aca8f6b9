from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ConditionDecisionTime")



@_attrs_define
class ConditionDecisionTime:
    """ The mean decision step of one condition's trials.

        Attributes:
            condition (str):
            n_trials (int):
            mean_step (float | None | Unset):
     """

    condition: str
    n_trials: int
    mean_step: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        condition = self.condition

        n_trials = self.n_trials

        mean_step: float | None | Unset
        if isinstance(self.mean_step, Unset):
            mean_step = UNSET
        else:
            mean_step = self.mean_step


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "condition": condition,
            "n_trials": n_trials,
        })
        if mean_step is not UNSET:
            field_dict["mean_step"] = mean_step

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        condition = d.pop("condition")

        n_trials = d.pop("n_trials")

        def _parse_mean_step(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mean_step = _parse_mean_step(d.pop("mean_step", UNSET))


        condition_decision_time = cls(
            condition=condition,
            n_trials=n_trials,
            mean_step=mean_step,
        )


        condition_decision_time.additional_properties = d
        return condition_decision_time

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
