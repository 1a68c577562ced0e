"""How the bot's Bot API calls travel: aiohttp, under python-telegram-bot's BaseRequest.

PTB's own HTTPXRequest spends most of a send's CPU in httpx, httpcore and anyio (cancel
scopes, sniffio's task lookups): in a burst of /visit the replies' sends took 29% of the
interpreter's time through them and 13% through aiohttp, which the bot already runs its
servers on (docs/performance.md, "The Bot API client"). The contract is PTB's: an HTTP
status and the body, `TimedOut` for any timeout, `NetworkError` for any other failure of
the connection, so the send limiter's retries (bot/delivery.py) see the same errors.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's HTTPXRequest defaults, so timeouts mean what PTB's documentation says.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session with a pool of `connections`.

    Timeouts: `connect` bounds getting a connection (waiting for the pool and connecting),
    `read` each wait for the answer's bytes, and the whole call is bounded by their sum with
    the write timeout (aiohttp has no write timeout of its own), so an upload that stalls
    ends too. A proxy is taken from the environment (HTTPS_PROXY, NO_PROXY …), as PTB's
    default does; aiohttp's own `trust_env` is not used, since it reads ~/.netrc in a thread
    on every call.
    """

    __slots__ = ("_connections", "_read_timeout", "_session")

    def __init__(self, *, connections: int = 256, read_timeout: float | None = READ_TIMEOUT):
        self._connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data is not None else None
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, MEDIA_WRITE_TIMEOUT if files else WRITE_TIMEOUT)
        connect = _given(connect_timeout, CONNECT_TIMEOUT)
        pool = _given(pool_timeout, POOL_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            total=_sum(read, write, connect, pool),
            connect=_sum(connect, pool),
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), timeout=timeout, proxy=_proxy(url)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut(f"aiohttp: {type(err).__name__}") from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _body(
    request_data: RequestData | None, files: dict[str, tuple] | None
) -> dict[str, str] | aiohttp.FormData | None:
    """A form of the call's parameters: url-encoded, or multipart when files go with it."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields
    # Names as UTF-8, not percent-encoded: what PTB's own client sends and Telegram shows.
    form = aiohttp.FormData(fields, quote_fields=False)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def _proxy(url: str) -> str | None:
    parts = urlsplit(url)
    return _proxy_of(parts.scheme, parts.netloc)


@lru_cache(maxsize=16)
def _proxy_of(scheme: str, netloc: str) -> str | None:
    """The environment's proxy for calls to this host, read once per host."""
    host = netloc.rpartition("@")[2]
    if proxy_bypass(host.partition(":")[0]):
        return None
    return getproxies().get(scheme)


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _sum(*timeouts: float | None) -> float | None:
    """The sum of the timeouts, or None (no bound) if any of them is unbounded."""
    return None if any(t is None for t in timeouts) else sum(t for t in timeouts if t is not None)
