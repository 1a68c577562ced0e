"""Exchange messages (English)."""

MESSAGES: dict[str, str] = {}
