"""Tasks messages (English)."""

MESSAGES: dict[str, str] = {}
