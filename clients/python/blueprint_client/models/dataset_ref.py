from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="DatasetRef")



@_attrs_define
class DatasetRef:
    """ Which cortical field the network's structure came from.

        Attributes:
            field (str): The field key, e.g. `6_6_2`: 1 to 64 of `A-Z a-z 0-9 . _ -`.
            name (str): The bundle's name, e.g. `minnie65_cortical_blueprint`, or `synthetic`: 1 to 64 of
                `A-Z a-z 0-9 . _ -`.
            synthetic_seed (int | None | Unset): The synthetic generator's seed, for synthetic fields.
     """

    field: str
    name: str
    synthetic_seed: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        field = self.field

        name = self.name

        synthetic_seed: int | None | Unset
        if isinstance(self.synthetic_seed, Unset):
            synthetic_seed = UNSET
        else:
            synthetic_seed = self.synthetic_seed


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "field": field,
            "name": name,
        })
        if synthetic_seed is not UNSET:
            field_dict["synthetic_seed"] = synthetic_seed

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        name = d.pop("name")

        def _parse_synthetic_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        synthetic_seed = _parse_synthetic_seed(d.pop("synthetic_seed", UNSET))


        dataset_ref = cls(
            field=field,
            name=name,
            synthetic_seed=synthetic_seed,
        )


        dataset_ref.additional_properties = d
        return dataset_ref

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
