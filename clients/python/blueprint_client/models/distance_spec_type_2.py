from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.distance_control import check_distance_control
from ..models.distance_control import DistanceControl
from ..models.distance_spec_type_2_kind import check_distance_spec_type_2_kind
from ..models.distance_spec_type_2_kind import DistanceSpecType2Kind
from ..models.real_distance_mode import check_real_distance_mode
from ..models.real_distance_mode import RealDistanceMode
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="DistanceSpecType2")



@_attrs_define
class DistanceSpecType2:
    """ 
        Attributes:
            kind (DistanceSpecType2Kind):
            mode (RealDistanceMode): How real soma distances are normalised.
            control (DistanceControl | Unset): Controls of the real distances D* that separate geometry, scale and
                distribution (each
                uses the true, corrected D* and, for the matched ones, the compat D* of the same field).
     """

    kind: DistanceSpecType2Kind
    mode: RealDistanceMode
    control: DistanceControl | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        mode: str = self.mode

        control: str | Unset = UNSET
        if not isinstance(self.control, Unset):
            control = self.control



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "mode": mode,
        })
        if control is not UNSET:
            field_dict["control"] = control

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = check_distance_spec_type_2_kind(d.pop("kind"))




        mode = check_real_distance_mode(d.pop("mode"))




        _control = d.pop("control", UNSET)
        control: DistanceControl | Unset
        if isinstance(_control,  Unset):
            control = UNSET
        else:
            control = check_distance_control(_control)




        distance_spec_type_2 = cls(
            kind=kind,
            mode=mode,
            control=control,
        )


        distance_spec_type_2.additional_properties = d
        return distance_spec_type_2

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
