from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.condition_type_0_task import check_condition_type_0_task
from ..models.condition_type_0_task import ConditionType0Task
from ..models.direction import check_direction
from ..models.direction import Direction
from typing import cast






T = TypeVar("T", bound="ConditionType0")



@_attrs_define
class ConditionType0:
    """ One of the eight maze problems.

        Attributes:
            choices (list[Direction]): The two offered directions, in the order the problem lists them.
            goal (int): The goal location (7, 9, 17 or 19).
            problem (int): Index into [`one_choice_inference::MAZE_PROBLEMS`].
            task (ConditionType0Task):
     """

    choices: list[Direction]
    goal: int
    problem: int
    task: ConditionType0Task
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        choices = []
        for choices_item_data in self.choices:
            choices_item: str = choices_item_data
            choices.append(choices_item)



        goal = self.goal

        problem = self.problem

        task: str = self.task


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "choices": choices,
            "goal": goal,
            "problem": problem,
            "task": task,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        choices = []
        _choices = d.pop("choices")
        for choices_item_data in (_choices):
            choices_item = check_direction(choices_item_data)



            choices.append(choices_item)


        goal = d.pop("goal")

        problem = d.pop("problem")

        task = check_condition_type_0_task(d.pop("task"))




        condition_type_0 = cls(
            choices=choices,
            goal=goal,
            problem=problem,
            task=task,
        )


        condition_type_0.additional_properties = d
        return condition_type_0

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
