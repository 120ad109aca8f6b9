from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.comparison_job import ComparisonJob
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    job_id: int,
    *,
    format_: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["format"] = format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/comparisons/{job_id}".format(job_id=quote(str(job_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ComparisonJob | Problem | None:
    if response.status_code == 200:
        response_200 = ComparisonJob.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

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
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    format_: str | Unset = UNSET,

) -> Response[ComparisonJob | Problem]:
    """ A comparison job's status and, once done, its result.

    Args:
        job_id (int):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    format_: str | Unset = UNSET,

) -> ComparisonJob | Problem | None:
    """ A comparison job's status and, once done, its result.

    Args:
        job_id (int):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
     """


    return sync_detailed(
        job_id=job_id,
client=client,
format_=format_,

    ).parsed

async def asyncio_detailed(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    format_: str | Unset = UNSET,

) -> Response[ComparisonJob | Problem]:
    """ A comparison job's status and, once done, its result.

    Args:
        job_id (int):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    format_: str | Unset = UNSET,

) -> ComparisonJob | Problem | None:
    """ A comparison job's status and, once done, its result.

    Args:
        job_id (int):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,
format_=format_,

    )).parsed
