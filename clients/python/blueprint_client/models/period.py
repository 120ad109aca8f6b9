from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Period")



@_attrs_define
class Period:
    """ One period of a trial's timeline, in steps.

        Attributes:
            description (str): What the inputs carry during the period.
            name (str): Short name, e.g. `"fixation"`, `"stimulus"`, `"delay"`, `"decision"`.
            start (int): Index of the first step of the period.
            steps (int): Number of steps; may be zero for optional periods.
     """

    description: str
    name: str
    start: int
    steps: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        name = self.name

        start = self.start

        steps = self.steps


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "name": name,
            "start": start,
            "steps": steps,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        name = d.pop("name")

        start = d.pop("start")

        steps = d.pop("steps")

        period = cls(
            description=description,
            name=name,
            start=start,
            steps=steps,
        )


        period.additional_properties = d
        return period

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
