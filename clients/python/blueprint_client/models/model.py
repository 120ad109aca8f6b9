from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_kind import check_task_kind
from ..models.task_kind import TaskKind
from ..models.variant import check_variant
from ..models.variant import Variant
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.history_summary import HistorySummary
  from ..models.model_manifest import ModelManifest





T = TypeVar("T", bound="Model")



@_attrs_define
class Model:
    """ A stored model with its manifest.

        Attributes:
            created_at (str): RFC 3339, UTC.
            dataset (str): The bundle the structure came from, or `synthetic`.
            field (str): The cortical field, e.g. `5_3_4`.
            hidden_size (int):
            id (int):
            name (str):
            note (str): Set with `PATCH /models/{id}`; '' when none.
            positive (bool): Whether W_rec was kept ≥ 0 during training.
            seed (int): The training run's master seed.
            sha256 (str): SHA-256 of the ONNX file (also its download's ETag).
            size_bytes (int):
            tags (list[str]): Set with `PATCH /models/{id}`; sorted.
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            variant (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
            version (int): 1 for the first model registered under this name, then 2, 3, … (never reused).
            manifest (ModelManifest): Everything known about one trained network.
            val_accuracy (float | None | Unset): Held-out validation accuracy measured by the trainer, when the manifest has
                it.
            history (HistorySummary | None | Unset):
     """

    created_at: str
    dataset: str
    field: str
    hidden_size: int
    id: int
    name: str
    note: str
    positive: bool
    seed: int
    sha256: str
    size_bytes: int
    tags: list[str]
    task: TaskKind
    variant: Variant
    version: int
    manifest: ModelManifest
    val_accuracy: float | None | Unset = UNSET
    history: HistorySummary | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.model_manifest import ModelManifest
        from ..models.history_summary import HistorySummary
        created_at = self.created_at

        dataset = self.dataset

        field = self.field

        hidden_size = self.hidden_size

        id = self.id

        name = self.name

        note = self.note

        positive = self.positive

        seed = self.seed

        sha256 = self.sha256

        size_bytes = self.size_bytes

        tags = self.tags



        task: str = self.task

        variant: str = self.variant

        version = self.version

        manifest = self.manifest.to_dict()

        val_accuracy: float | None | Unset
        if isinstance(self.val_accuracy, Unset):
            val_accuracy = UNSET
        else:
            val_accuracy = self.val_accuracy

        history: dict[str, Any] | None | Unset
        if isinstance(self.history, Unset):
            history = UNSET
        elif isinstance(self.history, HistorySummary):
            history = self.history.to_dict()
        else:
            history = self.history


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "dataset": dataset,
            "field": field,
            "hidden_size": hidden_size,
            "id": id,
            "name": name,
            "note": note,
            "positive": positive,
            "seed": seed,
            "sha256": sha256,
            "size_bytes": size_bytes,
            "tags": tags,
            "task": task,
            "variant": variant,
            "version": version,
            "manifest": manifest,
        })
        if val_accuracy is not UNSET:
            field_dict["val_accuracy"] = val_accuracy
        if history is not UNSET:
            field_dict["history"] = history

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_summary import HistorySummary
        from ..models.model_manifest import ModelManifest
        d = dict(src_dict)
        created_at = d.pop("created_at")

        dataset = d.pop("dataset")

        field = d.pop("field")

        hidden_size = d.pop("hidden_size")

        id = d.pop("id")

        name = d.pop("name")

        note = d.pop("note")

        positive = d.pop("positive")

        seed = d.pop("seed")

        sha256 = d.pop("sha256")

        size_bytes = d.pop("size_bytes")

        tags = cast(list[str], d.pop("tags"))


        task = check_task_kind(d.pop("task"))




        variant = check_variant(d.pop("variant"))




        version = d.pop("version")

        manifest = ModelManifest.from_dict(d.pop("manifest"))




        def _parse_val_accuracy(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        val_accuracy = _parse_val_accuracy(d.pop("val_accuracy", UNSET))


        def _parse_history(data: object) -> HistorySummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                history_type_1 = HistorySummary.from_dict(data)



                return history_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HistorySummary | None | Unset, data)

        history = _parse_history(d.pop("history", UNSET))


        model = cls(
            created_at=created_at,
            dataset=dataset,
            field=field,
            hidden_size=hidden_size,
            id=id,
            name=name,
            note=note,
            positive=positive,
            seed=seed,
            sha256=sha256,
            size_bytes=size_bytes,
            tags=tags,
            task=task,
            variant=variant,
            version=version,
            manifest=manifest,
            val_accuracy=val_accuracy,
            history=history,
        )


        model.additional_properties = d
        return model

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
