from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from typing import cast






T = TypeVar("T", bound="ModelUpload")



@_attrs_define
class ModelUpload:
    """ The multipart form of `POST /models` (for the docs; the handler reads the parts itself).

        Attributes:
            model (File): The ONNX file.
            history (File | None | Unset): The run's `history.jsonl` (one epoch record per line). Optional; when sent it
                must be
                exactly the run the manifest describes (epochs 1..E with E the manifest's
                `outcome.epochs_run`, finite numbers, the last held-out accuracy the manifest's), or
                the upload is refused (422 `history_invalid`) and nothing is stored.
            manifest (None | str | Unset): The manifest JSON. Optional: without it, the manifest embedded in the file's
                metadata
                (`blueprint.manifest`) is used.
     """

    model: File
    history: File | None | Unset = UNSET
    manifest: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        model = self.model.to_tuple()


        history: FileTypes | None | Unset
        if isinstance(self.history, Unset):
            history = UNSET
        elif isinstance(self.history, File):
            history = self.history.to_tuple()

        else:
            history = self.history

        manifest: None | str | Unset
        if isinstance(self.manifest, Unset):
            manifest = UNSET
        else:
            manifest = self.manifest


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "model": model,
        })
        if history is not UNSET:
            field_dict["history"] = history
        if manifest is not UNSET:
            field_dict["manifest"] = manifest

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("model", self.model.to_tuple()))



        if not isinstance(self.history, Unset):
            if isinstance(self.history, File):

                files.append(("history", self.history.to_tuple()))
            else:
                files.append(("history", (None, str(self.history).encode(), "text/plain")))


        if not isinstance(self.manifest, Unset):
            if isinstance(self.manifest, str):

                files.append(("manifest", (None, str(self.manifest).encode(), "text/plain")))
            else:
                files.append(("manifest", (None, str(self.manifest).encode(), "text/plain")))



        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = File(
             payload = BytesIO(d.pop("model"))
        )




        def _parse_history(data: object) -> File | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, bytes):
                    raise TypeError()
                history_type_0 = File(
                     payload = BytesIO(data)
                )



                return history_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(File | None | Unset, data)

        history = _parse_history(d.pop("history", UNSET))


        def _parse_manifest(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manifest = _parse_manifest(d.pop("manifest", UNSET))


        model_upload = cls(
            model=model,
            history=history,
            manifest=manifest,
        )


        model_upload.additional_properties = d
        return model_upload

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
