from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.penalty_normalisation import check_penalty_normalisation
from ..models.penalty_normalisation import PenaltyNormalisation
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.compat_flags import CompatFlags





T = TypeVar("T", bound="TrainingProtocol")



@_attrs_define
class TrainingProtocol:
    """ The training protocol. `Default` is the study's (see `shared/STUDY.md`), with Blueprint's
    corrections of the reference code's defects on and each compatibility switch off.

        Attributes:
            batch_size (int | Unset):  Default: 128.
            beta1 (float | Unset):  Default: 0.9.
            beta2 (float | Unset):  Default: 0.999.
            compat (CompatFlags | Unset): Switches that restore a defect of the study's reference code, to reproduce its
                numbers and
                measure the correction. All off by default. (The distance defect is
                `DistanceSpec::Real { mode: Compat }`.)
            epochs (int | Unset):  Default: 10.
            epsilon (float | Unset):  Default: 1e-07.
            input_noise (float | Unset): σ of the Gaussian input noise, training only. Default: 0.05.
            lambda_ (float | Unset): λ of the weight penalty. Default: 0.3.
            lambda_emd (float | Unset): λ_EMD of the `C*` variants' distribution term. Default: 0.1.
            learning_rate (float | Unset): Adam learning rate, β1, β2, ε (Keras defaults). Default: 0.001.
            penalty_normalisation (PenaltyNormalisation | Unset): Sum or mean of the penalty's N² entries. The EMD term of
                the `C*` variants is a mean in
                either case. Default: 'sum'.
            train_trials (int | Unset):  Default: 5120.
            val_trials (int | Unset):  Default: 2560.
     """

    batch_size: int | Unset = 128
    beta1: float | Unset = 0.9
    beta2: float | Unset = 0.999
    compat: CompatFlags | Unset = UNSET
    epochs: int | Unset = 10
    epsilon: float | Unset = 1e-07
    input_noise: float | Unset = 0.05
    lambda_: float | Unset = 0.3
    lambda_emd: float | Unset = 0.1
    learning_rate: float | Unset = 0.001
    penalty_normalisation: PenaltyNormalisation | Unset = 'sum'
    train_trials: int | Unset = 5120
    val_trials: int | Unset = 2560
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.compat_flags import CompatFlags
        batch_size = self.batch_size

        beta1 = self.beta1

        beta2 = self.beta2

        compat: dict[str, Any] | Unset = UNSET
        if not isinstance(self.compat, Unset):
            compat = self.compat.to_dict()

        epochs = self.epochs

        epsilon = self.epsilon

        input_noise = self.input_noise

        lambda_ = self.lambda_

        lambda_emd = self.lambda_emd

        learning_rate = self.learning_rate

        penalty_normalisation: str | Unset = UNSET
        if not isinstance(self.penalty_normalisation, Unset):
            penalty_normalisation = self.penalty_normalisation


        train_trials = self.train_trials

        val_trials = self.val_trials


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if beta1 is not UNSET:
            field_dict["beta1"] = beta1
        if beta2 is not UNSET:
            field_dict["beta2"] = beta2
        if compat is not UNSET:
            field_dict["compat"] = compat
        if epochs is not UNSET:
            field_dict["epochs"] = epochs
        if epsilon is not UNSET:
            field_dict["epsilon"] = epsilon
        if input_noise is not UNSET:
            field_dict["input_noise"] = input_noise
        if lambda_ is not UNSET:
            field_dict["lambda"] = lambda_
        if lambda_emd is not UNSET:
            field_dict["lambda_emd"] = lambda_emd
        if learning_rate is not UNSET:
            field_dict["learning_rate"] = learning_rate
        if penalty_normalisation is not UNSET:
            field_dict["penalty_normalisation"] = penalty_normalisation
        if train_trials is not UNSET:
            field_dict["train_trials"] = train_trials
        if val_trials is not UNSET:
            field_dict["val_trials"] = val_trials

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compat_flags import CompatFlags
        d = dict(src_dict)
        batch_size = d.pop("batch_size", UNSET)

        beta1 = d.pop("beta1", UNSET)

        beta2 = d.pop("beta2", UNSET)

        _compat = d.pop("compat", UNSET)
        compat: CompatFlags | Unset
        if isinstance(_compat,  Unset):
            compat = UNSET
        else:
            compat = CompatFlags.from_dict(_compat)




        epochs = d.pop("epochs", UNSET)

        epsilon = d.pop("epsilon", UNSET)

        input_noise = d.pop("input_noise", UNSET)

        lambda_ = d.pop("lambda", UNSET)

        lambda_emd = d.pop("lambda_emd", UNSET)

        learning_rate = d.pop("learning_rate", UNSET)

        _penalty_normalisation = d.pop("penalty_normalisation", UNSET)
        penalty_normalisation: PenaltyNormalisation | Unset
        if isinstance(_penalty_normalisation,  Unset):
            penalty_normalisation = UNSET
        else:
            penalty_normalisation = check_penalty_normalisation(_penalty_normalisation)




        train_trials = d.pop("train_trials", UNSET)

        val_trials = d.pop("val_trials", UNSET)

        training_protocol = cls(
            batch_size=batch_size,
            beta1=beta1,
            beta2=beta2,
            compat=compat,
            epochs=epochs,
            epsilon=epsilon,
            input_noise=input_noise,
            lambda_=lambda_,
            lambda_emd=lambda_emd,
            learning_rate=learning_rate,
            penalty_normalisation=penalty_normalisation,
            train_trials=train_trials,
            val_trials=val_trials,
        )


        training_protocol.additional_properties = d
        return training_protocol

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
