from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="BinarisationSummary")



@_attrs_define
class BinarisationSummary:
    """ How the binarised graph came out.

        Attributes:
            density (float): `n_edges / (n(n−1)/2)`.
            n_edges (int):
            n_isolated (int): Nodes without an edge.
            quantile (float):
            threshold (float): The `quantile` of `|W|`; edges are the entries strictly above it.
     """

    density: float
    n_edges: int
    n_isolated: int
    quantile: float
    threshold: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        density = self.density

        n_edges = self.n_edges

        n_isolated = self.n_isolated

        quantile = self.quantile

        threshold = self.threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "density": density,
            "n_edges": n_edges,
            "n_isolated": n_isolated,
            "quantile": quantile,
            "threshold": threshold,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        density = d.pop("density")

        n_edges = d.pop("n_edges")

        n_isolated = d.pop("n_isolated")

        quantile = d.pop("quantile")

        threshold = d.pop("threshold")

        binarisation_summary = cls(
            density=density,
            n_edges=n_edges,
            n_isolated=n_isolated,
            quantile=quantile,
            threshold=threshold,
        )


        binarisation_summary.additional_properties = d
        return binarisation_summary

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
