"""Wording shared by several screens, so the same fact is always said the same way."""

from __future__ import annotations


def percent_text(percent: float) -> str:
    """Percent change in words, so the sign can never be misread."""
    if percent >= 0:
        return f"{percent:.0f}% improvement"
    return f"{-percent:.0f}% worsening"
