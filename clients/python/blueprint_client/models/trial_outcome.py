from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.condition_type_0 import ConditionType0
  from ..models.condition_type_1 import ConditionType1
  from ..models.condition_type_2 import ConditionType2





T = TypeVar("T", bound="TrialOutcome")



@_attrs_define
class TrialOutcome:
    """ One trial of an evaluation.

        Attributes:
            choice (int): The network's choice: the arg-max of its final-step logits (first on ties).
            condition (ConditionType0 | ConditionType1 | ConditionType2): The per-trial condition metadata that evaluation
                groups accuracy by.
            correct (bool):
            label (int): The correct class, an index into `output_names`.
            trial (int): Position in the generated trials (0-based): the same trial as
                `GET /tasks/{task}/trials` with the same `n`, seed and noise.
            decision_step (int | None | Unset): With `decision_time`: the trial's decision step, from the window's start.
     """

    choice: int
    condition: ConditionType0 | ConditionType1 | ConditionType2
    correct: bool
    label: int
    trial: int
    decision_step: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_type_2 import ConditionType2
        from ..models.condition_type_1 import ConditionType1
        from ..models.condition_type_0 import ConditionType0
        choice = self.choice

        condition: dict[str, Any]
        if isinstance(self.condition, ConditionType0):
            condition = self.condition.to_dict()
        elif isinstance(self.condition, ConditionType1):
            condition = self.condition.to_dict()
        else:
            condition = self.condition.to_dict()


        correct = self.correct

        label = self.label

        trial = self.trial

        decision_step: int | None | Unset
        if isinstance(self.decision_step, Unset):
            decision_step = UNSET
        else:
            decision_step = self.decision_step


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "choice": choice,
            "condition": condition,
            "correct": correct,
            "label": label,
            "trial": trial,
        })
        if decision_step is not UNSET:
            field_dict["decision_step"] = decision_step

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_type_0 import ConditionType0
        from ..models.condition_type_1 import ConditionType1
        from ..models.condition_type_2 import ConditionType2
        d = dict(src_dict)
        choice = d.pop("choice")

        def _parse_condition(data: object) -> ConditionType0 | ConditionType1 | ConditionType2:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_type_0 = ConditionType0.from_dict(data)



                return componentsschemas_condition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_type_1 = ConditionType1.from_dict(data)



                return componentsschemas_condition_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_condition_type_2 = ConditionType2.from_dict(data)



            return componentsschemas_condition_type_2

        condition = _parse_condition(d.pop("condition"))


        correct = d.pop("correct")

        label = d.pop("label")

        trial = d.pop("trial")

        def _parse_decision_step(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        decision_step = _parse_decision_step(d.pop("decision_step", UNSET))


        trial_outcome = cls(
            choice=choice,
            condition=condition,
            correct=correct,
            label=label,
            trial=trial,
            decision_step=decision_step,
        )


        trial_outcome.additional_properties = d
        return trial_outcome

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
