"""Export a team's data as CSV and XLSX files; import customers from a spreadsheet."""

from bot.services.exchange.export import ExportData, ExportFile, collect_export, render_export
from bot.services.exchange.importing import (
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
    "render_export",
]
