from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Table")



@_attrs_define
class Table:
    r""" The comparison's table, ready to paste.

        Example:
            {'csv': 'variant,accuracy,entropy\nW*D*C,"0.917 (0.890, 0.944)","5.210 (5.100, 5.320)"\nW,"0.625 (0.610,
                0.640)","6.120 (6.050, 6.190)"\n', 'interval': 't', 'markdown': '| variant | accuracy | entropy
                |\n|---|---|---|\n| `W*D*C` | 0.917 (0.890, 0.944) | 5.210 (5.100, 5.320) |\n| `W` | 0.625 (0.610, 0.640) |
                6.120 (6.050, 6.190) |\n'}

        Attributes:
            csv (str): Header `variant,<measure>,…`, then one row per group; cells quoted as RFC 4180 needs.
            interval (str): Which interval the cells show: `t`, the 95% Student-t interval of the mean.
            markdown (str): A GitHub-flavoured Markdown table of the same cells, variants in code spans.
     """

    csv: str
    interval: str
    markdown: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        csv = self.csv

        interval = self.interval

        markdown = self.markdown


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "csv": csv,
            "interval": interval,
            "markdown": markdown,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        csv = d.pop("csv")

        interval = d.pop("interval")

        markdown = d.pop("markdown")

        table = cls(
            csv=csv,
            interval=interval,
            markdown=markdown,
        )


        table.additional_properties = d
        return table

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
