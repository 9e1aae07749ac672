"""Per-instrument facts the pictures need, read through one door.

Each reads the instrument's definition in
:data:`~mbctracker.domain.instruments.INSTRUMENTS`, so a new definition needs no edit here.
"""

from __future__ import annotations

from ..domain.instruments import INSTRUMENTS


def is_ordinal(code: str) -> bool:
    """An ordinal scale (CGI-S, 1-7) has no true zero, so no percent change or percent lines."""
    return not INSTRUMENTS[code].ratio_scale


def percent_meaningful(code: str) -> bool:
    """Percent change and the response/partial categories apply (a ratio scale from 0)."""
    return not is_ordinal(code)


def name(code: str) -> str:
    """Display name; a tampered row may carry an unknown code, shown as it is."""
    found = INSTRUMENTS.get(code)
    return found.name if found else code


def safety_item_of(code: str) -> int | None:
    """The item whose answer can raise a safety flag (PHQ-9 item 9, MADRS item 10)."""
    found = INSTRUMENTS.get(code)
    return found.safety_item if found else None
