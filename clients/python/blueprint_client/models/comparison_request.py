from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.group_by import check_group_by
from ..models.group_by import GroupBy
from ..models.task_kind import check_task_kind
from ..models.task_kind import TaskKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.comparison_filter import ComparisonFilter





T = TypeVar("T", bound="ComparisonRequest")



@_attrs_define
class ComparisonRequest:
    """ What to compare.

        Example:
            {'filter': {'field': '5_3_4', 'positive': False}, 'group_by': 'variant', 'measures': ['accuracy', 'entropy',
                'modularity', 'small-world'], 'n_trials': 2560, 'seed': 12345, 'task': 'go-nogo'}

        Attributes:
            measures (list[str]): What to compare, at least one: `accuracy` (held-out, from the evaluation path) and any
                metric of `GET /models/{id}/metrics` (`entropy`, `modularity`, `assortativity`,
                `small-world`, …; each model's headline number: Q, σ, ω, …). Repeats are dropped.
            seed (int): Seed of the evaluation trials, the metrics' nulls and the bootstrap intervals: the same
                request on the same models gives the same result.
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            allow_mixed_protocols (bool | Unset): Compare groups whose models were trained with different protocols (epochs,
                batch
                size, trials, learning rate, λ, λ_EMD, noise, penalty normalisation, compat flags, task
                configuration). Off by default: such a group is refused (`mixed_protocols`), because
                its spread would be the protocols' as much as the variant's.
            filter_ (ComparisonFilter | Unset): Filters on the task's models, combined with AND; absent fields match
                everything.
            group_by (GroupBy | Unset): How models are grouped. Only by variant, the study's comparison.
            n_nulls (int | None | Unset): Nulls of the study's model for σ, 1 to 10,000 (default 1,000).
            n_trials (int | None | Unset): Held-out trials per model, 1 to the server's cap (`--max-eval-trials`); required
                when
                `accuracy` is measured. Example: 2560.
            threshold_quantile (float | None | Unset): Binarisation quantile for the graph metrics, strictly between 0 and 1
                (default 0.9).
     """

    measures: list[str]
    seed: int
    task: TaskKind
    allow_mixed_protocols: bool | Unset = UNSET
    filter_: ComparisonFilter | Unset = UNSET
    group_by: GroupBy | Unset = UNSET
    n_nulls: int | None | Unset = UNSET
    n_trials: int | None | Unset = UNSET
    threshold_quantile: float | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.comparison_filter import ComparisonFilter
        measures = self.measures



        seed = self.seed

        task: str = self.task

        allow_mixed_protocols = self.allow_mixed_protocols

        filter_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filter_, Unset):
            filter_ = self.filter_.to_dict()

        group_by: str | Unset = UNSET
        if not isinstance(self.group_by, Unset):
            group_by = self.group_by


        n_nulls: int | None | Unset
        if isinstance(self.n_nulls, Unset):
            n_nulls = UNSET
        else:
            n_nulls = self.n_nulls

        n_trials: int | None | Unset
        if isinstance(self.n_trials, Unset):
            n_trials = UNSET
        else:
            n_trials = self.n_trials

        threshold_quantile: float | None | Unset
        if isinstance(self.threshold_quantile, Unset):
            threshold_quantile = UNSET
        else:
            threshold_quantile = self.threshold_quantile


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "measures": measures,
            "seed": seed,
            "task": task,
        })
        if allow_mixed_protocols is not UNSET:
            field_dict["allow_mixed_protocols"] = allow_mixed_protocols
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if group_by is not UNSET:
            field_dict["group_by"] = group_by
        if n_nulls is not UNSET:
            field_dict["n_nulls"] = n_nulls
        if n_trials is not UNSET:
            field_dict["n_trials"] = n_trials
        if threshold_quantile is not UNSET:
            field_dict["threshold_quantile"] = threshold_quantile

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comparison_filter import ComparisonFilter
        d = dict(src_dict)
        measures = cast(list[str], d.pop("measures"))


        seed = d.pop("seed")

        task = check_task_kind(d.pop("task"))




        allow_mixed_protocols = d.pop("allow_mixed_protocols", UNSET)

        _filter_ = d.pop("filter", UNSET)
        filter_: ComparisonFilter | Unset
        if isinstance(_filter_,  Unset):
            filter_ = UNSET
        else:
            filter_ = ComparisonFilter.from_dict(_filter_)




        _group_by = d.pop("group_by", UNSET)
        group_by: GroupBy | Unset
        if isinstance(_group_by,  Unset):
            group_by = UNSET
        else:
            group_by = check_group_by(_group_by)




        def _parse_n_nulls(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_nulls = _parse_n_nulls(d.pop("n_nulls", UNSET))


        def _parse_n_trials(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_trials = _parse_n_trials(d.pop("n_trials", UNSET))


        def _parse_threshold_quantile(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold_quantile = _parse_threshold_quantile(d.pop("threshold_quantile", UNSET))


        comparison_request = cls(
            measures=measures,
            seed=seed,
            task=task,
            allow_mixed_protocols=allow_mixed_protocols,
            filter_=filter_,
            group_by=group_by,
            n_nulls=n_nulls,
            n_trials=n_trials,
            threshold_quantile=threshold_quantile,
        )

        return comparison_request

