"""Text -> ParsedEntry: intents, dates, amounts, names, contacts and channels; pure functions."""

from bot.parsing.amounts import AmountMatch, parse_amount
from bot.parsing.dates import DateHabits, DueMatch, parse_due
from bot.parsing.doubts import Doubt, DoubtKind
from bot.parsing.entry import ParsedEntry, parse_entry
from bot.parsing.intents import Intent
from bot.parsing.names import CustomerMatch, match_customers, normalize_name

__all__ = [
    "AmountMatch",
    "CustomerMatch",
    "DateHabits",
    "Doubt",
    "DoubtKind",
    "DueMatch",
    "Intent",
    "ParsedEntry",
    "match_customers",
    "normalize_name",
    "parse_amount",
    "parse_due",
    "parse_entry",
]
