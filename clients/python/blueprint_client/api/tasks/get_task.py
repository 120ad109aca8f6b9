from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.task_info import TaskInfo
from ...models.task_kind import check_task_kind
from ...models.task_kind import TaskKind
from typing import cast



def _get_kwargs(
    task: TaskKind,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/{task}".format(task=quote(str(task), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TaskInfo | None:
    if response.status_code == 200:
        response_200 = TaskInfo.from_dict(response.json())



        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TaskInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | TaskInfo]:
    """ One task.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskInfo]
     """


    kwargs = _get_kwargs(
        task=task,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | TaskInfo | None:
    """ One task.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskInfo
     """


    return sync_detailed(
        task=task,
client=client,

    ).parsed

async def asyncio_detailed(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | TaskInfo]:
    """ One task.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskInfo]
     """


    kwargs = _get_kwargs(
        task=task,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | TaskInfo | None:
    """ One task.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskInfo
     """


    return (await asyncio_detailed(
        task=task,
client=client,

    )).parsed
