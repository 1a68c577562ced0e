"""Reports messages (English)."""

MESSAGES: dict[str, str] = {}
