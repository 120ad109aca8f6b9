from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.condition_type_2_task import check_condition_type_2_task
from ..models.condition_type_2_task import ConditionType2Task
from typing import cast






T = TypeVar("T", bound="ConditionType2")



@_attrs_define
class ConditionType2:
    """ One random-dot motion trial.

        Attributes:
            coherence (float): Motion coherence in percent (0–100).
            direction (int): Class index of the true direction: 0 for θ = 0, 1 for θ = π.
            task (ConditionType2Task):
     """

    coherence: float
    direction: int
    task: ConditionType2Task
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        coherence = self.coherence

        direction = self.direction

        task: str = self.task


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "coherence": coherence,
            "direction": direction,
            "task": task,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        coherence = d.pop("coherence")

        direction = d.pop("direction")

        task = check_condition_type_2_task(d.pop("task"))




        condition_type_2 = cls(
            coherence=coherence,
            direction=direction,
            task=task,
        )


        condition_type_2.additional_properties = d
        return condition_type_2

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
