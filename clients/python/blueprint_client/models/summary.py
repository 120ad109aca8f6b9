from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.interval import Interval





T = TypeVar("T", bound="Summary")



@_attrs_define
class Summary:
    """ n, mean, SD and two intervals of the mean of one sample.

        Attributes:
            bootstrap_interval (Interval): A two-sided interval `[low, high]`.
            confidence_level (float): The level `c` of both intervals.
            mean (float): Arithmetic mean `x̄ = Σ xᵢ / n`.
            n (int): Number of values.
            n_resamples (int): Number of bootstrap resamples.
            sd (float): Sample standard deviation with `n − 1` in the denominator.
            seed (int): Seed of the bootstrap.
            t_interval (Interval): A two-sided interval `[low, high]`.
     """

    bootstrap_interval: Interval
    confidence_level: float
    mean: float
    n: int
    n_resamples: int
    sd: float
    seed: int
    t_interval: Interval
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.interval import Interval
        bootstrap_interval = self.bootstrap_interval.to_dict()

        confidence_level = self.confidence_level

        mean = self.mean

        n = self.n

        n_resamples = self.n_resamples

        sd = self.sd

        seed = self.seed

        t_interval = self.t_interval.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bootstrap_interval": bootstrap_interval,
            "confidence_level": confidence_level,
            "mean": mean,
            "n": n,
            "n_resamples": n_resamples,
            "sd": sd,
            "seed": seed,
            "t_interval": t_interval,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.interval import Interval
        d = dict(src_dict)
        bootstrap_interval = Interval.from_dict(d.pop("bootstrap_interval"))




        confidence_level = d.pop("confidence_level")

        mean = d.pop("mean")

        n = d.pop("n")

        n_resamples = d.pop("n_resamples")

        sd = d.pop("sd")

        seed = d.pop("seed")

        t_interval = Interval.from_dict(d.pop("t_interval"))




        summary = cls(
            bootstrap_interval=bootstrap_interval,
            confidence_level=confidence_level,
            mean=mean,
            n=n,
            n_resamples=n_resamples,
            sd=sd,
            seed=seed,
            t_interval=t_interval,
        )


        summary.additional_properties = d
        return summary

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
