"""The Bot API client over aiohttp: parameters and files as Telegram reads them, errors as PTB's."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot import transport
from bot.transport import AiohttpRequest

Seen = dict[str, Any]


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, list[Seen]]]:
    """A server that records each call's form and answers {"ok": true}; /slow waits 2 s."""
    seen: list[Seen] = []

    async def method(request: web.Request) -> web.Response:
        if request.path.endswith("/slow"):
            await asyncio.sleep(2)
        form = await request.post()
        seen.append(
            {
                "content_type": request.content_type,
                "user_agent": request.headers.get("User-Agent", ""),
                "fields": {
                    name: (value.filename, value.content_type, value.file.read())
                    if isinstance(value, web.FileField)
                    else value
                    for name, value in form.items()
                },
            }
        )
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    running = TestServer(app)
    await running.start_server()
    yield running, seen
    await running.close()


@pytest.fixture
async def client() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(connections=4, read_timeout=0.5)
    await request.initialize()
    yield request
    await request.shutdown()


def params(**values: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(name, v) for name, v in values.items()])


async def test_parameters_go_as_a_form_and_json_values_as_json(
    server: tuple[TestServer, list[Seen]], client: AiohttpRequest
) -> None:
    running, seen = server
    data = params(chat_id=-100, text="拜访华为 & <b>", reply_markup={"inline_keyboard": []})
    status, body = await client.do_request(
        str(running.make_url("/bot1:T/sendMessage")), "POST", request_data=data
    )
    assert (status, body) == (200, b'{"ok": true, "result": true}')
    assert seen[0]["content_type"] == "application/x-www-form-urlencoded"
    assert seen[0]["user_agent"].startswith("python-telegram-bot")
    assert seen[0]["fields"] == {
        "chat_id": "-100",
        "text": "拜访华为 & <b>",
        "reply_markup": '{"inline_keyboard": []}',
    }


async def test_a_file_goes_as_multipart_with_its_name_and_type(
    server: tuple[TestServer, list[Seen]], client: AiohttpRequest
) -> None:
    running, seen = server
    document = InputFile(io.BytesIO(b"PK\x03\x04 sheet"), filename="客户.xlsx")
    data = params(chat_id=-100, caption="export", document=document)
    status, _ = await client.do_request(
        str(running.make_url("/bot1:T/sendDocument")), "POST", request_data=data
    )
    assert status == 200
    assert seen[0]["content_type"] == "multipart/form-data"
    fields = seen[0]["fields"]
    assert fields["chat_id"] == "-100" and fields["caption"] == "export"
    filename, content_type, content = next(
        value for value in fields.values() if isinstance(value, tuple)
    )
    assert (filename, content) == ("客户.xlsx", b"PK\x03\x04 sheet")
    assert content_type == document.mimetype


async def test_a_slow_answer_is_timed_out(
    server: tuple[TestServer, list[Seen]], client: AiohttpRequest
) -> None:
    running, _ = server
    with pytest.raises(TimedOut):
        await client.do_request(str(running.make_url("/bot1:T/slow")), "POST")
    # A call's own read timeout wins over the default.
    status, _ = await client.do_request(
        str(running.make_url("/bot1:T/slow")), "POST", read_timeout=5
    )
    assert status == 200


async def test_a_refused_connection_is_a_network_error(client: AiohttpRequest) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(NetworkError) as raised:
        await client.do_request(f"http://127.0.0.1:{port}/bot1:T/getMe", "POST")
    assert not isinstance(raised.value, TimedOut)


async def test_calls_need_initialize_and_survive_another_cycle(
    server: tuple[TestServer, list[Seen]],
) -> None:
    running, _ = server
    url = str(running.make_url("/bot1:T/getMe"))
    request = AiohttpRequest()
    with pytest.raises(RuntimeError):
        await request.do_request(url, "POST")
    for _ in range(2):  # PTB initializes and shuts down the same object on each run
        await request.initialize()
        assert (await request.do_request(url, "POST"))[0] == 200
        await request.shutdown()


def test_the_proxy_comes_from_the_environment_and_no_proxy_is_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    transport._proxy_of.cache_clear()
    try:
        assert transport._proxy("https://api.telegram.org/bot1:T/getMe") == (
            "http://proxy.example:3128"
        )
        assert transport._proxy("http://127.0.0.1:8081/bot1:T/getMe") is None
    finally:
        transport._proxy_of.cache_clear()
