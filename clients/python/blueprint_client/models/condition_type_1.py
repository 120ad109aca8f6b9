from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.condition_type_1_task import check_condition_type_1_task
from ..models.condition_type_1_task import ConditionType1Task
from typing import cast






T = TypeVar("T", bound="ConditionType1")



@_attrs_define
class ConditionType1:
    """ A go or a no-go trial.

        Attributes:
            go (bool): `true` for a go trial (label 1), `false` for a no-go trial (label 0).
            task (ConditionType1Task):
     """

    go: bool
    task: ConditionType1Task
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        go = self.go

        task: str = self.task


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "go": go,
            "task": task,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        go = d.pop("go")

        task = check_condition_type_1_task(d.pop("task"))




        condition_type_1 = cls(
            go=go,
            task=task,
        )


        condition_type_1.additional_properties = d
        return condition_type_1

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
