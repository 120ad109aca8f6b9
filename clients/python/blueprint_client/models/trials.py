from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_kind import check_task_kind
from ..models.task_kind import TaskKind
from typing import cast

if TYPE_CHECKING:
  from ..models.condition_type_0 import ConditionType0
  from ..models.condition_type_1 import ConditionType1
  from ..models.condition_type_2 import ConditionType2
  from ..models.go_nogo_config import GoNogoConfig
  from ..models.one_choice_inference_config import OneChoiceInferenceConfig
  from ..models.perceptual_dm_config import PerceptualDmConfig
  from ..models.period import Period





T = TypeVar("T", bound="Trials")



@_attrs_define
class Trials:
    """ Generated trials: run `inputs` through a model and compare its final-step choice with
    `labels`, and the accuracy is `POST /models/{id}/evaluate`'s for the same `n`, seed, noise
    and task configuration.

        Attributes:
            conditions (list[ConditionType0 | ConditionType1 | ConditionType2]): The condition each trial was drawn from.
            config (GoNogoConfig | OneChoiceInferenceConfig | PerceptualDmConfig): Every task configuration, tagged by
                `"task"` in its serialised form, e.g.
                `{"task": "go-nogo", "fixation_steps": 5, "stimulus_steps": 20, ...}`.

                Missing fields take the paper's default, so `{"task": "go-nogo"}` is the default go/no-go
                task; unknown fields are rejected so that a misspelt period name fails loudly.
            input_noise (float):
            inputs (list[list[list[float]]]): `[n_trials][n_steps][n_inputs]`.
            labels (list[int]): The correct class of each trial, an index into `output_names`.
            n_inputs (int):
            n_steps (int):
            n_trials (int):
            output_names (list[str]):
            scored_step (int): The step whose logits are scored (the last): the response window of every task.
            seed (int):
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            timeline (list[Period]):
     """

    conditions: list[ConditionType0 | ConditionType1 | ConditionType2]
    config: GoNogoConfig | OneChoiceInferenceConfig | PerceptualDmConfig
    input_noise: float
    inputs: list[list[list[float]]]
    labels: list[int]
    n_inputs: int
    n_steps: int
    n_trials: int
    output_names: list[str]
    scored_step: int
    seed: int
    task: TaskKind
    timeline: list[Period]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_type_2 import ConditionType2
        from ..models.one_choice_inference_config import OneChoiceInferenceConfig
        from ..models.perceptual_dm_config import PerceptualDmConfig
        from ..models.condition_type_0 import ConditionType0
        from ..models.condition_type_1 import ConditionType1
        from ..models.go_nogo_config import GoNogoConfig
        from ..models.period import Period
        conditions = []
        for conditions_item_data in self.conditions:
            conditions_item: dict[str, Any]
            if isinstance(conditions_item_data, ConditionType0):
                conditions_item = conditions_item_data.to_dict()
            elif isinstance(conditions_item_data, ConditionType1):
                conditions_item = conditions_item_data.to_dict()
            else:
                conditions_item = conditions_item_data.to_dict()

            conditions.append(conditions_item)



        config: dict[str, Any]
        if isinstance(self.config, OneChoiceInferenceConfig):
            config = self.config.to_dict()
        elif isinstance(self.config, GoNogoConfig):
            config = self.config.to_dict()
        else:
            config = self.config.to_dict()


        input_noise = self.input_noise

        inputs = []
        for inputs_item_data in self.inputs:
            inputs_item = []
            for inputs_item_item_data in inputs_item_data:
                inputs_item_item = inputs_item_item_data


                inputs_item.append(inputs_item_item)


            inputs.append(inputs_item)



        labels = self.labels



        n_inputs = self.n_inputs

        n_steps = self.n_steps

        n_trials = self.n_trials

        output_names = self.output_names



        scored_step = self.scored_step

        seed = self.seed

        task: str = self.task

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "conditions": conditions,
            "config": config,
            "input_noise": input_noise,
            "inputs": inputs,
            "labels": labels,
            "n_inputs": n_inputs,
            "n_steps": n_steps,
            "n_trials": n_trials,
            "output_names": output_names,
            "scored_step": scored_step,
            "seed": seed,
            "task": task,
            "timeline": timeline,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_type_0 import ConditionType0
        from ..models.condition_type_1 import ConditionType1
        from ..models.condition_type_2 import ConditionType2
        from ..models.go_nogo_config import GoNogoConfig
        from ..models.one_choice_inference_config import OneChoiceInferenceConfig
        from ..models.perceptual_dm_config import PerceptualDmConfig
        from ..models.period import Period
        d = dict(src_dict)
        conditions = []
        _conditions = d.pop("conditions")
        for conditions_item_data in (_conditions):
            def _parse_conditions_item(data: object) -> ConditionType0 | ConditionType1 | ConditionType2:
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

            conditions_item = _parse_conditions_item(conditions_item_data)

            conditions.append(conditions_item)


        def _parse_config(data: object) -> GoNogoConfig | OneChoiceInferenceConfig | PerceptualDmConfig:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_task_config_type_0 = OneChoiceInferenceConfig.from_dict(data)



                return componentsschemas_task_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_task_config_type_1 = GoNogoConfig.from_dict(data)



                return componentsschemas_task_config_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_task_config_type_2 = PerceptualDmConfig.from_dict(data)



            return componentsschemas_task_config_type_2

        config = _parse_config(d.pop("config"))


        input_noise = d.pop("input_noise")

        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in (_inputs):
            inputs_item = []
            _inputs_item = inputs_item_data
            for inputs_item_item_data in (_inputs_item):
                inputs_item_item = cast(list[float], inputs_item_item_data)

                inputs_item.append(inputs_item_item)

            inputs.append(inputs_item)


        labels = cast(list[int], d.pop("labels"))


        n_inputs = d.pop("n_inputs")

        n_steps = d.pop("n_steps")

        n_trials = d.pop("n_trials")

        output_names = cast(list[str], d.pop("output_names"))


        scored_step = d.pop("scored_step")

        seed = d.pop("seed")

        task = check_task_kind(d.pop("task"))




        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in (_timeline):
            timeline_item = Period.from_dict(timeline_item_data)



            timeline.append(timeline_item)


        trials = cls(
            conditions=conditions,
            config=config,
            input_noise=input_noise,
            inputs=inputs,
            labels=labels,
            n_inputs=n_inputs,
            n_steps=n_steps,
            n_trials=n_trials,
            output_names=output_names,
            scored_step=scored_step,
            seed=seed,
            task=task,
            timeline=timeline,
        )


        trials.additional_properties = d
        return trials

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
