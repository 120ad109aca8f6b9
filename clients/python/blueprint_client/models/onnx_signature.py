from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="OnnxSignature")



@_attrs_define
class OnnxSignature:
    """ Names of the ONNX graph's inputs and outputs.

        Attributes:
            hidden (str): `[batch, time, N]` float32, every hidden state.
            input_ (str): `[batch, time, n_in]` float32.
            logits (str): `[batch, n_out]` float32, the readout of the final step.
            opset (int):
     """

    hidden: str
    input_: str
    logits: str
    opset: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        hidden = self.hidden

        input_ = self.input_

        logits = self.logits

        opset = self.opset


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "hidden": hidden,
            "input": input_,
            "logits": logits,
            "opset": opset,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hidden = d.pop("hidden")

        input_ = d.pop("input")

        logits = d.pop("logits")

        opset = d.pop("opset")

        onnx_signature = cls(
            hidden=hidden,
            input_=input_,
            logits=logits,
            opset=opset,
        )


        onnx_signature.additional_properties = d
        return onnx_signature

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
