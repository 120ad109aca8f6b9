from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.distance_spec_type_0_kind import check_distance_spec_type_0_kind
from ..models.distance_spec_type_0_kind import DistanceSpecType0Kind
from typing import cast






T = TypeVar("T", bound="DistanceSpecType0")



@_attrs_define
class DistanceSpecType0:
    """ No distance weighting (D = 1 everywhere).

        Attributes:
            kind (DistanceSpecType0Kind):
     """

    kind: DistanceSpecType0Kind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = check_distance_spec_type_0_kind(d.pop("kind"))




        distance_spec_type_0 = cls(
            kind=kind,
        )


        distance_spec_type_0.additional_properties = d
        return distance_spec_type_0

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
