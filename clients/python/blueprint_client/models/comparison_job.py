from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_status import check_job_status
from ..models.job_status import JobStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.comparison_request import ComparisonRequest
  from ..models.comparison_result import ComparisonResult
  from ..models.problem import Problem
  from ..models.progress import Progress





T = TypeVar("T", bound="ComparisonJob")



@_attrs_define
class ComparisonJob:
    """ A comparison job: where it is and, once done, what it found.

        Example:
            {'attempts': 1, 'created_at': '2026-11-30T10:00:00.000Z', 'finished_at': None, 'job_id': 4, 'progress': {'done':
                120, 'total': 660}, 'request': {'filter': {'dataset': None, 'field': '6_6_2', 'positive': None}, 'group_by':
                'variant', 'measures': ['accuracy', 'entropy'], 'n_nulls': 1000, 'n_trials': 2560, 'seed': 12345, 'task': 'go-
                nogo', 'threshold_quantile': 0.9}, 'started_at': '2026-11-30T10:00:00.012Z', 'status': 'running', 'status_url':
                '/api/v1/comparisons/4'}

        Attributes:
            created_at (str): RFC 3339, UTC.
            job_id (int):
            progress (Progress): How far a job is.
            request (ComparisonRequest): What to compare. Example: {'filter': {'field': '5_3_4', 'positive': False},
                'group_by': 'variant', 'measures': ['accuracy', 'entropy', 'modularity', 'small-world'], 'n_trials': 2560,
                'seed': 12345, 'task': 'go-nogo'}.
            status (JobStatus): Where a job is in its life.
            status_url (str): Where to poll this job: `GET` it until `status` is `done` or `failed`.
            attempts (int | Unset): How many times a replica started the job: more than 1 when the replica running it
                stopped and another took it over (from the start; measured models are cached).
            finished_at (None | str | Unset):
            problem (None | Problem | Unset):
            replica (None | str | Unset): The replica running the job (`host:pid`), while it is running.
            result (ComparisonResult | None | Unset):
            started_at (None | str | Unset):
     """

    created_at: str
    job_id: int
    progress: Progress
    request: ComparisonRequest
    status: JobStatus
    status_url: str
    attempts: int | Unset = UNSET
    finished_at: None | str | Unset = UNSET
    problem: None | Problem | Unset = UNSET
    replica: None | str | Unset = UNSET
    result: ComparisonResult | None | Unset = UNSET
    started_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.problem import Problem
        from ..models.comparison_request import ComparisonRequest
        from ..models.progress import Progress
        from ..models.comparison_result import ComparisonResult
        created_at = self.created_at

        job_id = self.job_id

        progress = self.progress.to_dict()

        request = self.request.to_dict()

        status: str = self.status

        status_url = self.status_url

        attempts = self.attempts

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, Problem):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        replica: None | str | Unset
        if isinstance(self.replica, Unset):
            replica = UNSET
        else:
            replica = self.replica

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ComparisonResult):
            result = self.result.to_dict()
        else:
            result = self.result

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "job_id": job_id,
            "progress": progress,
            "request": request,
            "status": status,
            "status_url": status_url,
        })
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if problem is not UNSET:
            field_dict["problem"] = problem
        if replica is not UNSET:
            field_dict["replica"] = replica
        if result is not UNSET:
            field_dict["result"] = result
        if started_at is not UNSET:
            field_dict["started_at"] = started_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comparison_request import ComparisonRequest
        from ..models.comparison_result import ComparisonResult
        from ..models.problem import Problem
        from ..models.progress import Progress
        d = dict(src_dict)
        created_at = d.pop("created_at")

        job_id = d.pop("job_id")

        progress = Progress.from_dict(d.pop("progress"))




        request = ComparisonRequest.from_dict(d.pop("request"))




        status = check_job_status(d.pop("status"))




        status_url = d.pop("status_url")

        attempts = d.pop("attempts", UNSET)

        def _parse_finished_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))


        def _parse_problem(data: object) -> None | Problem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_1 = Problem.from_dict(data)



                return problem_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Problem | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))


        def _parse_replica(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replica = _parse_replica(d.pop("replica", UNSET))


        def _parse_result(data: object) -> ComparisonResult | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_1 = ComparisonResult.from_dict(data)



                return result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ComparisonResult | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))


        def _parse_started_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))


        comparison_job = cls(
            created_at=created_at,
            job_id=job_id,
            progress=progress,
            request=request,
            status=status,
            status_url=status_url,
            attempts=attempts,
            finished_at=finished_at,
            problem=problem,
            replica=replica,
            result=result,
            started_at=started_at,
        )


        comparison_job.additional_properties = d
        return comparison_job

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
