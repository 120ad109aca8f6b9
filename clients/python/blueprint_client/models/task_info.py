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
  from ..models.go_nogo_config import GoNogoConfig
  from ..models.one_choice_inference_config import OneChoiceInferenceConfig
  from ..models.perceptual_dm_config import PerceptualDmConfig
  from ..models.period import Period





T = TypeVar("T", bound="TaskInfo")



@_attrs_define
class TaskInfo:
    """ One task with the paper's configuration.

        Attributes:
            ceiling (float): Expected accuracy of the ideal observer.
            chance (float): Accuracy of guessing.
            conditions (list[str]): The condition keys per-condition accuracy is reported under, in order.
            config (GoNogoConfig | OneChoiceInferenceConfig | PerceptualDmConfig): Every task configuration, tagged by
                `"task"` in its serialised form, e.g.
                `{"task": "go-nogo", "fixation_steps": 5, "stimulus_steps": 20, ...}`.

                Missing fields take the paper's default, so `{"task": "go-nogo"}` is the default go/no-go
                task; unknown fields are rejected so that a misspelt period name fails loudly.
            n_inputs (int): Input channels (`n_in`).
            n_outputs (int): Output classes.
            n_steps (int): Steps per trial.
            output_names (list[str]): The name of each output class, indexed by label.
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            timeline (list[Period]): The trial's periods in order.
     """

    ceiling: float
    chance: float
    conditions: list[str]
    config: GoNogoConfig | OneChoiceInferenceConfig | PerceptualDmConfig
    n_inputs: int
    n_outputs: int
    n_steps: int
    output_names: list[str]
    task: TaskKind
    timeline: list[Period]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.perceptual_dm_config import PerceptualDmConfig
        from ..models.go_nogo_config import GoNogoConfig
        from ..models.period import Period
        from ..models.one_choice_inference_config import OneChoiceInferenceConfig
        ceiling = self.ceiling

        chance = self.chance

        conditions = self.conditions



        config: dict[str, Any]
        if isinstance(self.config, OneChoiceInferenceConfig):
            config = self.config.to_dict()
        elif isinstance(self.config, GoNogoConfig):
            config = self.config.to_dict()
        else:
            config = self.config.to_dict()


        n_inputs = self.n_inputs

        n_outputs = self.n_outputs

        n_steps = self.n_steps

        output_names = self.output_names



        task: str = self.task

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ceiling": ceiling,
            "chance": chance,
            "conditions": conditions,
            "config": config,
            "n_inputs": n_inputs,
            "n_outputs": n_outputs,
            "n_steps": n_steps,
            "output_names": output_names,
            "task": task,
            "timeline": timeline,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.go_nogo_config import GoNogoConfig
        from ..models.one_choice_inference_config import OneChoiceInferenceConfig
        from ..models.perceptual_dm_config import PerceptualDmConfig
        from ..models.period import Period
        d = dict(src_dict)
        ceiling = d.pop("ceiling")

        chance = d.pop("chance")

        conditions = cast(list[str], d.pop("conditions"))


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


        n_inputs = d.pop("n_inputs")

        n_outputs = d.pop("n_outputs")

        n_steps = d.pop("n_steps")

        output_names = cast(list[str], d.pop("output_names"))


        task = check_task_kind(d.pop("task"))




        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in (_timeline):
            timeline_item = Period.from_dict(timeline_item_data)



            timeline.append(timeline_item)


        task_info = cls(
            ceiling=ceiling,
            chance=chance,
            conditions=conditions,
            config=config,
            n_inputs=n_inputs,
            n_outputs=n_outputs,
            n_steps=n_steps,
            output_names=output_names,
            task=task,
            timeline=timeline,
        )


        task_info.additional_properties = d
        return task_info

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
