"""The reports' domain: periods, the numbers reports show, and command arguments; pure.

How they read (text tables, charts) is in bot.views; how they are counted in models.queries.
"""
