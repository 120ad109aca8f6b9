from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Exclusion")



@_attrs_define
class Exclusion:
    """ A model left out of one measure, and why (a metric undefined for its matrix, a model
    deleted while the comparison ran).

        Attributes:
            measure (str):
            model_id (int):
            reason (str):
     """

    measure: str
    model_id: int
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        measure = self.measure

        model_id = self.model_id

        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "measure": measure,
            "model_id": model_id,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        measure = d.pop("measure")

        model_id = d.pop("model_id")

        reason = d.pop("reason")

        exclusion = cls(
            measure=measure,
            model_id=model_id,
            reason=reason,
        )


        exclusion.additional_properties = d
        return exclusion

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
