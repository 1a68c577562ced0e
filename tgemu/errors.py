"""Errors: what the Bot API answers (ApiError) and misuse of the emulator (EmulatorError)."""

from __future__ import annotations

from typing import Any

MESSAGE_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
POLL_TERMINATED = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)


class ApiError(Exception):
    """A Bot API error answer: HTTP status == error_code, plus the description."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        parameters = {
            "retry_after": self.retry_after,
            "migrate_to_chat_id": self.migrate_to_chat_id,
        }
        if any(value is not None for value in parameters.values()):
            body["parameters"] = {k: v for k, v in parameters.items() if v is not None}
        return body


def bad_request(detail: str) -> ApiError:
    """Return a 400 "Bad Request: ..." error."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Return a 403 "Forbidden: ..." error."""
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    """Return a 409 "Conflict: ..." error."""
    return ApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 flood-control error."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def group_migrated(new_chat_id: int) -> ApiError:
    """Return the 400 Telegram answers for a group that was upgraded to a supergroup."""
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new_chat_id,
    )


class EmulatorError(Exception):
    """The test (not the bot) asked the emulator for something impossible."""
