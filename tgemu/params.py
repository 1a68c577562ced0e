"""Bot API request parameters: typed access over form fields, query strings and JSON bodies.

PTB sends every non-file parameter as a string form field (objects JSON-encoded, booleans
as ``true``/``false``); other clients send a JSON body with native types. Both work here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tgemu.errors import bad_request

# Parameters whose string form is JSON; decoded for BotCall records.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
        "link_preview_options",
        "menu_button",
        "message_ids",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    content: bytes


class Params:
    """The parameters of one Bot API call."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self._values = values
        self._files = files

    def raw(self, name: str) -> Any:
        """Return the parameter as received, or None."""
        return self._values.get(name)

    def has(self, name: str) -> bool:
        """Return whether the parameter is present and not empty."""
        return self._values.get(name) not in (None, "") or name in self._files

    def text(self, name: str) -> str | None:
        """Return a string parameter."""
        value = self._values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        """Return an integer parameter; Bad Request when it is not a number."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def boolean(self, name: str) -> bool:
        """Return a boolean parameter (true/1 are true, anything else false)."""
        value = self._values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str, *, error: str) -> Any:
        """Return a JSON-typed parameter, decoding its string form; ``error`` if malformed."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error) from None
        return value

    def file(self, name: str) -> UploadedFile | str | None:
        """Return an uploaded file (direct part or attach://name) or a file_id/URL string."""
        if name in self._files:
            return self._files[name]
        value = self.text(name)
        if value and value.startswith("attach://"):
            return self._files.get(value[len("attach://") :])
        return value or None

    def summary(self) -> dict[str, Any]:
        """Return the parameters for a BotCall record: JSON decoded, files described."""
        result: dict[str, Any] = {}
        for name, value in self._values.items():
            if name in JSON_PARAMS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            result[name] = value
        for name, upload in self._files.items():
            result[name] = {"file_name": upload.filename, "size": len(upload.content)}
        return result
