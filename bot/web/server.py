"""The Mini App's web server: the page under /app/, the API under /api/, and its own site.

In webhook mode on the webhook's own address the routes join the webhook's server instead
(bot.webhook); otherwise WebServer listens where CRMBOT_WEB_LISTEN says, for as long as the
bot runs (bot.app opens it in post_init and closes it in post_shutdown).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from aiohttp import web

from bot.config import ConfigError
from bot.web.api import Backend, add_api_routes

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).with_name("static")
# One plain file name: no directories, no dot files, so nothing outside the folder is reachable.
_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def add_routes(
    router: web.UrlDispatcher, backend: Backend, *, static_dir: Path = STATIC_DIR
) -> None:
    """Add the page (/app/, /app/FILE) and the API (/api/…) to a router."""

    async def to_page(_request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently("/app/")

    async def page(_request: web.Request) -> web.StreamResponse:
        return _file(static_dir, "index.html")

    async def asset(request: web.Request) -> web.StreamResponse:
        return _file(static_dir, request.match_info["file"])

    router.add_get("/app", to_page)
    router.add_get("/app/", page)
    router.add_get("/app/{file}", asset)
    add_api_routes(router, backend)


def _file(folder: Path, name: str) -> web.StreamResponse:
    path = folder / name
    if not _FILE.match(name) or ".." in name or not path.is_file():
        raise web.HTTPNotFound(text="not found")
    # Revalidated on every open (ETag / Last-Modified make that cheap): a new release shows at once.
    return web.FileResponse(path, headers={"Cache-Control": "no-cache", **_HEADERS})


def make_web_app(backend: Backend, *, static_dir: Path = STATIC_DIR) -> web.Application:
    """Build an aiohttp app that serves only the Mini App."""
    server = web.Application(client_max_size=2**16)
    add_routes(server.router, backend, static_dir=static_dir)
    return server


class WebServer:
    """The Mini App's own site on HOST:PORT, started and stopped with the bot."""

    def __init__(
        self, backend: Backend, *, host: str, port: int, static_dir: Path = STATIC_DIR
    ) -> None:
        self.host, self.port = host, port
        self._runner = web.AppRunner(make_web_app(backend, static_dir=static_dir))

    async def start(self) -> None:
        """Listen on HOST:PORT; raise ConfigError (one line, not a traceback) if it cannot."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise ConfigError(
                f"CRMBOT_WEB_LISTEN: cannot listen on {self.host}:{self.port} ({exc.strerror}); "
                "use a free host:port"
            ) from None
        log.info("Mini App listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
