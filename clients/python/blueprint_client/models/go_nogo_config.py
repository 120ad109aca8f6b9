from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.go_nogo_config_task import check_go_nogo_config_task
from ..models.go_nogo_config_task import GoNogoConfigTask
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="GoNogoConfig")



@_attrs_define
class GoNogoConfig:
    """ Period lengths of the go/no-go task, in steps. Defaults are the study's.

        Attributes:
            task (GoNogoConfigTask): The task this configures.
            decision_steps (int | Unset): Steps of all-zero input at the end; the answer is read at the last of them
                (default 5;
                at least 1). Default: 5.
            delay_steps (int | Unset): Steps of fixation between cue and decision (default 10). Default: 10.
            fixation_steps (int | Unset): Steps of fixation before the cue (default 5). Default: 5.
            stimulus_steps (int | Unset): Steps the cue is shown (default 20; at least 1). Default: 20.
     """

    task: GoNogoConfigTask
    decision_steps: int | Unset = 5
    delay_steps: int | Unset = 10
    fixation_steps: int | Unset = 5
    stimulus_steps: int | Unset = 20





    def to_dict(self) -> dict[str, Any]:
        task: str = self.task

        decision_steps = self.decision_steps

        delay_steps = self.delay_steps

        fixation_steps = self.fixation_steps

        stimulus_steps = self.stimulus_steps


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "task": task,
        })
        if decision_steps is not UNSET:
            field_dict["decision_steps"] = decision_steps
        if delay_steps is not UNSET:
            field_dict["delay_steps"] = delay_steps
        if fixation_steps is not UNSET:
            field_dict["fixation_steps"] = fixation_steps
        if stimulus_steps is not UNSET:
            field_dict["stimulus_steps"] = stimulus_steps

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task = check_go_nogo_config_task(d.pop("task"))




        decision_steps = d.pop("decision_steps", UNSET)

        delay_steps = d.pop("delay_steps", UNSET)

        fixation_steps = d.pop("fixation_steps", UNSET)

        stimulus_steps = d.pop("stimulus_steps", UNSET)

        go_nogo_config = cls(
            task=task,
            decision_steps=decision_steps,
            delay_steps=delay_steps,
            fixation_steps=fixation_steps,
            stimulus_steps=stimulus_steps,
        )

        return go_nogo_config

