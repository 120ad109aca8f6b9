from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.device import Device





T = TypeVar("T", bound="Readiness")



@_attrs_define
class Readiness:
    """ Readiness: what the server depends on, checked now.

        Attributes:
            database (str): `ok`: the database answered a query from this replica.
            engine (str): The database engine: `sqlite` or `postgres`.
            execution_provider (str): `cpu`, or `cuda` while the CUDA provider is in use.
            execution_provider_requested (str): The provider asked for (`--execution-provider`): `cpu` or `cuda`.
            onnx_runtime (str): `ok`: the ONNX Runtime library is loaded and its environment is up.
            schema_version (int): The newest migration applied to the database, which this build knows (it refuses to
                start on a newer one).
            status (str): `ready`.
            device (Device | None | Unset):
            fallback_reason (None | str | Unset): Why a requested `cuda` is not in use, in one line; null when it is, or was
                not asked.
     """

    database: str
    engine: str
    execution_provider: str
    execution_provider_requested: str
    onnx_runtime: str
    schema_version: int
    status: str
    device: Device | None | Unset = UNSET
    fallback_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.device import Device
        database = self.database

        engine = self.engine

        execution_provider = self.execution_provider

        execution_provider_requested = self.execution_provider_requested

        onnx_runtime = self.onnx_runtime

        schema_version = self.schema_version

        status = self.status

        device: dict[str, Any] | None | Unset
        if isinstance(self.device, Unset):
            device = UNSET
        elif isinstance(self.device, Device):
            device = self.device.to_dict()
        else:
            device = self.device

        fallback_reason: None | str | Unset
        if isinstance(self.fallback_reason, Unset):
            fallback_reason = UNSET
        else:
            fallback_reason = self.fallback_reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "database": database,
            "engine": engine,
            "execution_provider": execution_provider,
            "execution_provider_requested": execution_provider_requested,
            "onnx_runtime": onnx_runtime,
            "schema_version": schema_version,
            "status": status,
        })
        if device is not UNSET:
            field_dict["device"] = device
        if fallback_reason is not UNSET:
            field_dict["fallback_reason"] = fallback_reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.device import Device
        d = dict(src_dict)
        database = d.pop("database")

        engine = d.pop("engine")

        execution_provider = d.pop("execution_provider")

        execution_provider_requested = d.pop("execution_provider_requested")

        onnx_runtime = d.pop("onnx_runtime")

        schema_version = d.pop("schema_version")

        status = d.pop("status")

        def _parse_device(data: object) -> Device | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                device_type_1 = Device.from_dict(data)



                return device_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Device | None | Unset, data)

        device = _parse_device(d.pop("device", UNSET))


        def _parse_fallback_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fallback_reason = _parse_fallback_reason(d.pop("fallback_reason", UNSET))


        readiness = cls(
            database=database,
            engine=engine,
            execution_provider=execution_provider,
            execution_provider_requested=execution_provider_requested,
            onnx_runtime=onnx_runtime,
            schema_version=schema_version,
            status=status,
            device=device,
            fallback_reason=fallback_reason,
        )


        readiness.additional_properties = d
        return readiness

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
