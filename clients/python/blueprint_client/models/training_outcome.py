from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="TrainingOutcome")



@_attrs_define
class TrainingOutcome:
    """ What training measured. Held-out validation accuracy is the headline; the study reported
    last-epoch training accuracy, kept here under its own name.

        Attributes:
            epochs_run (int):
            regulariser (float): Value of the weight penalty R(W_rec) at the end.
            train_accuracy_last_epoch (float): Mean accuracy over the last epoch's training batches (the study's reported
                number).
            train_loss_last_epoch (float):
            val_accuracy (float): Accuracy on the held-out validation trials after the last epoch.
            val_loss (float):
            wall_seconds (float):
     """

    epochs_run: int
    regulariser: float
    train_accuracy_last_epoch: float
    train_loss_last_epoch: float
    val_accuracy: float
    val_loss: float
    wall_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        epochs_run = self.epochs_run

        regulariser = self.regulariser

        train_accuracy_last_epoch = self.train_accuracy_last_epoch

        train_loss_last_epoch = self.train_loss_last_epoch

        val_accuracy = self.val_accuracy

        val_loss = self.val_loss

        wall_seconds = self.wall_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "epochs_run": epochs_run,
            "regulariser": regulariser,
            "train_accuracy_last_epoch": train_accuracy_last_epoch,
            "train_loss_last_epoch": train_loss_last_epoch,
            "val_accuracy": val_accuracy,
            "val_loss": val_loss,
            "wall_seconds": wall_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        epochs_run = d.pop("epochs_run")

        regulariser = d.pop("regulariser")

        train_accuracy_last_epoch = d.pop("train_accuracy_last_epoch")

        train_loss_last_epoch = d.pop("train_loss_last_epoch")

        val_accuracy = d.pop("val_accuracy")

        val_loss = d.pop("val_loss")

        wall_seconds = d.pop("wall_seconds")

        training_outcome = cls(
            epochs_run=epochs_run,
            regulariser=regulariser,
            train_accuracy_last_epoch=train_accuracy_last_epoch,
            train_loss_last_epoch=train_loss_last_epoch,
            val_accuracy=val_accuracy,
            val_loss=val_loss,
            wall_seconds=wall_seconds,
        )


        training_outcome.additional_properties = d
        return training_outcome

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
