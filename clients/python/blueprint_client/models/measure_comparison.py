from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.group_summary import GroupSummary
  from ..models.kruskal_wallis import KruskalWallis
  from ..models.pairwise_test import PairwiseTest





T = TypeVar("T", bound="MeasureComparison")



@_attrs_define
class MeasureComparison:
    """ The comparison of the groups on one measure.

        Attributes:
            groups (list[GroupSummary]): One entry per group, in the comparison's group order.
            measure (str):
            pairwise (list[PairwiseTest]): Every pair of groups `(a, b)`, `a` before `b` in group order.
            kruskal_wallis (KruskalWallis | None | Unset):
            kruskal_wallis_undefined (None | str | Unset): Why `kruskal_wallis` is null.
     """

    groups: list[GroupSummary]
    measure: str
    pairwise: list[PairwiseTest]
    kruskal_wallis: KruskalWallis | None | Unset = UNSET
    kruskal_wallis_undefined: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.pairwise_test import PairwiseTest
        from ..models.kruskal_wallis import KruskalWallis
        from ..models.group_summary import GroupSummary
        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)



        measure = self.measure

        pairwise = []
        for pairwise_item_data in self.pairwise:
            pairwise_item = pairwise_item_data.to_dict()
            pairwise.append(pairwise_item)



        kruskal_wallis: dict[str, Any] | None | Unset
        if isinstance(self.kruskal_wallis, Unset):
            kruskal_wallis = UNSET
        elif isinstance(self.kruskal_wallis, KruskalWallis):
            kruskal_wallis = self.kruskal_wallis.to_dict()
        else:
            kruskal_wallis = self.kruskal_wallis

        kruskal_wallis_undefined: None | str | Unset
        if isinstance(self.kruskal_wallis_undefined, Unset):
            kruskal_wallis_undefined = UNSET
        else:
            kruskal_wallis_undefined = self.kruskal_wallis_undefined


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "groups": groups,
            "measure": measure,
            "pairwise": pairwise,
        })
        if kruskal_wallis is not UNSET:
            field_dict["kruskal_wallis"] = kruskal_wallis
        if kruskal_wallis_undefined is not UNSET:
            field_dict["kruskal_wallis_undefined"] = kruskal_wallis_undefined

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_summary import GroupSummary
        from ..models.kruskal_wallis import KruskalWallis
        from ..models.pairwise_test import PairwiseTest
        d = dict(src_dict)
        groups = []
        _groups = d.pop("groups")
        for groups_item_data in (_groups):
            groups_item = GroupSummary.from_dict(groups_item_data)



            groups.append(groups_item)


        measure = d.pop("measure")

        pairwise = []
        _pairwise = d.pop("pairwise")
        for pairwise_item_data in (_pairwise):
            pairwise_item = PairwiseTest.from_dict(pairwise_item_data)



            pairwise.append(pairwise_item)


        def _parse_kruskal_wallis(data: object) -> KruskalWallis | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                kruskal_wallis_type_1 = KruskalWallis.from_dict(data)



                return kruskal_wallis_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KruskalWallis | None | Unset, data)

        kruskal_wallis = _parse_kruskal_wallis(d.pop("kruskal_wallis", UNSET))


        def _parse_kruskal_wallis_undefined(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kruskal_wallis_undefined = _parse_kruskal_wallis_undefined(d.pop("kruskal_wallis_undefined", UNSET))


        measure_comparison = cls(
            groups=groups,
            measure=measure,
            pairwise=pairwise,
            kruskal_wallis=kruskal_wallis,
            kruskal_wallis_undefined=kruskal_wallis_undefined,
        )


        measure_comparison.additional_properties = d
        return measure_comparison

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
