from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.comparison_job import ComparisonJob
from ...models.comparison_request import ComparisonRequest
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: ComparisonRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/comparisons",
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ComparisonJob | Problem | None:
    if response.status_code == 202:
        response_202 = ComparisonJob.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ComparisonJob | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ComparisonRequest,

) -> Response[ComparisonJob | Problem]:
    """ Starts a comparison of groups of models; answers with the job to poll.

     Accuracy is held-out accuracy from the evaluation path (`POST /models/{id}/evaluate`, with
    its cache) on the model's own task configuration; metrics come from `GET
    /models/{id}/metrics` (with its cache). For each measure the result has, per group, n,
    mean, SD, the 95% t-interval and the seeded bootstrap interval of the mean; the
    Kruskal–Wallis test; every pairwise two-sided Mann–Whitney test with Holm-adjusted p,
    Cliff's δ and the rank-biserial correlation; and the table in the layout of the study's
    Table 2 (variants as rows, measures as columns, `mean (low, high)` with the t-interval) as
    CSV and Markdown. Models are grouped by variant; the filter must select at least two
    variants with at least two models each.

    The comparison runs as a job (one at a time on each replica, oldest first): this answers
    202 at once with a `Location` to poll (`GET /comparisons/{job_id}`).

    Args:
        body (ComparisonRequest): What to compare. Example: {'filter': {'field': '5_3_4',
            'positive': False}, 'group_by': 'variant', 'measures': ['accuracy', 'entropy',
            'modularity', 'small-world'], 'n_trials': 2560, 'seed': 12345, 'task': 'go-nogo'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: ComparisonRequest,

) -> ComparisonJob | Problem | None:
    """ Starts a comparison of groups of models; answers with the job to poll.

     Accuracy is held-out accuracy from the evaluation path (`POST /models/{id}/evaluate`, with
    its cache) on the model's own task configuration; metrics come from `GET
    /models/{id}/metrics` (with its cache). For each measure the result has, per group, n,
    mean, SD, the 95% t-interval and the seeded bootstrap interval of the mean; the
    Kruskal–Wallis test; every pairwise two-sided Mann–Whitney test with Holm-adjusted p,
    Cliff's δ and the rank-biserial correlation; and the table in the layout of the study's
    Table 2 (variants as rows, measures as columns, `mean (low, high)` with the t-interval) as
    CSV and Markdown. Models are grouped by variant; the filter must select at least two
    variants with at least two models each.

    The comparison runs as a job (one at a time on each replica, oldest first): this answers
    202 at once with a `Location` to poll (`GET /comparisons/{job_id}`).

    Args:
        body (ComparisonRequest): What to compare. Example: {'filter': {'field': '5_3_4',
            'positive': False}, 'group_by': 'variant', 'measures': ['accuracy', 'entropy',
            'modularity', 'small-world'], 'n_trials': 2560, 'seed': 12345, 'task': 'go-nogo'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ComparisonRequest,

) -> Response[ComparisonJob | Problem]:
    """ Starts a comparison of groups of models; answers with the job to poll.

     Accuracy is held-out accuracy from the evaluation path (`POST /models/{id}/evaluate`, with
    its cache) on the model's own task configuration; metrics come from `GET
    /models/{id}/metrics` (with its cache). For each measure the result has, per group, n,
    mean, SD, the 95% t-interval and the seeded bootstrap interval of the mean; the
    Kruskal–Wallis test; every pairwise two-sided Mann–Whitney test with Holm-adjusted p,
    Cliff's δ and the rank-biserial correlation; and the table in the layout of the study's
    Table 2 (variants as rows, measures as columns, `mean (low, high)` with the t-interval) as
    CSV and Markdown. Models are grouped by variant; the filter must select at least two
    variants with at least two models each.

    The comparison runs as a job (one at a time on each replica, oldest first): this answers
    202 at once with a `Location` to poll (`GET /comparisons/{job_id}`).

    Args:
        body (ComparisonRequest): What to compare. Example: {'filter': {'field': '5_3_4',
            'positive': False}, 'group_by': 'variant', 'measures': ['accuracy', 'entropy',
            'modularity', 'small-world'], 'n_trials': 2560, 'seed': 12345, 'task': 'go-nogo'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ComparisonRequest,

) -> ComparisonJob | Problem | None:
    """ Starts a comparison of groups of models; answers with the job to poll.

     Accuracy is held-out accuracy from the evaluation path (`POST /models/{id}/evaluate`, with
    its cache) on the model's own task configuration; metrics come from `GET
    /models/{id}/metrics` (with its cache). For each measure the result has, per group, n,
    mean, SD, the 95% t-interval and the seeded bootstrap interval of the mean; the
    Kruskal–Wallis test; every pairwise two-sided Mann–Whitney test with Holm-adjusted p,
    Cliff's δ and the rank-biserial correlation; and the table in the layout of the study's
    Table 2 (variants as rows, measures as columns, `mean (low, high)` with the t-interval) as
    CSV and Markdown. Models are grouped by variant; the filter must select at least two
    variants with at least two models each.

    The comparison runs as a job (one at a time on each replica, oldest first): this answers
    202 at once with a `Location` to poll (`GET /comparisons/{job_id}`).

    Args:
        body (ComparisonRequest): What to compare. Example: {'filter': {'field': '5_3_4',
            'positive': False}, 'group_by': 'variant', 'measures': ['accuracy', 'entropy',
            'modularity', 'small-world'], 'n_trials': 2560, 'seed': 12345, 'task': 'go-nogo'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
