"""The Mini App: its page under /app/ and the JSON API under /api/ (aiohttp, no Telegram)."""
