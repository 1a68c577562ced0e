"""Numbers and charts: periods, report data, text tables and PNG charts; pure functions."""
