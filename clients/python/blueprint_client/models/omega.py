from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Omega")



@_attrs_define
class Omega:
    """ Small-world ω (Telesford et al. 2011) against degree-matched random and ring-lattice
    references (module docs).

        Attributes:
            clustering (float):
            clustering_lattice (float):
            omega (float): `L_rand / L − C / C_latt`, in `[−1, 1]` for typical graphs: near 0 small-world,
                positive random-like, negative lattice-like.
            path_length (float):
            path_length_random (float):
     """

    clustering: float
    clustering_lattice: float
    omega: float
    path_length: float
    path_length_random: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        clustering = self.clustering

        clustering_lattice = self.clustering_lattice

        omega = self.omega

        path_length = self.path_length

        path_length_random = self.path_length_random


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clustering": clustering,
            "clustering_lattice": clustering_lattice,
            "omega": omega,
            "path_length": path_length,
            "path_length_random": path_length_random,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clustering = d.pop("clustering")

        clustering_lattice = d.pop("clustering_lattice")

        omega = d.pop("omega")

        path_length = d.pop("path_length")

        path_length_random = d.pop("path_length_random")

        omega = cls(
            clustering=clustering,
            clustering_lattice=clustering_lattice,
            omega=omega,
            path_length=path_length,
            path_length_random=path_length_random,
        )


        omega.additional_properties = d
        return omega

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
