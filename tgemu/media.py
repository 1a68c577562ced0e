"""Media JSON: image dimensions from file headers, PhotoSize lists, Document objects."""

from __future__ import annotations

import mimetypes
import struct
import uuid
import zlib

from tgemu.state import JSON, EmulatorState, StoredFile

# Telegram keeps a thumbnail plus a few downscaled sizes of every photo.
_PHOTO_SIDES = (90, 320, 800, 1280)


def image_size(content: bytes) -> tuple[int, int] | None:
    """Return (width, height) of a PNG, JPEG, GIF or WebP image, else None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return width, height
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return _webp_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(content):
        if content[pos] != 0xFF:
            return None
        marker = content[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", content[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def _webp_size(content: bytes) -> tuple[int, int] | None:
    chunk = content[12:16]
    if chunk == b"VP8X" and len(content) >= 30:
        width = 1 + int.from_bytes(content[24:27], "little")
        height = 1 + int.from_bytes(content[27:30], "little")
        return width, height
    if chunk == b"VP8 " and len(content) >= 30:
        width, height = struct.unpack("<HH", content[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(content) >= 25:
        bits = int.from_bytes(content[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def store_photo(state: EmulatorState, content: bytes, width: int, height: int) -> list[StoredFile]:
    """Store a photo as Telegram does: several sizes, each with its own file_id.

    The emulator does not resample: every size serves the original bytes.
    """
    group_id = uuid.uuid4().hex
    longest = max(width, height)
    sides = [side for side in _PHOTO_SIDES if side < longest] + [min(longest, 2560)]
    sizes = []
    for side in sides:
        scale = side / longest
        sizes.append(
            state.store_file(
                "photo",
                content,
                width=max(1, round(width * scale)),
                height=max(1, round(height * scale)),
                group_id=group_id,
            )
        )
    state.photo_groups[group_id] = sizes
    return sizes


def photo_json(sizes: list[StoredFile]) -> list[JSON]:
    """Return the PhotoSize list of a Message."""
    return [
        {
            "file_id": size.file_id,
            "file_unique_id": size.file_unique_id,
            "width": size.width,
            "height": size.height,
            "file_size": size.size,
        }
        for size in sizes
    ]


def document_json(stored: StoredFile) -> JSON:
    """Return the Document object of a Message."""
    result: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if stored.file_name:
        result["file_name"] = stored.file_name
    if stored.mime_type:
        result["mime_type"] = stored.mime_type
    result["file_size"] = stored.size
    return result


def guess_mime_type(file_name: str | None, declared: str | None) -> str:
    """Prefer a specific declared type, else guess from the name like Telegram."""
    if declared and declared != "application/octet-stream":
        return declared
    guessed = mimetypes.guess_type(file_name or "")[0]
    return guessed or "application/octet-stream"


def file_json(stored: StoredFile) -> JSON:
    """Return the File object of getFile."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def tiny_png(width: int, height: int) -> bytes:
    """Return a valid single-colour RGB PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x4a\x90\xd9" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
