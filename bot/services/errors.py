"""Domain errors; each carries an i18n key and parameters that handlers render."""

from __future__ import annotations

from typing import Any


class CrmError(Exception):
    """A request that cannot be done; `key` names the message that explains why."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        super().__init__(key or self.key)
        if key:
            self.key = key
        self.params = params


class NotActivated(CrmError):
    key = "error.not_activated"


class NotManager(CrmError):
    key = "error.not_manager"


class NotAPerson(CrmError):
    """Sent as a channel (or, with the admin key, as the group): nobody to log it for."""

    key = "error.not_a_person.channel"


class NotChatAdmin(CrmError):
    key = "error.not_chat_admin"


class GroupOnly(CrmError):
    key = "error.group_only"


class UsageError(CrmError):
    """The command's arguments are missing or wrong; params carry the usage line."""

    key = "usage.generic"


class NotFound(CrmError):
    key = "error.not_found"
