from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: int,
    *,
    seed: int | Unset = 1,
    n_trials: int | Unset = 2560,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["seed"] = seed

    params["n_trials"] = n_trials


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models/{id}/figures/psychometric.svg".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    seed: int | Unset = 1,
    n_trials: int | Unset = 2560,

) -> Response[Any | Problem]:
    """ The psychometric curve of a perceptual-dm model: P(choose θ = 0) against signed coherence
    on freshly generated held-out trials, with Wilson 95% intervals and the maximum-likelihood
    logistic fit (its PSE and threshold are in the legend and in `POST /models/{id}/evaluate`'s
    `psychometric`). Computing an uncached figure needs the write token when the server has one.

    Args:
        id (int):
        seed (int | Unset):  Default: 1.
        n_trials (int | Unset):  Default: 2560.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
seed=seed,
n_trials=n_trials,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    seed: int | Unset = 1,
    n_trials: int | Unset = 2560,

) -> Any | Problem | None:
    """ The psychometric curve of a perceptual-dm model: P(choose θ = 0) against signed coherence
    on freshly generated held-out trials, with Wilson 95% intervals and the maximum-likelihood
    logistic fit (its PSE and threshold are in the legend and in `POST /models/{id}/evaluate`'s
    `psychometric`). Computing an uncached figure needs the write token when the server has one.

    Args:
        id (int):
        seed (int | Unset):  Default: 1.
        n_trials (int | Unset):  Default: 2560.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        id=id,
client=client,
seed=seed,
n_trials=n_trials,

    ).parsed

async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    seed: int | Unset = 1,
    n_trials: int | Unset = 2560,

) -> Response[Any | Problem]:
    """ The psychometric curve of a perceptual-dm model: P(choose θ = 0) against signed coherence
    on freshly generated held-out trials, with Wilson 95% intervals and the maximum-likelihood
    logistic fit (its PSE and threshold are in the legend and in `POST /models/{id}/evaluate`'s
    `psychometric`). Computing an uncached figure needs the write token when the server has one.

    Args:
        id (int):
        seed (int | Unset):  Default: 1.
        n_trials (int | Unset):  Default: 2560.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
seed=seed,
n_trials=n_trials,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    seed: int | Unset = 1,
    n_trials: int | Unset = 2560,

) -> Any | Problem | None:
    """ The psychometric curve of a perceptual-dm model: P(choose θ = 0) against signed coherence
    on freshly generated held-out trials, with Wilson 95% intervals and the maximum-likelihood
    logistic fit (its PSE and threshold are in the legend and in `POST /models/{id}/evaluate`'s
    `psychometric`). Computing an uncached figure needs the write token when the server has one.

    Args:
        id (int):
        seed (int | Unset):  Default: 1.
        n_trials (int | Unset):  Default: 2560.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        id=id,
client=client,
seed=seed,
n_trials=n_trials,

    )).parsed
