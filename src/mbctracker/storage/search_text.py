"""The search key: how a name or MRN is folded so people find what they type.

It is transliterated to ASCII by ``anyascii`` (a maintained table, not a hand
list), so "o" finds "Ødegård", "l" finds "Łukasz", "ae" finds "Ærø" and "ss"
finds "Strauß"; a query is folded the same way, so typing "ø" finds them too.
The key is stored (``patient.search_key``) and filtered with ``LIKE``, which
then only has to compare ASCII.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

from ..domain.text import collapse_spaces


def fold(text: str) -> str:
    """The search form: NFKC, transliterated to ASCII, casefolded, spaces collapsed."""
    return collapse_spaces(anyascii(unicodedata.normalize("NFKC", text)).casefold())


def search_key(*parts: str) -> str:
    """The stored key a patient is found by: folded name and MRN, space-separated."""
    return " ".join(fold(p) for p in parts if p.strip())
