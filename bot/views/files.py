"""Files to send, described as jobs a worker process can run.

A job is a module-level function with its arguments bound by `functools.partial`, never a
lambda or a closure: the worker process receives it pickled, so the function must be
importable by name and every argument must pickle (dataclasses of plain values, ZoneInfo,
Decimal, datetimes, transient SQLModel rows). `tests/unit/views/test_files.py` pickles each
job the handlers and jobs make.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import ParamSpec

from bot.i18n import Html

P = ParamSpec("P")
CHART_NAME = "chart.png"


@dataclass(frozen=True)
class OutFile:
    """A file to send: a photo (a chart) or a document (an export)."""

    content: bytes
    filename: str
    caption: Html | None = None
    photo: bool = False


Files = Callable[[], list[OutFile]]
"""Draws or writes files in a worker process: a picklable job (see the module's docstring)."""


def chart_photo(draw: Callable[P, bytes], /, *args: P.args, **kwargs: P.kwargs) -> Files:
    """Return the job that draws one chart with `draw(*args, **kwargs)`, sent as a photo."""
    return partial(draw_photo, draw, *args, **kwargs)


def draw_photo(draw: Callable[P, bytes], /, *args: P.args, **kwargs: P.kwargs) -> list[OutFile]:
    """Draw one chart (in the worker) as the photo to send."""
    return [OutFile(draw(*args, **kwargs), CHART_NAME, photo=True)]


def with_caption(files: Files, caption: Html) -> Files:
    """Return the job `files` with `caption` on its first file (a chart and its numbers)."""
    return partial(_captioned, files, caption)


def _captioned(files: Files, caption: Html) -> list[OutFile]:
    first, *rest = files()
    return [replace(first, caption=caption), *rest]
