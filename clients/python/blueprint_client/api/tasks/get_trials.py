from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.get_trials_array import check_get_trials_array
from ...models.get_trials_array import GetTrialsArray
from ...models.get_trials_format import check_get_trials_format
from ...models.get_trials_format import GetTrialsFormat
from ...models.problem import Problem
from ...models.task_kind import check_task_kind
from ...models.task_kind import TaskKind
from ...models.trials import Trials
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    task: TaskKind,
    *,
    n: int | Unset = 100,
    seed: int | Unset = 1,
    input_noise: float | Unset = UNSET,
    model_id: int | Unset = UNSET,
    format_: GetTrialsFormat | Unset = UNSET,
    array: GetTrialsArray | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["n"] = n

    params["seed"] = seed

    params["input_noise"] = input_noise

    params["model_id"] = model_id

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_

    params["format"] = json_format_

    json_array: str | Unset = UNSET
    if not isinstance(array, Unset):
        json_array = array

    params["array"] = json_array


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/{task}/trials".format(task=quote(str(task), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Trials | None:
    if response.status_code == 200:
        response_200 = Trials.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Trials]:
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
    n: int | Unset = 100,
    seed: int | Unset = 1,
    input_noise: float | Unset = UNSET,
    model_id: int | Unset = UNSET,
    format_: GetTrialsFormat | Unset = UNSET,
    array: GetTrialsArray | Unset = UNSET,

) -> Response[Problem | Trials]:
    """ Held-out trials of a task, from the generator the evaluator uses: as JSON (inputs, labels,
    conditions, timeline) or one array as `.npy`.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        n (int | Unset):  Default: 100.
        seed (int | Unset):  Default: 1.
        input_noise (float | Unset):
        model_id (int | Unset):
        format_ (GetTrialsFormat | Unset):
        array (GetTrialsArray | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Trials]
     """


    kwargs = _get_kwargs(
        task=task,
n=n,
seed=seed,
input_noise=input_noise,
model_id=model_id,
format_=format_,
array=array,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,
    n: int | Unset = 100,
    seed: int | Unset = 1,
    input_noise: float | Unset = UNSET,
    model_id: int | Unset = UNSET,
    format_: GetTrialsFormat | Unset = UNSET,
    array: GetTrialsArray | Unset = UNSET,

) -> Problem | Trials | None:
    """ Held-out trials of a task, from the generator the evaluator uses: as JSON (inputs, labels,
    conditions, timeline) or one array as `.npy`.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        n (int | Unset):  Default: 100.
        seed (int | Unset):  Default: 1.
        input_noise (float | Unset):
        model_id (int | Unset):
        format_ (GetTrialsFormat | Unset):
        array (GetTrialsArray | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Trials
     """


    return sync_detailed(
        task=task,
client=client,
n=n,
seed=seed,
input_noise=input_noise,
model_id=model_id,
format_=format_,
array=array,

    ).parsed

async def asyncio_detailed(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,
    n: int | Unset = 100,
    seed: int | Unset = 1,
    input_noise: float | Unset = UNSET,
    model_id: int | Unset = UNSET,
    format_: GetTrialsFormat | Unset = UNSET,
    array: GetTrialsArray | Unset = UNSET,

) -> Response[Problem | Trials]:
    """ Held-out trials of a task, from the generator the evaluator uses: as JSON (inputs, labels,
    conditions, timeline) or one array as `.npy`.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        n (int | Unset):  Default: 100.
        seed (int | Unset):  Default: 1.
        input_noise (float | Unset):
        model_id (int | Unset):
        format_ (GetTrialsFormat | Unset):
        array (GetTrialsArray | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Trials]
     """


    kwargs = _get_kwargs(
        task=task,
n=n,
seed=seed,
input_noise=input_noise,
model_id=model_id,
format_=format_,
array=array,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task: TaskKind,
    *,
    client: AuthenticatedClient | Client,
    n: int | Unset = 100,
    seed: int | Unset = 1,
    input_noise: float | Unset = UNSET,
    model_id: int | Unset = UNSET,
    format_: GetTrialsFormat | Unset = UNSET,
    array: GetTrialsArray | Unset = UNSET,

) -> Problem | Trials | None:
    """ Held-out trials of a task, from the generator the evaluator uses: as JSON (inputs, labels,
    conditions, timeline) or one array as `.npy`.

    Args:
        task (TaskKind): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        n (int | Unset):  Default: 100.
        seed (int | Unset):  Default: 1.
        input_noise (float | Unset):
        model_id (int | Unset):
        format_ (GetTrialsFormat | Unset):
        array (GetTrialsArray | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Trials
     """


    return (await asyncio_detailed(
        task=task,
client=client,
n=n,
seed=seed,
input_noise=input_noise,
model_id=model_id,
format_=format_,
array=array,

    )).parsed
