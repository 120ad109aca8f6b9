from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.perceptual_dm_config_task import check_perceptual_dm_config_task
from ..models.perceptual_dm_config_task import PerceptualDmConfigTask
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PerceptualDmConfig")



@_attrs_define
class PerceptualDmConfig:
    """ Period lengths and stimulus statistics of the random-dot motion task. Defaults are the
    study's.

        Attributes:
            task (PerceptualDmConfigTask): The task this configures.
            coherences (list[float] | Unset): Coherences in percent, each finite and in `[0, 100]`, drawn uniformly per
                trial
                (default 0, 6.4, 12.8, 25.6, 51.2). A value listed twice is drawn twice as often.
            delay_steps (int | Unset): Steps after the stimulus, evidence channels at 0; the answer is read at the last step
                of the trial (default 10). Default: 10.
            fixation_steps (int | Unset): Steps before the stimulus, evidence channels at 0 (default 1). Default: 1.
            noise_sd (float | Unset): Standard deviation of the Gaussian noise added to each evidence channel at each
                stimulus step (default 0.1; finite and >= 0). Default: 0.1.
            stimulus_steps (int | Unset): Steps of noisy motion evidence (default 30; at least 1). Default: 30.
     """

    task: PerceptualDmConfigTask
    coherences: list[float] | Unset = UNSET
    delay_steps: int | Unset = 10
    fixation_steps: int | Unset = 1
    noise_sd: float | Unset = 0.1
    stimulus_steps: int | Unset = 30





    def to_dict(self) -> dict[str, Any]:
        task: str = self.task

        coherences: list[float] | Unset = UNSET
        if not isinstance(self.coherences, Unset):
            coherences = self.coherences



        delay_steps = self.delay_steps

        fixation_steps = self.fixation_steps

        noise_sd = self.noise_sd

        stimulus_steps = self.stimulus_steps


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "task": task,
        })
        if coherences is not UNSET:
            field_dict["coherences"] = coherences
        if delay_steps is not UNSET:
            field_dict["delay_steps"] = delay_steps
        if fixation_steps is not UNSET:
            field_dict["fixation_steps"] = fixation_steps
        if noise_sd is not UNSET:
            field_dict["noise_sd"] = noise_sd
        if stimulus_steps is not UNSET:
            field_dict["stimulus_steps"] = stimulus_steps

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task = check_perceptual_dm_config_task(d.pop("task"))




        coherences = cast(list[float], d.pop("coherences", UNSET))


        delay_steps = d.pop("delay_steps", UNSET)

        fixation_steps = d.pop("fixation_steps", UNSET)

        noise_sd = d.pop("noise_sd", UNSET)

        stimulus_steps = d.pop("stimulus_steps", UNSET)

        perceptual_dm_config = cls(
            task=task,
            coherences=coherences,
            delay_steps=delay_steps,
            fixation_steps=fixation_steps,
            noise_sd=noise_sd,
            stimulus_steps=stimulus_steps,
        )

        return perceptual_dm_config

