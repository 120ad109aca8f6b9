from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.variant import check_variant
from ..models.variant import Variant
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.summary import Summary





T = TypeVar("T", bound="GroupSummary")



@_attrs_define
class GroupSummary:
    """ One group's summary on one measure.

        Attributes:
            group (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
            summary (None | Summary | Unset):
            undefined (None | str | Unset): Why `summary` is null.
     """

    group: Variant
    summary: None | Summary | Unset = UNSET
    undefined: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.summary import Summary
        group: str = self.group

        summary: dict[str, Any] | None | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        elif isinstance(self.summary, Summary):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        undefined: None | str | Unset
        if isinstance(self.undefined, Unset):
            undefined = UNSET
        else:
            undefined = self.undefined


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "group": group,
        })
        if summary is not UNSET:
            field_dict["summary"] = summary
        if undefined is not UNSET:
            field_dict["undefined"] = undefined

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary import Summary
        d = dict(src_dict)
        group = check_variant(d.pop("group"))




        def _parse_summary(data: object) -> None | Summary | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_1 = Summary.from_dict(data)



                return summary_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Summary | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))


        def _parse_undefined(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        undefined = _parse_undefined(d.pop("undefined", UNSET))


        group_summary = cls(
            group=group,
            summary=summary,
            undefined=undefined,
        )


        group_summary.additional_properties = d
        return group_summary

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
