from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.variant import check_variant
from ..models.variant import Variant
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.mann_whitney import MannWhitney





T = TypeVar("T", bound="PairwiseTest")



@_attrs_define
class PairwiseTest:
    """ Groups `a` and `b` compared on one measure.

        Attributes:
            a (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
            b (Variant): The eleven variants of the study. One list for the CLI, the API and the manifest.
            cliffs_delta (float | None | Unset): Cliff's δ of `a` against `b`, `P(a > b) − P(a < b)` (equal to the rank-
                biserial
                correlation).
            mann_whitney (MannWhitney | None | Unset):
            p_holm (float | None | Unset): The test's p-value after Holm's adjustment over this measure's pairs.
            undefined (None | str | Unset): Why the test is null.
     """

    a: Variant
    b: Variant
    cliffs_delta: float | None | Unset = UNSET
    mann_whitney: MannWhitney | None | Unset = UNSET
    p_holm: float | None | Unset = UNSET
    undefined: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.mann_whitney import MannWhitney
        a: str = self.a

        b: str = self.b

        cliffs_delta: float | None | Unset
        if isinstance(self.cliffs_delta, Unset):
            cliffs_delta = UNSET
        else:
            cliffs_delta = self.cliffs_delta

        mann_whitney: dict[str, Any] | None | Unset
        if isinstance(self.mann_whitney, Unset):
            mann_whitney = UNSET
        elif isinstance(self.mann_whitney, MannWhitney):
            mann_whitney = self.mann_whitney.to_dict()
        else:
            mann_whitney = self.mann_whitney

        p_holm: float | None | Unset
        if isinstance(self.p_holm, Unset):
            p_holm = UNSET
        else:
            p_holm = self.p_holm

        undefined: None | str | Unset
        if isinstance(self.undefined, Unset):
            undefined = UNSET
        else:
            undefined = self.undefined


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "a": a,
            "b": b,
        })
        if cliffs_delta is not UNSET:
            field_dict["cliffs_delta"] = cliffs_delta
        if mann_whitney is not UNSET:
            field_dict["mann_whitney"] = mann_whitney
        if p_holm is not UNSET:
            field_dict["p_holm"] = p_holm
        if undefined is not UNSET:
            field_dict["undefined"] = undefined

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mann_whitney import MannWhitney
        d = dict(src_dict)
        a = check_variant(d.pop("a"))




        b = check_variant(d.pop("b"))




        def _parse_cliffs_delta(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        cliffs_delta = _parse_cliffs_delta(d.pop("cliffs_delta", UNSET))


        def _parse_mann_whitney(data: object) -> MannWhitney | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mann_whitney_type_1 = MannWhitney.from_dict(data)



                return mann_whitney_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MannWhitney | None | Unset, data)

        mann_whitney = _parse_mann_whitney(d.pop("mann_whitney", UNSET))


        def _parse_p_holm(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        p_holm = _parse_p_holm(d.pop("p_holm", UNSET))


        def _parse_undefined(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        undefined = _parse_undefined(d.pop("undefined", UNSET))


        pairwise_test = cls(
            a=a,
            b=b,
            cliffs_delta=cliffs_delta,
            mann_whitney=mann_whitney,
            p_holm=p_holm,
            undefined=undefined,
        )


        pairwise_test.additional_properties = d
        return pairwise_test

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
