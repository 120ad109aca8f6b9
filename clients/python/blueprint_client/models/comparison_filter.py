from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ComparisonFilter")



@_attrs_define
class ComparisonFilter:
    """ Equality filters on the task's models; absent fields match everything.

        Attributes:
            dataset (None | str | Unset): Only this dataset (bundle name, or `synthetic`).
            field (None | str | Unset): Only this field key, e.g. `6_6_2`.
            positive (bool | None | Unset): Only positive (true) or unconstrained (false) networks.
     """

    dataset: None | str | Unset = UNSET
    field: None | str | Unset = UNSET
    positive: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        dataset: None | str | Unset
        if isinstance(self.dataset, Unset):
            dataset = UNSET
        else:
            dataset = self.dataset

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        positive: bool | None | Unset
        if isinstance(self.positive, Unset):
            positive = UNSET
        else:
            positive = self.positive


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if dataset is not UNSET:
            field_dict["dataset"] = dataset
        if field is not UNSET:
            field_dict["field"] = field
        if positive is not UNSET:
            field_dict["positive"] = positive

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_dataset(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dataset = _parse_dataset(d.pop("dataset", UNSET))


        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))


        def _parse_positive(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        positive = _parse_positive(d.pop("positive", UNSET))


        comparison_filter = cls(
            dataset=dataset,
            field=field,
            positive=positive,
        )

        return comparison_filter

