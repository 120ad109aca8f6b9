from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.condition_decision_time import ConditionDecisionTime





T = TypeVar("T", bound="DecisionTime")



@_attrs_define
class DecisionTime:
    """ When the answer settles: a trial's decision step is the first step of the response window
    from which the readout's arg-max (`h_t·W_out + b_out`) equals the trial's final choice and
    stays so to the end (0: held through the whole window; `steps − 1`: settled only at the
    read-out).

        Attributes:
            mean_step (float): Mean decision step over all trials, counted from `window_start`.
            median_step (int): Median decision step (the lower middle value for an even count).
            per_condition (list[ConditionDecisionTime]): Mean decision step per task condition, in the task's condition
                order (a chronometric
                curve for perceptual-dm); null for a condition without trials.
            window_start (int): First step of the response window (the task's last period), in trial steps.
            window_steps (int): Steps in the response window.
            mean_step_correct (float | None | Unset): Mean decision step of the correct trials; null when none.
            mean_step_error (float | None | Unset): Mean decision step of the error trials; null when none.
     """

    mean_step: float
    median_step: int
    per_condition: list[ConditionDecisionTime]
    window_start: int
    window_steps: int
    mean_step_correct: float | None | Unset = UNSET
    mean_step_error: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_decision_time import ConditionDecisionTime
        mean_step = self.mean_step

        median_step = self.median_step

        per_condition = []
        for per_condition_item_data in self.per_condition:
            per_condition_item = per_condition_item_data.to_dict()
            per_condition.append(per_condition_item)



        window_start = self.window_start

        window_steps = self.window_steps

        mean_step_correct: float | None | Unset
        if isinstance(self.mean_step_correct, Unset):
            mean_step_correct = UNSET
        else:
            mean_step_correct = self.mean_step_correct

        mean_step_error: float | None | Unset
        if isinstance(self.mean_step_error, Unset):
            mean_step_error = UNSET
        else:
            mean_step_error = self.mean_step_error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "mean_step": mean_step,
            "median_step": median_step,
            "per_condition": per_condition,
            "window_start": window_start,
            "window_steps": window_steps,
        })
        if mean_step_correct is not UNSET:
            field_dict["mean_step_correct"] = mean_step_correct
        if mean_step_error is not UNSET:
            field_dict["mean_step_error"] = mean_step_error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_decision_time import ConditionDecisionTime
        d = dict(src_dict)
        mean_step = d.pop("mean_step")

        median_step = d.pop("median_step")

        per_condition = []
        _per_condition = d.pop("per_condition")
        for per_condition_item_data in (_per_condition):
            per_condition_item = ConditionDecisionTime.from_dict(per_condition_item_data)



            per_condition.append(per_condition_item)


        window_start = d.pop("window_start")

        window_steps = d.pop("window_steps")

        def _parse_mean_step_correct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mean_step_correct = _parse_mean_step_correct(d.pop("mean_step_correct", UNSET))


        def _parse_mean_step_error(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mean_step_error = _parse_mean_step_error(d.pop("mean_step_error", UNSET))


        decision_time = cls(
            mean_step=mean_step,
            median_step=median_step,
            per_condition=per_condition,
            window_start=window_start,
            window_steps=window_steps,
            mean_step_correct=mean_step_correct,
            mean_step_error=mean_step_error,
        )


        decision_time.additional_properties = d
        return decision_time

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
