from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="HistorySummary")



@_attrs_define
class HistorySummary:
    """ A model's learning curves, one value per epoch (epoch 1 first).

        Attributes:
            best_epoch (int): The epoch (1-based) of the best held-out accuracy, the first on ties.
            best_val_accuracy (float):
            epochs (int):
            train_accuracy (list[float]): Mean accuracy over each epoch's training batches.
            train_loss (list[float]): Mean training cross-entropy per epoch (nats).
            val_accuracy (list[float]): Accuracy on the held-out validation trials after each epoch.
            val_loss (list[float]): Held-out cross-entropy per epoch (nats).
     """

    best_epoch: int
    best_val_accuracy: float
    epochs: int
    train_accuracy: list[float]
    train_loss: list[float]
    val_accuracy: list[float]
    val_loss: list[float]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        best_epoch = self.best_epoch

        best_val_accuracy = self.best_val_accuracy

        epochs = self.epochs

        train_accuracy = self.train_accuracy



        train_loss = self.train_loss



        val_accuracy = self.val_accuracy



        val_loss = self.val_loss




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "best_epoch": best_epoch,
            "best_val_accuracy": best_val_accuracy,
            "epochs": epochs,
            "train_accuracy": train_accuracy,
            "train_loss": train_loss,
            "val_accuracy": val_accuracy,
            "val_loss": val_loss,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        best_epoch = d.pop("best_epoch")

        best_val_accuracy = d.pop("best_val_accuracy")

        epochs = d.pop("epochs")

        train_accuracy = cast(list[float], d.pop("train_accuracy"))


        train_loss = cast(list[float], d.pop("train_loss"))


        val_accuracy = cast(list[float], d.pop("val_accuracy"))


        val_loss = cast(list[float], d.pop("val_loss"))


        history_summary = cls(
            best_epoch=best_epoch,
            best_val_accuracy=best_val_accuracy,
            epochs=epochs,
            train_accuracy=train_accuracy,
            train_loss=train_loss,
            val_accuracy=val_accuracy,
            val_loss=val_loss,
        )


        history_summary.additional_properties = d
        return history_summary

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
