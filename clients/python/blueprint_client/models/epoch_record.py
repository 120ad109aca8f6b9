from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EpochRecord")



@_attrs_define
class EpochRecord:
    """ One line of `history.jsonl`.

        Attributes:
            epoch (int): 1-based.
            regulariser (float): R(W_rec) after the epoch.
            train_accuracy (float): Mean accuracy over the epoch's training batches (the study's reported quantity).
            train_loss (float): Mean cross-entropy over the epoch's training batches (penalty not included), nats.
            val_accuracy (float): Accuracy on the held-out validation trials after the epoch.
            val_loss (float): Cross-entropy on the held-out validation trials after the epoch, nats.
            wall_seconds (float): Seconds since training started.
     """

    epoch: int
    regulariser: float
    train_accuracy: float
    train_loss: float
    val_accuracy: float
    val_loss: float
    wall_seconds: float





    def to_dict(self) -> dict[str, Any]:
        epoch = self.epoch

        regulariser = self.regulariser

        train_accuracy = self.train_accuracy

        train_loss = self.train_loss

        val_accuracy = self.val_accuracy

        val_loss = self.val_loss

        wall_seconds = self.wall_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "epoch": epoch,
            "regulariser": regulariser,
            "train_accuracy": train_accuracy,
            "train_loss": train_loss,
            "val_accuracy": val_accuracy,
            "val_loss": val_loss,
            "wall_seconds": wall_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        epoch = d.pop("epoch")

        regulariser = d.pop("regulariser")

        train_accuracy = d.pop("train_accuracy")

        train_loss = d.pop("train_loss")

        val_accuracy = d.pop("val_accuracy")

        val_loss = d.pop("val_loss")

        wall_seconds = d.pop("wall_seconds")

        epoch_record = cls(
            epoch=epoch,
            regulariser=regulariser,
            train_accuracy=train_accuracy,
            train_loss=train_loss,
            val_accuracy=val_accuracy,
            val_loss=val_loss,
            wall_seconds=wall_seconds,
        )

        return epoch_record

