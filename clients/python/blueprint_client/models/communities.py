from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Communities")



@_attrs_define
class Communities:
    """ A partition of the nodes and its modularity.

        Attributes:
            membership (list[int]): `membership[i]`: the community of node `i`, numbered from 0 by decreasing size.
            modularity (float): Newman's `Q` of the partition.
            n_communities (int): Number of communities (isolated nodes are communities of one).
     """

    membership: list[int]
    modularity: float
    n_communities: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        membership = self.membership



        modularity = self.modularity

        n_communities = self.n_communities


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "membership": membership,
            "modularity": modularity,
            "n_communities": n_communities,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        membership = cast(list[int], d.pop("membership"))


        modularity = d.pop("modularity")

        n_communities = d.pop("n_communities")

        communities = cls(
            membership=membership,
            modularity=modularity,
            n_communities=n_communities,
        )


        communities.additional_properties = d
        return communities

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
