"""Pickle a dataclass's long lists a thousand items at a time, so other threads run meanwhile.

Exports go to a worker process, and import results come back from one, pickled. One pickle
call over 60,000 rows is C code that holds the GIL, and so stalls the event loop, for a
quarter of a second; a Python loop over chunks of rows lets the loop have its turn between
them (the longest stall measured: under 10 ms). A dataclass opts in with
`def __reduce__(self): return reduce_in_chunks(self)`.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

CHUNK = 1000  # items pickled at a time


def reduce_in_chunks(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """Return a dataclass instance's __reduce__ value, its list fields pickled in chunks."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    lists = {name: dump_chunks(v) for name, v in values.items() if isinstance(v, list)}
    plain = {name: v for name, v in values.items() if name not in lists}
    return _rebuild, (type(obj), plain, lists)


def _rebuild(cls: type, plain: dict[str, Any], lists: dict[str, list[bytes]]) -> Any:
    return cls(**plain, **{name: load_chunks(chunks) for name, chunks in lists.items()})


def dump_chunks(items: Sequence[Any]) -> list[bytes]:
    """Pickle `items` CHUNK at a time."""
    listed = list(items)
    return [
        pickle.dumps(listed[i : i + CHUNK], pickle.HIGHEST_PROTOCOL)
        for i in range(0, len(listed), CHUNK)
    ]


def load_chunks(chunks: list[bytes]) -> list[Any]:
    """Return the items dump_chunks pickled, in order."""
    items: list[Any] = []
    for chunk in chunks:
        items.extend(pickle.loads(chunk))
    return items
