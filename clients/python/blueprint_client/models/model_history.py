from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.epoch_record import EpochRecord





T = TypeVar("T", bound="ModelHistory")



@_attrs_define
class ModelHistory:
    """ A model's whole training history.

        Attributes:
            epochs (list[EpochRecord]): One record per epoch, epoch 1 first, as the trainer wrote `history.jsonl`.
            model_id (int):
     """

    epochs: list[EpochRecord]
    model_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.epoch_record import EpochRecord
        epochs = []
        for epochs_item_data in self.epochs:
            epochs_item = epochs_item_data.to_dict()
            epochs.append(epochs_item)



        model_id = self.model_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "epochs": epochs,
            "model_id": model_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.epoch_record import EpochRecord
        d = dict(src_dict)
        epochs = []
        _epochs = d.pop("epochs")
        for epochs_item_data in (_epochs):
            epochs_item = EpochRecord.from_dict(epochs_item_data)



            epochs.append(epochs_item)


        model_id = d.pop("model_id")

        model_history = cls(
            epochs=epochs,
            model_id=model_id,
        )


        model_history.additional_properties = d
        return model_history

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
