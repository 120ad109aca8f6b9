from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.model import Model
from ...models.model_upload import ModelUpload
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: ModelUpload,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models",
    }

    _kwargs["files"] = body.to_multipart()



    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Model | Problem | None:
    if response.status_code == 200:
        response_200 = Model.from_dict(response.json())



        return response_200

    if response.status_code == 201:
        response_201 = Model.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Model | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ModelUpload,

) -> Response[Model | Problem]:
    """ Registers a model: validates the ONNX file against its manifest, then stores both
    atomically.

     Identical bytes already stored: 200 with the existing model, nothing stored.

    Args:
        body (ModelUpload): The multipart form of `POST /models` (for the docs; the handler reads
            the parts itself).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
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
    body: ModelUpload,

) -> Model | Problem | None:
    """ Registers a model: validates the ONNX file against its manifest, then stores both
    atomically.

     Identical bytes already stored: 200 with the existing model, nothing stored.

    Args:
        body (ModelUpload): The multipart form of `POST /models` (for the docs; the handler reads
            the parts itself).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ModelUpload,

) -> Response[Model | Problem]:
    """ Registers a model: validates the ONNX file against its manifest, then stores both
    atomically.

     Identical bytes already stored: 200 with the existing model, nothing stored.

    Args:
        body (ModelUpload): The multipart form of `POST /models` (for the docs; the handler reads
            the parts itself).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
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
    body: ModelUpload,

) -> Model | Problem | None:
    """ Registers a model: validates the ONNX file against its manifest, then stores both
    atomically.

     Identical bytes already stored: 200 with the existing model, nothing stored.

    Args:
        body (ModelUpload): The multipart form of `POST /models` (for the docs; the handler reads
            the parts itself).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
