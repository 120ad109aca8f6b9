from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.variant import check_variant
from ..models.variant import Variant
from typing import cast

if TYPE_CHECKING:
  from ..models.measured_model_values import MeasuredModelValues





T = TypeVar("T", bound="MeasuredModel")



@_attrs_define
class MeasuredModel:
    """ One model's values.

        Attributes:
            model_id (int):
            name (str):
            seed (int): The training run's master seed.
            values (MeasuredModelValues): Value by measure name; a requested measure missing here is in `excluded`.
            variant (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
     """

    model_id: int
    name: str
    seed: int
    values: MeasuredModelValues
    variant: Variant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.measured_model_values import MeasuredModelValues
        model_id = self.model_id

        name = self.name

        seed = self.seed

        values = self.values.to_dict()

        variant: str = self.variant


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "model_id": model_id,
            "name": name,
            "seed": seed,
            "values": values,
            "variant": variant,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.measured_model_values import MeasuredModelValues
        d = dict(src_dict)
        model_id = d.pop("model_id")

        name = d.pop("name")

        seed = d.pop("seed")

        values = MeasuredModelValues.from_dict(d.pop("values"))




        variant = check_variant(d.pop("variant"))




        measured_model = cls(
            model_id=model_id,
            name=name,
            seed=seed,
            values=values,
            variant=variant,
        )


        measured_model.additional_properties = d
        return measured_model

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
