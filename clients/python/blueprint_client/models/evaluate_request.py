from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_kind import check_task_kind
from ..models.task_kind import TaskKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="EvaluateRequest")



@_attrs_define
class EvaluateRequest:
    """ What to evaluate the model on.

        Attributes:
            n_trials (int): How many trials, 1 to the server's cap (`--max-eval-trials`). Example: 2560.
            allow_training_seed (bool | Unset): Allow `seed` to be the one the trainer generated this model's training
                trials from
                (`derived_seed(manifest.seed, TrainTrials)` in `core::seed`). Off by default, so an
                evaluation is on held-out trials unless asked otherwise.
            decision_time (bool | Unset): Measure when the answer settles (`decision_time` in the answer; with `per_trial`,
                each
                trial's `decision_step`): the first step of the response window from which the
                readout's choice, `h_t·W_out + b_out` from the hidden states the model outputs, equals
                the final choice and stays so (default false).
            input_noise (float | None | Unset): σ of Gaussian noise added to every input (default 0).
            per_trial (bool | Unset): List every trial's label, choice, correctness and condition in `trials` (default
                false).
            seed (int | Unset): Seed of the trial generator (default 1); the same seed gives the same trials and the
                same answer. Never the model's training seed unless `allow_training_seed`. Default: 1. Example: 1.
            task (None | TaskKind | Unset):
     """

    n_trials: int
    allow_training_seed: bool | Unset = UNSET
    decision_time: bool | Unset = UNSET
    input_noise: float | None | Unset = UNSET
    per_trial: bool | Unset = UNSET
    seed: int | Unset = 1
    task: None | TaskKind | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        n_trials = self.n_trials

        allow_training_seed = self.allow_training_seed

        decision_time = self.decision_time

        input_noise: float | None | Unset
        if isinstance(self.input_noise, Unset):
            input_noise = UNSET
        else:
            input_noise = self.input_noise

        per_trial = self.per_trial

        seed = self.seed

        task: None | str | Unset
        if isinstance(self.task, Unset):
            task = UNSET
        elif isinstance(self.task, str):
            task = self.task
        else:
            task = self.task


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "n_trials": n_trials,
        })
        if allow_training_seed is not UNSET:
            field_dict["allow_training_seed"] = allow_training_seed
        if decision_time is not UNSET:
            field_dict["decision_time"] = decision_time
        if input_noise is not UNSET:
            field_dict["input_noise"] = input_noise
        if per_trial is not UNSET:
            field_dict["per_trial"] = per_trial
        if seed is not UNSET:
            field_dict["seed"] = seed
        if task is not UNSET:
            field_dict["task"] = task

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n_trials = d.pop("n_trials")

        allow_training_seed = d.pop("allow_training_seed", UNSET)

        decision_time = d.pop("decision_time", UNSET)

        def _parse_input_noise(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        input_noise = _parse_input_noise(d.pop("input_noise", UNSET))


        per_trial = d.pop("per_trial", UNSET)

        seed = d.pop("seed", UNSET)

        def _parse_task(data: object) -> None | TaskKind | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_type_1 = check_task_kind(data)



                return task_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskKind | Unset, data)

        task = _parse_task(d.pop("task", UNSET))


        evaluate_request = cls(
            n_trials=n_trials,
            allow_training_seed=allow_training_seed,
            decision_time=decision_time,
            input_noise=input_noise,
            per_trial=per_trial,
            seed=seed,
            task=task,
        )

        return evaluate_request

