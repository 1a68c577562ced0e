"""Query functions, grouped by subject; each takes `*, session` and returns rows or data."""
