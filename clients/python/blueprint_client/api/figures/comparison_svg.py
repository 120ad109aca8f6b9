from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    job_id: int,
    file: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/comparisons/{job_id}/figures/{file}".format(job_id=quote(str(job_id), safe=""),file=quote(str(file), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: int,
    file: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem]:
    """ One measure of a finished comparison (`{measure}.svg`, e.g. `accuracy.svg`): every model
    as a point, each group's mean and 95% t-interval.

    Args:
        job_id (int):
        file (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
file=file,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: int,
    file: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | None:
    """ One measure of a finished comparison (`{measure}.svg`, e.g. `accuracy.svg`): every model
    as a point, each group's mean and 95% t-interval.

    Args:
        job_id (int):
        file (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        job_id=job_id,
file=file,
client=client,

    ).parsed

async def asyncio_detailed(
    job_id: int,
    file: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem]:
    """ One measure of a finished comparison (`{measure}.svg`, e.g. `accuracy.svg`): every model
    as a point, each group's mean and 95% t-interval.

    Args:
        job_id (int):
        file (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
file=file,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: int,
    file: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | None:
    """ One measure of a finished comparison (`{measure}.svg`, e.g. `accuracy.svg`): every model
    as a point, each group's mean and 95% t-interval.

    Args:
        job_id (int):
        file (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        job_id=job_id,
file=file,
client=client,

    )).parsed
