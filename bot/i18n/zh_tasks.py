"""Tasks messages (简体中文)."""

MESSAGES: dict[str, str] = {}
