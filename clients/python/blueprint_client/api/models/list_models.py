from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.model_page import ModelPage
from ...models.problem import Problem
from ...models.task_kind import check_task_kind
from ...models.task_kind import TaskKind
from ...models.variant import check_variant
from ...models.variant import Variant
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    task: TaskKind | Unset = UNSET,
    variant: Variant | Unset = UNSET,
    positive: bool | Unset = UNSET,
    dataset: str | Unset = UNSET,
    field: str | Unset = UNSET,
    seed: int | Unset = UNSET,
    name_prefix: str | Unset = UNSET,
    min_val_accuracy: float | Unset = UNSET,
    max_val_accuracy: float | Unset = UNSET,
    tag: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_task: str | Unset = UNSET
    if not isinstance(task, Unset):
        json_task = task

    params["task"] = json_task

    json_variant: str | Unset = UNSET
    if not isinstance(variant, Unset):
        json_variant = variant

    params["variant"] = json_variant

    params["positive"] = positive

    params["dataset"] = dataset

    params["field"] = field

    params["seed"] = seed

    params["name_prefix"] = name_prefix

    params["min_val_accuracy"] = min_val_accuracy

    params["max_val_accuracy"] = max_val_accuracy

    params["tag"] = tag

    params["sort"] = sort

    params["limit"] = limit

    params["offset"] = offset

    params["page_token"] = page_token


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModelPage | Problem | None:
    if response.status_code == 200:
        response_200 = ModelPage.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ModelPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    task: TaskKind | Unset = UNSET,
    variant: Variant | Unset = UNSET,
    positive: bool | Unset = UNSET,
    dataset: str | Unset = UNSET,
    field: str | Unset = UNSET,
    seed: int | Unset = UNSET,
    name_prefix: str | Unset = UNSET,
    min_val_accuracy: float | Unset = UNSET,
    max_val_accuracy: float | Unset = UNSET,
    tag: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,

) -> Response[ModelPage | Problem]:
    """ Lists models, filtered, sorted (by ascending id unless `sort` says otherwise) and paginated.

    Args:
        task (TaskKind | Unset): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        variant (Variant | Unset): The eleven variants of the study. One list for the CLI, the API
            and the manifest.
        positive (bool | Unset):
        dataset (str | Unset):
        field (str | Unset):
        seed (int | Unset):
        name_prefix (str | Unset):
        min_val_accuracy (float | Unset):
        max_val_accuracy (float | Unset):
        tag (str | Unset):
        sort (str | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelPage | Problem]
     """


    kwargs = _get_kwargs(
        task=task,
variant=variant,
positive=positive,
dataset=dataset,
field=field,
seed=seed,
name_prefix=name_prefix,
min_val_accuracy=min_val_accuracy,
max_val_accuracy=max_val_accuracy,
tag=tag,
sort=sort,
limit=limit,
offset=offset,
page_token=page_token,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    task: TaskKind | Unset = UNSET,
    variant: Variant | Unset = UNSET,
    positive: bool | Unset = UNSET,
    dataset: str | Unset = UNSET,
    field: str | Unset = UNSET,
    seed: int | Unset = UNSET,
    name_prefix: str | Unset = UNSET,
    min_val_accuracy: float | Unset = UNSET,
    max_val_accuracy: float | Unset = UNSET,
    tag: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,

) -> ModelPage | Problem | None:
    """ Lists models, filtered, sorted (by ascending id unless `sort` says otherwise) and paginated.

    Args:
        task (TaskKind | Unset): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        variant (Variant | Unset): The eleven variants of the study. One list for the CLI, the API
            and the manifest.
        positive (bool | Unset):
        dataset (str | Unset):
        field (str | Unset):
        seed (int | Unset):
        name_prefix (str | Unset):
        min_val_accuracy (float | Unset):
        max_val_accuracy (float | Unset):
        tag (str | Unset):
        sort (str | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelPage | Problem
     """


    return sync_detailed(
        client=client,
task=task,
variant=variant,
positive=positive,
dataset=dataset,
field=field,
seed=seed,
name_prefix=name_prefix,
min_val_accuracy=min_val_accuracy,
max_val_accuracy=max_val_accuracy,
tag=tag,
sort=sort,
limit=limit,
offset=offset,
page_token=page_token,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    task: TaskKind | Unset = UNSET,
    variant: Variant | Unset = UNSET,
    positive: bool | Unset = UNSET,
    dataset: str | Unset = UNSET,
    field: str | Unset = UNSET,
    seed: int | Unset = UNSET,
    name_prefix: str | Unset = UNSET,
    min_val_accuracy: float | Unset = UNSET,
    max_val_accuracy: float | Unset = UNSET,
    tag: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,

) -> Response[ModelPage | Problem]:
    """ Lists models, filtered, sorted (by ascending id unless `sort` says otherwise) and paginated.

    Args:
        task (TaskKind | Unset): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        variant (Variant | Unset): The eleven variants of the study. One list for the CLI, the API
            and the manifest.
        positive (bool | Unset):
        dataset (str | Unset):
        field (str | Unset):
        seed (int | Unset):
        name_prefix (str | Unset):
        min_val_accuracy (float | Unset):
        max_val_accuracy (float | Unset):
        tag (str | Unset):
        sort (str | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelPage | Problem]
     """


    kwargs = _get_kwargs(
        task=task,
variant=variant,
positive=positive,
dataset=dataset,
field=field,
seed=seed,
name_prefix=name_prefix,
min_val_accuracy=min_val_accuracy,
max_val_accuracy=max_val_accuracy,
tag=tag,
sort=sort,
limit=limit,
offset=offset,
page_token=page_token,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    task: TaskKind | Unset = UNSET,
    variant: Variant | Unset = UNSET,
    positive: bool | Unset = UNSET,
    dataset: str | Unset = UNSET,
    field: str | Unset = UNSET,
    seed: int | Unset = UNSET,
    name_prefix: str | Unset = UNSET,
    min_val_accuracy: float | Unset = UNSET,
    max_val_accuracy: float | Unset = UNSET,
    tag: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,

) -> ModelPage | Problem | None:
    """ Lists models, filtered, sorted (by ascending id unless `sort` says otherwise) and paginated.

    Args:
        task (TaskKind | Unset): Which of the study's three tasks.

            Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
        variant (Variant | Unset): The eleven variants of the study. One list for the CLI, the API
            and the manifest.
        positive (bool | Unset):
        dataset (str | Unset):
        field (str | Unset):
        seed (int | Unset):
        name_prefix (str | Unset):
        min_val_accuracy (float | Unset):
        max_val_accuracy (float | Unset):
        tag (str | Unset):
        sort (str | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
task=task,
variant=variant,
positive=positive,
dataset=dataset,
field=field,
seed=seed,
name_prefix=name_prefix,
min_val_accuracy=min_val_accuracy,
max_val_accuracy=max_val_accuracy,
tag=tag,
sort=sort,
limit=limit,
offset=offset,
page_token=page_token,

    )).parsed
