from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.bio_source import BioSource
from ..models.bio_source import check_bio_source
from ..models.init_control import check_init_control
from ..models.init_control import InitControl
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BioInitConfig")



@_attrs_define
class BioInitConfig:
    """ The bio-init recipe. `Default` is the study's.

        Attributes:
            control (InitControl | Unset): Controls of the bio init that ask which of its properties helps. Default: 'none'.
            exclude_diagonal (bool | Unset): Min–max scale over off-diagonal entries and zero the diagonal. Default: False.
            floor (float | Unset):  Default: 0.01.
            lognormal_mu (float | Unset):  Default: -0.5.
            lognormal_sigma (float | Unset):  Default: 0.5.
            source (BioSource | Unset): Which activity matrices the bio init multiplies. Default: 'corr-sttc'.
            spectral_radius (float | Unset):  Default: 0.95.
            target_mean (float | Unset):  Default: 0.1.
     """

    control: InitControl | Unset = 'none'
    exclude_diagonal: bool | Unset = False
    floor: float | Unset = 0.01
    lognormal_mu: float | Unset = -0.5
    lognormal_sigma: float | Unset = 0.5
    source: BioSource | Unset = 'corr-sttc'
    spectral_radius: float | Unset = 0.95
    target_mean: float | Unset = 0.1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        control: str | Unset = UNSET
        if not isinstance(self.control, Unset):
            control = self.control


        exclude_diagonal = self.exclude_diagonal

        floor = self.floor

        lognormal_mu = self.lognormal_mu

        lognormal_sigma = self.lognormal_sigma

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source


        spectral_radius = self.spectral_radius

        target_mean = self.target_mean


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if control is not UNSET:
            field_dict["control"] = control
        if exclude_diagonal is not UNSET:
            field_dict["exclude_diagonal"] = exclude_diagonal
        if floor is not UNSET:
            field_dict["floor"] = floor
        if lognormal_mu is not UNSET:
            field_dict["lognormal_mu"] = lognormal_mu
        if lognormal_sigma is not UNSET:
            field_dict["lognormal_sigma"] = lognormal_sigma
        if source is not UNSET:
            field_dict["source"] = source
        if spectral_radius is not UNSET:
            field_dict["spectral_radius"] = spectral_radius
        if target_mean is not UNSET:
            field_dict["target_mean"] = target_mean

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _control = d.pop("control", UNSET)
        control: InitControl | Unset
        if isinstance(_control,  Unset):
            control = UNSET
        else:
            control = check_init_control(_control)




        exclude_diagonal = d.pop("exclude_diagonal", UNSET)

        floor = d.pop("floor", UNSET)

        lognormal_mu = d.pop("lognormal_mu", UNSET)

        lognormal_sigma = d.pop("lognormal_sigma", UNSET)

        _source = d.pop("source", UNSET)
        source: BioSource | Unset
        if isinstance(_source,  Unset):
            source = UNSET
        else:
            source = check_bio_source(_source)




        spectral_radius = d.pop("spectral_radius", UNSET)

        target_mean = d.pop("target_mean", UNSET)

        bio_init_config = cls(
            control=control,
            exclude_diagonal=exclude_diagonal,
            floor=floor,
            lognormal_mu=lognormal_mu,
            lognormal_sigma=lognormal_sigma,
            source=source,
            spectral_radius=spectral_radius,
            target_mean=target_mean,
        )


        bio_init_config.additional_properties = d
        return bio_init_config

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
