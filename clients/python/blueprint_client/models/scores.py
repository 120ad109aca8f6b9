from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.condition_score import ConditionScore
  from ..models.decision_time import DecisionTime
  from ..models.psychometric import Psychometric
  from ..models.trial_outcome import TrialOutcome





T = TypeVar("T", bound="Scores")



@_attrs_define
class Scores:
    """ The scores of one evaluation.

        Attributes:
            accuracy (float): Fraction of trials answered correctly at the final step.
            confusion_matrix (list[list[int]]): Trial counts by true label (rows) and predicted label (columns), in
                `output_names`
                order.
            per_condition (list[ConditionScore]): Accuracy per task condition (coherence for perceptual-dm, maze problem for
                one-choice-inference, cue for go-nogo), in the task's condition order.
            decision_time (DecisionTime | None | Unset):
            mean_cross_entropy (float | None | Unset): Mean softmax cross-entropy of the final-step logits (nats); null when
                the network's
                outputs are not finite.
            psychometric (None | Psychometric | Unset):
            trials (list[TrialOutcome] | None | Unset): With `per_trial`: every trial's outcome, in generation order.
     """

    accuracy: float
    confusion_matrix: list[list[int]]
    per_condition: list[ConditionScore]
    decision_time: DecisionTime | None | Unset = UNSET
    mean_cross_entropy: float | None | Unset = UNSET
    psychometric: None | Psychometric | Unset = UNSET
    trials: list[TrialOutcome] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.trial_outcome import TrialOutcome
        from ..models.decision_time import DecisionTime
        from ..models.condition_score import ConditionScore
        from ..models.psychometric import Psychometric
        accuracy = self.accuracy

        confusion_matrix = []
        for confusion_matrix_item_data in self.confusion_matrix:
            confusion_matrix_item = confusion_matrix_item_data


            confusion_matrix.append(confusion_matrix_item)



        per_condition = []
        for per_condition_item_data in self.per_condition:
            per_condition_item = per_condition_item_data.to_dict()
            per_condition.append(per_condition_item)



        decision_time: dict[str, Any] | None | Unset
        if isinstance(self.decision_time, Unset):
            decision_time = UNSET
        elif isinstance(self.decision_time, DecisionTime):
            decision_time = self.decision_time.to_dict()
        else:
            decision_time = self.decision_time

        mean_cross_entropy: float | None | Unset
        if isinstance(self.mean_cross_entropy, Unset):
            mean_cross_entropy = UNSET
        else:
            mean_cross_entropy = self.mean_cross_entropy

        psychometric: dict[str, Any] | None | Unset
        if isinstance(self.psychometric, Unset):
            psychometric = UNSET
        elif isinstance(self.psychometric, Psychometric):
            psychometric = self.psychometric.to_dict()
        else:
            psychometric = self.psychometric

        trials: list[dict[str, Any]] | None | Unset
        if isinstance(self.trials, Unset):
            trials = UNSET
        elif isinstance(self.trials, list):
            trials = []
            for trials_type_0_item_data in self.trials:
                trials_type_0_item = trials_type_0_item_data.to_dict()
                trials.append(trials_type_0_item)


        else:
            trials = self.trials


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accuracy": accuracy,
            "confusion_matrix": confusion_matrix,
            "per_condition": per_condition,
        })
        if decision_time is not UNSET:
            field_dict["decision_time"] = decision_time
        if mean_cross_entropy is not UNSET:
            field_dict["mean_cross_entropy"] = mean_cross_entropy
        if psychometric is not UNSET:
            field_dict["psychometric"] = psychometric
        if trials is not UNSET:
            field_dict["trials"] = trials

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_score import ConditionScore
        from ..models.decision_time import DecisionTime
        from ..models.psychometric import Psychometric
        from ..models.trial_outcome import TrialOutcome
        d = dict(src_dict)
        accuracy = d.pop("accuracy")

        confusion_matrix = []
        _confusion_matrix = d.pop("confusion_matrix")
        for confusion_matrix_item_data in (_confusion_matrix):
            confusion_matrix_item = cast(list[int], confusion_matrix_item_data)

            confusion_matrix.append(confusion_matrix_item)


        per_condition = []
        _per_condition = d.pop("per_condition")
        for per_condition_item_data in (_per_condition):
            per_condition_item = ConditionScore.from_dict(per_condition_item_data)



            per_condition.append(per_condition_item)


        def _parse_decision_time(data: object) -> DecisionTime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_time_type_1 = DecisionTime.from_dict(data)



                return decision_time_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DecisionTime | None | Unset, data)

        decision_time = _parse_decision_time(d.pop("decision_time", UNSET))


        def _parse_mean_cross_entropy(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mean_cross_entropy = _parse_mean_cross_entropy(d.pop("mean_cross_entropy", UNSET))


        def _parse_psychometric(data: object) -> None | Psychometric | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                psychometric_type_1 = Psychometric.from_dict(data)



                return psychometric_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Psychometric | Unset, data)

        psychometric = _parse_psychometric(d.pop("psychometric", UNSET))


        def _parse_trials(data: object) -> list[TrialOutcome] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                trials_type_0 = []
                _trials_type_0 = data
                for trials_type_0_item_data in (_trials_type_0):
                    trials_type_0_item = TrialOutcome.from_dict(trials_type_0_item_data)



                    trials_type_0.append(trials_type_0_item)

                return trials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TrialOutcome] | None | Unset, data)

        trials = _parse_trials(d.pop("trials", UNSET))


        scores = cls(
            accuracy=accuracy,
            confusion_matrix=confusion_matrix,
            per_condition=per_condition,
            decision_time=decision_time,
            mean_cross_entropy=mean_cross_entropy,
            psychometric=psychometric,
            trials=trials,
        )


        scores.additional_properties = d
        return scores

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
