from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.one_choice_inference_config_task import check_one_choice_inference_config_task
from ..models.one_choice_inference_config_task import OneChoiceInferenceConfigTask
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OneChoiceInferenceConfig")



@_attrs_define
class OneChoiceInferenceConfig:
    """ Period lengths of the maze task, in steps. Defaults are the study's.

        Attributes:
            task (OneChoiceInferenceConfigTask): The task this configures.
            choice_steps (int | Unset): Steps the two offered direction channels are on; the answer is read at the last of
                them (default 20; at least 1). Default: 20.
            delay_steps (int | Unset): Steps of all-zero input between goal and choice (default 10). Default: 10.
            goal_steps (int | Unset): Steps the goal channel is on (default 20; at least 1). Default: 20.
     """

    task: OneChoiceInferenceConfigTask
    choice_steps: int | Unset = 20
    delay_steps: int | Unset = 10
    goal_steps: int | Unset = 20





    def to_dict(self) -> dict[str, Any]:
        task: str = self.task

        choice_steps = self.choice_steps

        delay_steps = self.delay_steps

        goal_steps = self.goal_steps


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "task": task,
        })
        if choice_steps is not UNSET:
            field_dict["choice_steps"] = choice_steps
        if delay_steps is not UNSET:
            field_dict["delay_steps"] = delay_steps
        if goal_steps is not UNSET:
            field_dict["goal_steps"] = goal_steps

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task = check_one_choice_inference_config_task(d.pop("task"))




        choice_steps = d.pop("choice_steps", UNSET)

        delay_steps = d.pop("delay_steps", UNSET)

        goal_steps = d.pop("goal_steps", UNSET)

        one_choice_inference_config = cls(
            task=task,
            choice_steps=choice_steps,
            delay_steps=delay_steps,
            goal_steps=goal_steps,
        )

        return one_choice_inference_config

