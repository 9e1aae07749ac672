"""Text normalisation for search: case- and accent-insensitive, so "jose nunez"
finds "José Núñez" and "ØDEGÅRD" finds "Ødegård" (SQLite's LIKE folds ASCII only)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Casefold and strip combining accents (é -> e, å -> a; ø stays ø, a letter of its own)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(*parts: str) -> str:
    """The stored key a patient is found by: folded name and MRN, space-separated."""
    return " ".join(fold(p.strip()) for p in parts if p)
