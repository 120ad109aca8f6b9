from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.metric_kind import check_metric_kind
from ..models.metric_kind import MetricKind
from typing import cast






T = TypeVar("T", bound="UndefinedMetric")



@_attrs_define
class UndefinedMetric:
    """ A metric [`compute_all`] could not give for this matrix, and why.

        Attributes:
            metric (MetricKind): The metrics, listed once: the report's fields, the endpoint's `metrics` parameter and the
                comparison's measures use these names.
            reason (str):
     """

    metric: MetricKind
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        metric: str = self.metric

        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "metric": metric,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = check_metric_kind(d.pop("metric"))




        reason = d.pop("reason")

        undefined_metric = cls(
            metric=metric,
            reason=reason,
        )


        undefined_metric.additional_properties = d
        return undefined_metric

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
