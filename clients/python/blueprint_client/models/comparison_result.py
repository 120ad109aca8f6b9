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
from ..models.variant import check_variant
from ..models.variant import Variant
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.duplicate import Duplicate
  from ..models.exclusion import Exclusion
  from ..models.measure_comparison import MeasureComparison
  from ..models.measured_model import MeasuredModel
  from ..models.metrics_config import MetricsConfig
  from ..models.table import Table





T = TypeVar("T", bound="ComparisonResult")



@_attrs_define
class ComparisonResult:
    r""" What a finished comparison found.

        Attributes:
            by_measure (list[MeasureComparison]): The statistics, one entry per measure in `measures` order.
            confidence_level (float): Level of every interval.
            excluded (list[Exclusion]): Values left out, with the reason.
            group_by (GroupBy): How models are grouped. Only by variant, the study's comparison.
            groups (list[Variant]): The groups, in Table 2 order (the table's rows).
            measures (list[str]): The measures, in the request's order (the table's columns).
            models (list[MeasuredModel]): Every model's values, by ascending id.
            n_models (int):
            n_resamples (int): Resamples of every bootstrap interval.
            seed (int):
            table (Table): The comparison's table, ready to paste. Example: {'csv': 'variant,accuracy,entropy\nW*D*C,"0.917
                (0.890, 0.944)","5.210 (5.100, 5.320)"\nW,"0.625 (0.610, 0.640)","6.120 (6.050, 6.190)"\n', 'interval': 't',
                'markdown': '| variant | accuracy | entropy |\n|---|---|---|\n| `W*D*C` | 0.917 (0.890, 0.944) | 5.210 (5.100,
                5.320) |\n| `W` | 0.625 (0.610, 0.640) | 6.120 (6.050, 6.190) |\n'}.
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            duplicates (list[Duplicate] | Unset): Models matching the filter left out because their `W_rec` equals a kept
                model's (two
                names for the same network count once); `n_models` does not count them.
            metrics_config (MetricsConfig | None | Unset):
            n_trials (int | None | Unset): Held-out trials per model, when accuracy was measured.
     """

    by_measure: list[MeasureComparison]
    confidence_level: float
    excluded: list[Exclusion]
    group_by: GroupBy
    groups: list[Variant]
    measures: list[str]
    models: list[MeasuredModel]
    n_models: int
    n_resamples: int
    seed: int
    table: Table
    task: TaskKind
    duplicates: list[Duplicate] | Unset = UNSET
    metrics_config: MetricsConfig | None | Unset = UNSET
    n_trials: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.measure_comparison import MeasureComparison
        from ..models.duplicate import Duplicate
        from ..models.exclusion import Exclusion
        from ..models.measured_model import MeasuredModel
        from ..models.metrics_config import MetricsConfig
        from ..models.table import Table
        by_measure = []
        for by_measure_item_data in self.by_measure:
            by_measure_item = by_measure_item_data.to_dict()
            by_measure.append(by_measure_item)



        confidence_level = self.confidence_level

        excluded = []
        for excluded_item_data in self.excluded:
            excluded_item = excluded_item_data.to_dict()
            excluded.append(excluded_item)



        group_by: str = self.group_by

        groups = []
        for groups_item_data in self.groups:
            groups_item: str = groups_item_data
            groups.append(groups_item)



        measures = self.measures



        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)



        n_models = self.n_models

        n_resamples = self.n_resamples

        seed = self.seed

        table = self.table.to_dict()

        task: str = self.task

        duplicates: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.duplicates, Unset):
            duplicates = []
            for duplicates_item_data in self.duplicates:
                duplicates_item = duplicates_item_data.to_dict()
                duplicates.append(duplicates_item)



        metrics_config: dict[str, Any] | None | Unset
        if isinstance(self.metrics_config, Unset):
            metrics_config = UNSET
        elif isinstance(self.metrics_config, MetricsConfig):
            metrics_config = self.metrics_config.to_dict()
        else:
            metrics_config = self.metrics_config

        n_trials: int | None | Unset
        if isinstance(self.n_trials, Unset):
            n_trials = UNSET
        else:
            n_trials = self.n_trials


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "by_measure": by_measure,
            "confidence_level": confidence_level,
            "excluded": excluded,
            "group_by": group_by,
            "groups": groups,
            "measures": measures,
            "models": models,
            "n_models": n_models,
            "n_resamples": n_resamples,
            "seed": seed,
            "table": table,
            "task": task,
        })
        if duplicates is not UNSET:
            field_dict["duplicates"] = duplicates
        if metrics_config is not UNSET:
            field_dict["metrics_config"] = metrics_config
        if n_trials is not UNSET:
            field_dict["n_trials"] = n_trials

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duplicate import Duplicate
        from ..models.exclusion import Exclusion
        from ..models.measure_comparison import MeasureComparison
        from ..models.measured_model import MeasuredModel
        from ..models.metrics_config import MetricsConfig
        from ..models.table import Table
        d = dict(src_dict)
        by_measure = []
        _by_measure = d.pop("by_measure")
        for by_measure_item_data in (_by_measure):
            by_measure_item = MeasureComparison.from_dict(by_measure_item_data)



            by_measure.append(by_measure_item)


        confidence_level = d.pop("confidence_level")

        excluded = []
        _excluded = d.pop("excluded")
        for excluded_item_data in (_excluded):
            excluded_item = Exclusion.from_dict(excluded_item_data)



            excluded.append(excluded_item)


        group_by = check_group_by(d.pop("group_by"))




        groups = []
        _groups = d.pop("groups")
        for groups_item_data in (_groups):
            groups_item = check_variant(groups_item_data)



            groups.append(groups_item)


        measures = cast(list[str], d.pop("measures"))


        models = []
        _models = d.pop("models")
        for models_item_data in (_models):
            models_item = MeasuredModel.from_dict(models_item_data)



            models.append(models_item)


        n_models = d.pop("n_models")

        n_resamples = d.pop("n_resamples")

        seed = d.pop("seed")

        table = Table.from_dict(d.pop("table"))




        task = check_task_kind(d.pop("task"))




        _duplicates = d.pop("duplicates", UNSET)
        duplicates: list[Duplicate] | Unset = UNSET
        if _duplicates is not UNSET:
            duplicates = []
            for duplicates_item_data in _duplicates:
                duplicates_item = Duplicate.from_dict(duplicates_item_data)



                duplicates.append(duplicates_item)


        def _parse_metrics_config(data: object) -> MetricsConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_config_type_1 = MetricsConfig.from_dict(data)



                return metrics_config_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MetricsConfig | None | Unset, data)

        metrics_config = _parse_metrics_config(d.pop("metrics_config", UNSET))


        def _parse_n_trials(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_trials = _parse_n_trials(d.pop("n_trials", UNSET))


        comparison_result = cls(
            by_measure=by_measure,
            confidence_level=confidence_level,
            excluded=excluded,
            group_by=group_by,
            groups=groups,
            measures=measures,
            models=models,
            n_models=n_models,
            n_resamples=n_resamples,
            seed=seed,
            table=table,
            task=task,
            duplicates=duplicates,
            metrics_config=metrics_config,
            n_trials=n_trials,
        )


        comparison_result.additional_properties = d
        return comparison_result

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
