"""Scripted stumbles: the next calls of a method answer 5xx, hang, or lose the connection."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

from tgemu.errors import ApiError, EmulatorError

FaultKind = Literal["error", "hang", "disconnect"]
FAULT_KINDS: tuple[FaultKind, ...] = ("error", "hang", "disconnect")


@dataclass
class Fault:
    """How one call fails; none of them carries the call out."""

    kind: FaultKind
    status: int = 500  # for "error"
    seconds: float = 30.0  # for "hang": then 504, if the client is still waiting

    def error(self) -> ApiError:
        """Return the error answered for "error" (and for "hang" once it is over)."""
        status = self.status if self.kind == "error" else HTTPStatus.GATEWAY_TIMEOUT
        return ApiError(status, HTTPStatus(status).phrase)


@dataclass
class _ScriptedFault:
    method: str
    fault: Fault
    remaining: int
    chat_id: int | None


class FaultInjection:
    """Decides whether a Bot API call stumbles instead of being handled."""

    def __init__(self) -> None:
        self._scripted: list[_ScriptedFault] = []

    def inject(self, method: str, fault: Fault, times: int, chat_id: int | None) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id`` or any) fail so."""
        if fault.kind not in FAULT_KINDS:
            raise EmulatorError(f"unknown fault {fault.kind!r}; use one of {FAULT_KINDS}")
        if fault.kind == "error" and not 500 <= fault.status <= 599:
            raise EmulatorError("an injected error is a 5xx; 4xx answers are the emulator's own")
        if times < 1 or fault.seconds <= 0:
            raise EmulatorError("times and seconds must be positive")
        self._scripted.append(_ScriptedFault(method, fault, times, chat_id))

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """Return the fault this call meets (using it up), or None to handle it."""
        for scripted in self._scripted:
            if scripted.method == method and scripted.chat_id in (None, chat_id):
                scripted.remaining -= 1
                if scripted.remaining == 0:
                    self._scripted.remove(scripted)
                return scripted.fault
        return None
