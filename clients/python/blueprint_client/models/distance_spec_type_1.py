from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.distance_spec_type_1_kind import check_distance_spec_type_1_kind
from ..models.distance_spec_type_1_kind import DistanceSpecType1Kind
from ..models.grid_lattice import check_grid_lattice
from ..models.grid_lattice import GridLattice
from typing import cast






T = TypeVar("T", bound="DistanceSpecType1")



@_attrs_define
class DistanceSpecType1:
    """ 
        Attributes:
            kind (DistanceSpecType1Kind):
            lattice (GridLattice): Which lattice the grid distance uses.
            shape (list[int]):
     """

    kind: DistanceSpecType1Kind
    lattice: GridLattice
    shape: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        lattice: str = self.lattice

        shape = self.shape




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "lattice": lattice,
            "shape": shape,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = check_distance_spec_type_1_kind(d.pop("kind"))




        lattice = check_grid_lattice(d.pop("lattice"))




        shape = cast(list[int], d.pop("shape"))


        distance_spec_type_1 = cls(
            kind=kind,
            lattice=lattice,
            shape=shape,
        )


        distance_spec_type_1.additional_properties = d
        return distance_spec_type_1

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
