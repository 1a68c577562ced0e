"""Spreadsheets in and out: readers, writers, column mapping and row validation; pure."""
