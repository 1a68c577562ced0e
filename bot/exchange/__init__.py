"""Spreadsheets in and out: export a team's data as CSV and XLSX files, import customers.

The use cases are `export` and `importing`; the pure parts they use are `readers`, `writers`,
`columns` (header mapping), `validate` (rows), `cells`, `vocab` and `periods`.
"""

from bot.exchange.export import (
    ExportData,
    ExportFile,
    ExportRequest,
    ExportSummary,
    MadeExport,
    collect_export,
    export_from_database,
    export_request,
    make_export,
    read_export,
    record_export,
    render_export,
)
from bot.exchange.importing import (
    ImportPreview,
    ImportResult,
    KeptFile,
    ParsedImport,
    SheetChoice,
    cancel_import,
    confirm_import,
    drop_file,
    import_rules,
    keep_file,
    kept_file,
    prepare_import,
    read_import,
)

__all__ = [
    "ExportData",
    "ExportFile",
    "ExportRequest",
    "ExportSummary",
    "ImportPreview",
    "ImportResult",
    "KeptFile",
    "MadeExport",
    "ParsedImport",
    "SheetChoice",
    "cancel_import",
    "collect_export",
    "confirm_import",
    "drop_file",
    "export_from_database",
    "export_request",
    "import_rules",
    "keep_file",
    "kept_file",
    "make_export",
    "prepare_import",
    "read_export",
    "read_import",
    "record_export",
    "render_export",
]
