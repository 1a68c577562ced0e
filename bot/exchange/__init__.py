"""Spreadsheets in and out: export a team's data as CSV and XLSX files, import customers.

The use cases are `export` and `importing`; the pure parts they use are `readers`, `writers`,
`columns` (header mapping), `validate` (rows), `cells`, `vocab` and `periods`.
"""

from bot.exchange.export import (
    ExportData,
    ExportFile,
    collect_export,
    record_export,
    render_export,
)
from bot.exchange.importing import (
    ImportPreview,
    ImportResult,
    ParsedImport,
    cancel_import,
    confirm_import,
    import_rules,
    prepare_import,
    read_import,
)

__all__ = [
    "ExportData",
    "ExportFile",
    "ImportPreview",
    "ImportResult",
    "ParsedImport",
    "cancel_import",
    "collect_export",
    "confirm_import",
    "import_rules",
    "prepare_import",
    "read_import",
    "record_export",
    "render_export",
]
