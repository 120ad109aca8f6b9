from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.model_metrics import ModelMetrics
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: int,
    *,
    threshold_quantile: float | Unset = UNSET,
    n_nulls: int | Unset = UNSET,
    seed: int | Unset = UNSET,
    metrics: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["threshold_quantile"] = threshold_quantile

    params["n_nulls"] = n_nulls

    params["seed"] = seed

    params["metrics"] = metrics


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models/{id}/metrics".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModelMetrics | Problem | None:
    if response.status_code == 200:
        response_200 = ModelMetrics.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ModelMetrics | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    threshold_quantile: float | Unset = UNSET,
    n_nulls: int | Unset = UNSET,
    seed: int | Unset = UNSET,
    metrics: str | Unset = UNSET,

) -> Response[ModelMetrics | Problem]:
    """ Network-structure metrics of the model's `W_rec`.

     Computed on the inference pool (null models over all its threads) and cached per (model,
    parameters): a repeat is served from the store, to readers; computing a missing report needs
    the write token when the server has one. Identical concurrent requests are computed once; a
    request whose work estimate (nulls × N²) exceeds `--max-metrics-work` is refused, and one
    past the request deadline is stopped.

    Args:
        id (int):
        threshold_quantile (float | Unset):
        n_nulls (int | Unset):
        seed (int | Unset):
        metrics (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelMetrics | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
threshold_quantile=threshold_quantile,
n_nulls=n_nulls,
seed=seed,
metrics=metrics,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    threshold_quantile: float | Unset = UNSET,
    n_nulls: int | Unset = UNSET,
    seed: int | Unset = UNSET,
    metrics: str | Unset = UNSET,

) -> ModelMetrics | Problem | None:
    """ Network-structure metrics of the model's `W_rec`.

     Computed on the inference pool (null models over all its threads) and cached per (model,
    parameters): a repeat is served from the store, to readers; computing a missing report needs
    the write token when the server has one. Identical concurrent requests are computed once; a
    request whose work estimate (nulls × N²) exceeds `--max-metrics-work` is refused, and one
    past the request deadline is stopped.

    Args:
        id (int):
        threshold_quantile (float | Unset):
        n_nulls (int | Unset):
        seed (int | Unset):
        metrics (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelMetrics | Problem
     """


    return sync_detailed(
        id=id,
client=client,
threshold_quantile=threshold_quantile,
n_nulls=n_nulls,
seed=seed,
metrics=metrics,

    ).parsed

async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    threshold_quantile: float | Unset = UNSET,
    n_nulls: int | Unset = UNSET,
    seed: int | Unset = UNSET,
    metrics: str | Unset = UNSET,

) -> Response[ModelMetrics | Problem]:
    """ Network-structure metrics of the model's `W_rec`.

     Computed on the inference pool (null models over all its threads) and cached per (model,
    parameters): a repeat is served from the store, to readers; computing a missing report needs
    the write token when the server has one. Identical concurrent requests are computed once; a
    request whose work estimate (nulls × N²) exceeds `--max-metrics-work` is refused, and one
    past the request deadline is stopped.

    Args:
        id (int):
        threshold_quantile (float | Unset):
        n_nulls (int | Unset):
        seed (int | Unset):
        metrics (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelMetrics | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
threshold_quantile=threshold_quantile,
n_nulls=n_nulls,
seed=seed,
metrics=metrics,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    threshold_quantile: float | Unset = UNSET,
    n_nulls: int | Unset = UNSET,
    seed: int | Unset = UNSET,
    metrics: str | Unset = UNSET,

) -> ModelMetrics | Problem | None:
    """ Network-structure metrics of the model's `W_rec`.

     Computed on the inference pool (null models over all its threads) and cached per (model,
    parameters): a repeat is served from the store, to readers; computing a missing report needs
    the write token when the server has one. Identical concurrent requests are computed once; a
    request whose work estimate (nulls × N²) exceeds `--max-metrics-work` is refused, and one
    past the request deadline is stopped.

    Args:
        id (int):
        threshold_quantile (float | Unset):
        n_nulls (int | Unset):
        seed (int | Unset):
        metrics (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelMetrics | Problem
     """


    return (await asyncio_detailed(
        id=id,
client=client,
threshold_quantile=threshold_quantile,
n_nulls=n_nulls,
seed=seed,
metrics=metrics,

    )).parsed
