"""The webhook endpoint: the secret first (403), then the size (413), then the body (400)."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot.intake import Intake
from bot.webhook import (
    MAX_BODY,
    SECRET_HEADER,
    WEBHOOK_PATH,
    Lifecycle,
    Phase,
    make_webhook_app,
)

SECRET = "s3cret"
JSON = "application/json"
MESSAGE = {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "group"}, "text": "/start"}
USER = {"id": 7, "is_bot": False, "first_name": "Alice"}
INT64_MAX = 2**63 - 1


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def update(**fields: Any) -> bytes:
    return dumps({"update_id": 1, **fields})


def message(**fields: Any) -> bytes:
    return update(message={**MESSAGE, **fields})


def nested_replies(depth: int) -> bytes:
    """A message replying to a message replying to … `depth` times: JSON reads it, PTB cannot."""
    fields = dumps(MESSAGE)[1:-1]
    inner = b"{" + fields + b', "reply_to_message": '
    return b'{"update_id": 1, "message": ' + inner * depth + dumps(MESSAGE) + b"}" * (depth + 1)


@pytest.fixture
async def app() -> Application[Any, Any, Any, Any, Any, Any]:
    # Never initialized: decoding an update needs the bot object, not the network.
    return ApplicationBuilder().token("123456:TEST").updater(None).build()


class RecordingIntake(Intake):
    """The real intake, with the processing replaced: it records, and waits for `release`."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.processed: list[Update] = []
        self.release = asyncio.Event()
        self.release.set()
        self.received = 0

    async def handle(self, update: Update) -> bool:
        self.received += 1
        return await super().handle(update)

    async def _process(self, update: Update) -> None:
        await self.release.wait()
        self.processed.append(update)


@pytest.fixture
def intake(app: Application[Any, Any, Any, Any, Any, Any]) -> RecordingIntake:
    return RecordingIntake(app)


@pytest.fixture
async def client(
    app: Application[Any, Any, Any, Any, Any, Any], intake: RecordingIntake
) -> AsyncIterator[TestClient[Any, Any]]:
    server = TestServer(
        make_webhook_app(app, secret=SECRET, lifecycle=Lifecycle(Phase.READY), intake=intake)
    )
    async with TestClient(server) as test_client:
        yield test_client


async def post(
    client: TestClient[Any, Any],
    body: Any,
    content_type: str | None = JSON,
    secret: str | None = SECRET,
) -> tuple[int, str]:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with client.post(WEBHOOK_PATH, data=body, headers=headers) as response:
        return response.status, await response.text()


MALFORMED = {
    "empty body": b"",
    "whitespace": b"  \n",
    "not JSON": b"not json",
    "truncated": b'{"update_id": 1',
    "array": b"[1,2,3]",
    "string": b'"update"',
    "number": b"5",
    "null": b"null",
    "true": b"true",
    "empty object": b"{}",
    "update_id a string, message a number": dumps({"update_id": "x", "message": 5}),
    "update_id a string": dumps({"update_id": "1"}),
    "update_id a float": b'{"update_id": 1.5}',
    "update_id true": b'{"update_id": true}',
    "update_id null": b'{"update_id": null}',
    "update_id NaN": b'{"update_id": NaN}',
    "update_id 2**63": dumps({"update_id": 2**63}),
    "update_id below -2**63": dumps({"update_id": -(2**63) - 1}),
    "update_id 10**30": dumps({"update_id": 10**30}),
    "update_id of 5000 digits": b'{"update_id": ' + b"9" * 5000 + b"}",
    "message a number": update(message=5),
    "message an array": update(message=[MESSAGE]),
    "message empty array": update(message=[]),
    "message empty string": update(message=""),
    "message null": update(message=None),
    "message false": update(message=False),
    "edited_message a string": update(edited_message="hi"),
    "callback_query an array": update(callback_query=[1]),
    "my_chat_member a number": update(my_chat_member=0),
    "message without date and chat": update(message={"message_id": 1}),
    "chat a number": message(chat=5),
    "chat id a string": message(chat={"id": "b", "type": "group"}),
    "chat id 2**64": message(chat={"id": 2**64, "type": "group"}),
    "chat without id": message(chat={"type": "group"}),
    "from a string": message(**{"from": "alice"}),
    "from without a name": message(**{"from": {"id": 1}}),
    "from id a float": message(**{"from": {**USER, "id": 7.5}}),
    "message_id a string": message(message_id="a"),
    "message_id huge": message(message_id=10**20),
    "date a string": message(date="yesterday"),
    "date out of range": message(date=10**30),
    "text a number": message(text=5),
    "caption an object": message(caption={"a": 1}),
    "entities a number": message(entities=5),
    "entities of numbers": message(entities=[5]),
    "photo an object": message(photo={"a": 1}),
    "reply_to_message a string": message(reply_to_message="x"),
    "chat member change with garbage": update(
        my_chat_member={
            "chat": {"id": -100, "type": "group"},
            "from": USER,
            "date": 0,
            "old_chat_member": {"status": "weird"},
            "new_chat_member": 5,
        }
    ),
    "nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "replies nested deep": nested_replies(900),
    "not UTF-8": b'{"update_id": 1, "x": "\xff\xfe"}',
    "UTF-16": '{"update_id": 1}'.encode("utf-16"),
    "UTF-8 with a BOM": b'\xef\xbb\xbf{"update_id": 1}',
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_body_that_is_not_an_update_gets_400(
    client: TestClient[Any, Any], intake: RecordingIntake, body: bytes
) -> None:
    assert await post(client, body) == (400, "bad update")
    assert intake.processed == []


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"],
)
async def test_a_body_that_is_not_json_by_its_content_type_gets_400(
    client: TestClient[Any, Any], content_type: str | None
) -> None:
    status, _ = await post(client, message(), content_type=content_type)
    assert status == 400


VALID = {
    "bare update": update(),
    "message": message(**{"from": USER}),
    "largest update_id": dumps({"update_id": INT64_MAX}),
    "callback query": update(
        callback_query={"id": "9", "from": USER, "chat_instance": "1", "data": "r:d:1"}
    ),
    "unknown fields": update(message={**MESSAGE, "shiny_new_field": {"x": [1]}}, future=1),
    "not ASCII": message(text="/lead 华泰贸易 5万"),
}


@pytest.mark.parametrize("body", VALID.values(), ids=VALID.keys())
async def test_an_update_is_processed_before_the_answer(
    client: TestClient[Any, Any], intake: RecordingIntake, body: bytes
) -> None:
    assert await post(client, body) == (200, "ok")
    [processed] = intake.processed
    assert processed.update_id == json.loads(body)["update_id"]


async def test_an_update_still_in_work_gets_503_and_its_redelivery_joins_it(
    app: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    intake = RecordingIntake(app, answer_within=0.05)
    intake.release.clear()  # the unit of work is slow (the database is away, say)
    server = TestServer(
        make_webhook_app(app, secret=None, lifecycle=Lifecycle(Phase.READY), intake=intake)
    )
    async with TestClient(server) as open_client:
        assert await post(open_client, message(), secret=None) == (503, "still working")
        assert await post(open_client, message(), secret=None) == (503, "still working")
        retry = asyncio.create_task(post(open_client, message(), secret=None))
        while intake.received < 3:
            await asyncio.sleep(0.001)
        intake.release.set()
        assert await retry == (200, "ok")
    assert len(intake.processed) == 1  # Telegram's retries joined the work in flight


async def test_a_charset_parameter_is_fine(client: TestClient[Any, Any]) -> None:
    status, _ = await post(client, message(), content_type="application/json; charset=utf-8")
    assert status == 200


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", "ünïcode"])
@pytest.mark.parametrize(
    "body",
    [message(), b"[1,2,3]", b"\xff", b" " * (MAX_BODY + 1)],
    ids=["ok", "bad", "bytes", "big"],
)
async def test_the_secret_is_checked_before_anything_else(
    client: TestClient[Any, Any], secret: str | None, body: bytes
) -> None:
    assert await post(client, body, secret=secret) == (403, "forbidden")


async def test_a_secret_header_that_is_not_utf8_is_refused(client: TestClient[Any, Any]) -> None:
    # Raw bytes: aiohttp's client would encode the header; the server keeps them as surrogates.
    reader, writer = await asyncio.open_connection(client.host, client.port)
    body = message()
    writer.write(
        b"POST " + WEBHOOK_PATH.encode() + b" HTTP/1.1\r\nHost: test\r\n"
        + SECRET_HEADER.encode() + b": \xff\xfe\r\nContent-Type: application/json\r\n"
        + b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
        + body
    )  # fmt: skip
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    assert status_line.split()[1] == b"403"


def padded(size: int) -> bytes:
    """A valid update padded with spaces to exactly `size` bytes."""
    body = update()
    return body + b" " * (size - len(body))


async def test_a_body_at_the_limit_is_accepted(client: TestClient[Any, Any]) -> None:
    assert await post(client, padded(MAX_BODY)) == (200, "ok")


async def test_a_body_over_the_limit_gets_413(client: TestClient[Any, Any]) -> None:
    assert await post(client, padded(MAX_BODY + 1)) == (413, "too large")


async def test_a_chunked_body_over_the_limit_gets_413(client: TestClient[Any, Any]) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        body = padded(MAX_BODY + 1)
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    headers = {SECRET_HEADER: SECRET, "Content-Type": JSON}
    async with client.post(WEBHOOK_PATH, data=chunks(), headers=headers) as response:
        assert response.request_info.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in response.request_info.headers
        assert response.status == 413


async def test_a_chunked_body_under_the_limit_is_accepted(client: TestClient[Any, Any]) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"update_id":'
        yield b" 5}"

    headers = {SECRET_HEADER: SECRET, "Content-Type": JSON}
    async with client.post(WEBHOOK_PATH, data=chunks(), headers=headers) as response:
        assert response.status == 200


async def test_a_gzipped_body_is_limited_after_inflating(client: TestClient[Any, Any]) -> None:
    bomb = gzip.compress(padded(8 * MAX_BODY))  # about 8 KiB on the wire
    headers = {SECRET_HEADER: SECRET, "Content-Type": JSON, "Content-Encoding": "gzip"}
    async with client.post(WEBHOOK_PATH, data=bomb, headers=headers) as response:
        assert response.status == 413


async def test_without_a_secret_configured_any_caller_is_heard(
    app: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    intake = RecordingIntake(app)
    server = TestServer(
        make_webhook_app(app, secret=None, lifecycle=Lifecycle(Phase.READY), intake=intake)
    )
    async with TestClient(server) as open_client:
        assert await post(open_client, message(), secret=None) == (200, "ok")
        assert await post(open_client, b"[]", secret=None) == (400, "bad update")


async def test_other_methods_and_paths_are_not_served(client: TestClient[Any, Any]) -> None:
    async with client.get(WEBHOOK_PATH) as response:
        assert response.status == 405
    async with client.post("/other", data=b"{}") as response:
        assert response.status == 404


@pytest.mark.parametrize("phase", [Phase.STARTING, Phase.STOPPING])
async def test_an_update_before_the_bot_is_ready_or_while_it_stops_gets_503(
    app: Application[Any, Any, Any, Any, Any, Any], intake: RecordingIntake, phase: Phase
) -> None:
    server = TestServer(
        make_webhook_app(app, secret=None, lifecycle=Lifecycle(phase), intake=intake)
    )
    async with TestClient(server) as open_client:
        assert await post(open_client, message(), secret=None) == (503, phase.value)
        assert await post(open_client, b"[]", secret=None) == (400, "bad update")
    assert intake.processed == []  # Telegram keeps it and delivers it again
