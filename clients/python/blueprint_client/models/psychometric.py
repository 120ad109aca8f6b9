from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.logistic_fit import LogisticFit
  from ..models.psychometric_point import PsychometricPoint





T = TypeVar("T", bound="Psychometric")



@_attrs_define
class Psychometric:
    """ A psychometric curve of perceptual-dm: P(choose θ = 0) against signed coherence
    (`+c` for a θ = 0 trial of coherence c, `−c` for a θ = π trial; 0 % pools both).

        Attributes:
            points (list[PsychometricPoint]): By increasing signed coherence.
            fit (LogisticFit | None | Unset):
            fit_error (None | str | Unset):
     """

    points: list[PsychometricPoint]
    fit: LogisticFit | None | Unset = UNSET
    fit_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.psychometric_point import PsychometricPoint
        from ..models.logistic_fit import LogisticFit
        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)



        fit: dict[str, Any] | None | Unset
        if isinstance(self.fit, Unset):
            fit = UNSET
        elif isinstance(self.fit, LogisticFit):
            fit = self.fit.to_dict()
        else:
            fit = self.fit

        fit_error: None | str | Unset
        if isinstance(self.fit_error, Unset):
            fit_error = UNSET
        else:
            fit_error = self.fit_error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "points": points,
        })
        if fit is not UNSET:
            field_dict["fit"] = fit
        if fit_error is not UNSET:
            field_dict["fit_error"] = fit_error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.logistic_fit import LogisticFit
        from ..models.psychometric_point import PsychometricPoint
        d = dict(src_dict)
        points = []
        _points = d.pop("points")
        for points_item_data in (_points):
            points_item = PsychometricPoint.from_dict(points_item_data)



            points.append(points_item)


        def _parse_fit(data: object) -> LogisticFit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                fit_type_1 = LogisticFit.from_dict(data)



                return fit_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LogisticFit | None | Unset, data)

        fit = _parse_fit(d.pop("fit", UNSET))


        def _parse_fit_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fit_error = _parse_fit_error(d.pop("fit_error", UNSET))


        psychometric = cls(
            points=points,
            fit=fit,
            fit_error=fit_error,
        )


        psychometric.additional_properties = d
        return psychometric

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
