from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.training_mode import check_training_mode
from ..models.training_mode import TrainingMode
from ..models.variant import check_variant
from ..models.variant import Variant
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ComparisonFilter")



@_attrs_define
class ComparisonFilter:
    """ Filters on the task's models, combined with AND; absent fields match everything.

        Attributes:
            dataset (None | str | Unset): Only this dataset (bundle name, or `synthetic`).
            epochs (int | None | Unset): Only models trained for this many epochs.
            field (None | str | Unset): Only this field key, e.g. `6_6_2`.
            lambda_ (float | None | Unset): Only models trained with this λ.
            mode (None | TrainingMode | Unset):
            model_ids (list[int] | None | Unset): Only these models (at most 10,000 ids).
            positive (bool | None | Unset): Only positive (true) or unconstrained (false) networks.
            seed_max (int | None | Unset): Only training seeds at most this.
            seed_min (int | None | Unset): Only training seeds at least this.
            variants (list[Variant] | None | Unset): Only these variants.
     """

    dataset: None | str | Unset = UNSET
    epochs: int | None | Unset = UNSET
    field: None | str | Unset = UNSET
    lambda_: float | None | Unset = UNSET
    mode: None | TrainingMode | Unset = UNSET
    model_ids: list[int] | None | Unset = UNSET
    positive: bool | None | Unset = UNSET
    seed_max: int | None | Unset = UNSET
    seed_min: int | None | Unset = UNSET
    variants: list[Variant] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        dataset: None | str | Unset
        if isinstance(self.dataset, Unset):
            dataset = UNSET
        else:
            dataset = self.dataset

        epochs: int | None | Unset
        if isinstance(self.epochs, Unset):
            epochs = UNSET
        else:
            epochs = self.epochs

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        lambda_: float | None | Unset
        if isinstance(self.lambda_, Unset):
            lambda_ = UNSET
        else:
            lambda_ = self.lambda_

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, str):
            mode = self.mode
        else:
            mode = self.mode

        model_ids: list[int] | None | Unset
        if isinstance(self.model_ids, Unset):
            model_ids = UNSET
        elif isinstance(self.model_ids, list):
            model_ids = self.model_ids


        else:
            model_ids = self.model_ids

        positive: bool | None | Unset
        if isinstance(self.positive, Unset):
            positive = UNSET
        else:
            positive = self.positive

        seed_max: int | None | Unset
        if isinstance(self.seed_max, Unset):
            seed_max = UNSET
        else:
            seed_max = self.seed_max

        seed_min: int | None | Unset
        if isinstance(self.seed_min, Unset):
            seed_min = UNSET
        else:
            seed_min = self.seed_min

        variants: list[str] | None | Unset
        if isinstance(self.variants, Unset):
            variants = UNSET
        elif isinstance(self.variants, list):
            variants = []
            for variants_type_0_item_data in self.variants:
                variants_type_0_item: str = variants_type_0_item_data
                variants.append(variants_type_0_item)


        else:
            variants = self.variants


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if dataset is not UNSET:
            field_dict["dataset"] = dataset
        if epochs is not UNSET:
            field_dict["epochs"] = epochs
        if field is not UNSET:
            field_dict["field"] = field
        if lambda_ is not UNSET:
            field_dict["lambda"] = lambda_
        if mode is not UNSET:
            field_dict["mode"] = mode
        if model_ids is not UNSET:
            field_dict["model_ids"] = model_ids
        if positive is not UNSET:
            field_dict["positive"] = positive
        if seed_max is not UNSET:
            field_dict["seed_max"] = seed_max
        if seed_min is not UNSET:
            field_dict["seed_min"] = seed_min
        if variants is not UNSET:
            field_dict["variants"] = variants

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_dataset(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dataset = _parse_dataset(d.pop("dataset", UNSET))


        def _parse_epochs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        epochs = _parse_epochs(d.pop("epochs", UNSET))


        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))


        def _parse_lambda_(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        lambda_ = _parse_lambda_(d.pop("lambda", UNSET))


        def _parse_mode(data: object) -> None | TrainingMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_1 = check_training_mode(data)



                return mode_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingMode | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))


        def _parse_model_ids(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                model_ids_type_0 = cast(list[int], data)

                return model_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        model_ids = _parse_model_ids(d.pop("model_ids", UNSET))


        def _parse_positive(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        positive = _parse_positive(d.pop("positive", UNSET))


        def _parse_seed_max(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed_max = _parse_seed_max(d.pop("seed_max", UNSET))


        def _parse_seed_min(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed_min = _parse_seed_min(d.pop("seed_min", UNSET))


        def _parse_variants(data: object) -> list[Variant] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                variants_type_0 = []
                _variants_type_0 = data
                for variants_type_0_item_data in (_variants_type_0):
                    variants_type_0_item = check_variant(variants_type_0_item_data)



                    variants_type_0.append(variants_type_0_item)

                return variants_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Variant] | None | Unset, data)

        variants = _parse_variants(d.pop("variants", UNSET))


        comparison_filter = cls(
            dataset=dataset,
            epochs=epochs,
            field=field,
            lambda_=lambda_,
            mode=mode,
            model_ids=model_ids,
            positive=positive,
            seed_max=seed_max,
            seed_min=seed_min,
            variants=variants,
        )

        return comparison_filter

