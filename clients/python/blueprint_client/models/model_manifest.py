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
  from ..models.bio_init_config import BioInitConfig
  from ..models.dataset_ref import DatasetRef
  from ..models.distance_spec_type_0 import DistanceSpecType0
  from ..models.distance_spec_type_1 import DistanceSpecType1
  from ..models.distance_spec_type_2 import DistanceSpecType2
  from ..models.model_manifest_task_config import ModelManifestTaskConfig
  from ..models.onnx_signature import OnnxSignature
  from ..models.training_outcome import TrainingOutcome
  from ..models.training_protocol import TrainingProtocol





T = TypeVar("T", bound="ModelManifest")



@_attrs_define
class ModelManifest:
    """ Everything known about one trained network.

        Attributes:
            alpha (float): Leak α of the cell; 1 is the study's discrete-time RNN.
            created_by (str): The software that wrote the manifest, e.g. `blueprint-trainer 0.1.0`.
            dataset (DatasetRef): Which cortical field the network's structure came from.
            distance (DistanceSpecType0 | DistanceSpecType1 | DistanceSpecType2): A distance matrix and how it was made, as
                recorded in the manifest.
            hidden_size (int): N, the number of recurrent units, 1 to 2,048.
            n_inputs (int):
            n_outputs (int):
            name (str): A human-readable name, e.g. `6_6_2-go-nogo-W*D*C-s7`: 1 to 200 characters, no
                control characters.
            onnx (OnnxSignature): Names of the ONNX graph's inputs and outputs.
            positive (bool): Whether W_rec was projected to ≥ 0 after every update.
            schema_version (int):
            seed (int): The master seed; every random stream of the run is derived from it.
            task (TaskKind): Which of the study's three tasks.

                Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
            task_config (ModelManifestTaskConfig): The task's full configuration (timing, coherences, noise).
            training (TrainingProtocol): The training protocol. `Default` is the study's (see `shared/STUDY.md`), with
                Blueprint's
                corrections of the reference code's defects on and each compatibility switch off.
            variant (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
            bio_init (BioInitConfig | None | Unset):
            onnx_sha256 (None | str | Unset): Lower-case hex SHA-256 of the ONNX file.
            outcome (None | TrainingOutcome | Unset):
     """

    alpha: float
    created_by: str
    dataset: DatasetRef
    distance: DistanceSpecType0 | DistanceSpecType1 | DistanceSpecType2
    hidden_size: int
    n_inputs: int
    n_outputs: int
    name: str
    onnx: OnnxSignature
    positive: bool
    schema_version: int
    seed: int
    task: TaskKind
    task_config: ModelManifestTaskConfig
    training: TrainingProtocol
    variant: Variant
    bio_init: BioInitConfig | None | Unset = UNSET
    onnx_sha256: None | str | Unset = UNSET
    outcome: None | TrainingOutcome | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.training_outcome import TrainingOutcome
        from ..models.bio_init_config import BioInitConfig
        from ..models.onnx_signature import OnnxSignature
        from ..models.dataset_ref import DatasetRef
        from ..models.distance_spec_type_2 import DistanceSpecType2
        from ..models.training_protocol import TrainingProtocol
        from ..models.distance_spec_type_0 import DistanceSpecType0
        from ..models.distance_spec_type_1 import DistanceSpecType1
        from ..models.model_manifest_task_config import ModelManifestTaskConfig
        alpha = self.alpha

        created_by = self.created_by

        dataset = self.dataset.to_dict()

        distance: dict[str, Any]
        if isinstance(self.distance, DistanceSpecType0):
            distance = self.distance.to_dict()
        elif isinstance(self.distance, DistanceSpecType1):
            distance = self.distance.to_dict()
        else:
            distance = self.distance.to_dict()


        hidden_size = self.hidden_size

        n_inputs = self.n_inputs

        n_outputs = self.n_outputs

        name = self.name

        onnx = self.onnx.to_dict()

        positive = self.positive

        schema_version = self.schema_version

        seed = self.seed

        task: str = self.task

        task_config = self.task_config.to_dict()

        training = self.training.to_dict()

        variant: str = self.variant

        bio_init: dict[str, Any] | None | Unset
        if isinstance(self.bio_init, Unset):
            bio_init = UNSET
        elif isinstance(self.bio_init, BioInitConfig):
            bio_init = self.bio_init.to_dict()
        else:
            bio_init = self.bio_init

        onnx_sha256: None | str | Unset
        if isinstance(self.onnx_sha256, Unset):
            onnx_sha256 = UNSET
        else:
            onnx_sha256 = self.onnx_sha256

        outcome: dict[str, Any] | None | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, TrainingOutcome):
            outcome = self.outcome.to_dict()
        else:
            outcome = self.outcome


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "alpha": alpha,
            "created_by": created_by,
            "dataset": dataset,
            "distance": distance,
            "hidden_size": hidden_size,
            "n_inputs": n_inputs,
            "n_outputs": n_outputs,
            "name": name,
            "onnx": onnx,
            "positive": positive,
            "schema_version": schema_version,
            "seed": seed,
            "task": task,
            "task_config": task_config,
            "training": training,
            "variant": variant,
        })
        if bio_init is not UNSET:
            field_dict["bio_init"] = bio_init
        if onnx_sha256 is not UNSET:
            field_dict["onnx_sha256"] = onnx_sha256
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bio_init_config import BioInitConfig
        from ..models.dataset_ref import DatasetRef
        from ..models.distance_spec_type_0 import DistanceSpecType0
        from ..models.distance_spec_type_1 import DistanceSpecType1
        from ..models.distance_spec_type_2 import DistanceSpecType2
        from ..models.model_manifest_task_config import ModelManifestTaskConfig
        from ..models.onnx_signature import OnnxSignature
        from ..models.training_outcome import TrainingOutcome
        from ..models.training_protocol import TrainingProtocol
        d = dict(src_dict)
        alpha = d.pop("alpha")

        created_by = d.pop("created_by")

        dataset = DatasetRef.from_dict(d.pop("dataset"))




        def _parse_distance(data: object) -> DistanceSpecType0 | DistanceSpecType1 | DistanceSpecType2:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_distance_spec_type_0 = DistanceSpecType0.from_dict(data)



                return componentsschemas_distance_spec_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_distance_spec_type_1 = DistanceSpecType1.from_dict(data)



                return componentsschemas_distance_spec_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_distance_spec_type_2 = DistanceSpecType2.from_dict(data)



            return componentsschemas_distance_spec_type_2

        distance = _parse_distance(d.pop("distance"))


        hidden_size = d.pop("hidden_size")

        n_inputs = d.pop("n_inputs")

        n_outputs = d.pop("n_outputs")

        name = d.pop("name")

        onnx = OnnxSignature.from_dict(d.pop("onnx"))




        positive = d.pop("positive")

        schema_version = d.pop("schema_version")

        seed = d.pop("seed")

        task = check_task_kind(d.pop("task"))




        task_config = ModelManifestTaskConfig.from_dict(d.pop("task_config"))




        training = TrainingProtocol.from_dict(d.pop("training"))




        variant = check_variant(d.pop("variant"))




        def _parse_bio_init(data: object) -> BioInitConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bio_init_type_1 = BioInitConfig.from_dict(data)



                return bio_init_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BioInitConfig | None | Unset, data)

        bio_init = _parse_bio_init(d.pop("bio_init", UNSET))


        def _parse_onnx_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        onnx_sha256 = _parse_onnx_sha256(d.pop("onnx_sha256", UNSET))


        def _parse_outcome(data: object) -> None | TrainingOutcome | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outcome_type_1 = TrainingOutcome.from_dict(data)



                return outcome_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingOutcome | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        model_manifest = cls(
            alpha=alpha,
            created_by=created_by,
            dataset=dataset,
            distance=distance,
            hidden_size=hidden_size,
            n_inputs=n_inputs,
            n_outputs=n_outputs,
            name=name,
            onnx=onnx,
            positive=positive,
            schema_version=schema_version,
            seed=seed,
            task=task,
            task_config=task_config,
            training=training,
            variant=variant,
            bio_init=bio_init,
            onnx_sha256=onnx_sha256,
            outcome=outcome,
        )


        model_manifest.additional_properties = d
        return model_manifest

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
