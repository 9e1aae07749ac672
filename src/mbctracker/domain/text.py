"""Text normalisation for identity: the one rule that says two MRNs are the same.

SQLite's ``lower()`` folds ASCII only, while Python folds all of Unicode, so a
comparison done half in SQL and half in Python can match the wrong patient
("ØST-1" vs "øst-1"). The key is therefore computed here, in Python, stored in
a unique column, and look-ups compare stored keys only. (The search key, which
needs a transliteration table, lives in ``storage/search_text.py``: the domain
imports only the standard library.)
"""

from __future__ import annotations

import unicodedata

from .errors import ValidationError

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
"""Control, format (zero-width, BOM, bidi marks), surrogate, private-use, unassigned."""
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
"""Characters that draw nothing although their category is a letter or a mark:
combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Braille blank,
variation selectors."""


def invisible_character(text: str) -> str | None:
    """The first control, format or otherwise invisible character in ``text``, if any."""
    for ch in text:
        if ch in _INVISIBLE or unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return ch
    return None


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def collapse_spaces(text: str) -> str:
    """Trimmed, every run of whitespace (any Unicode space) one ASCII space."""
    return " ".join(text.split())


def clean_mrn(mrn: str, field: str = "mrn") -> str:
    """The MRN as shown: NFC, trimmed, spaces collapsed; invisible characters refused.

    Refusing (rather than stripping) means "MRN\\u200b1" can never silently
    become "MRN1": the person sees what was pasted and types it again.

    Raises:
        ValidationError: the MRN holds a control or invisible character.
    """
    bad = invisible_character(mrn.strip())
    if bad is not None:
        raise ValidationError(
            f"MRN contains an invisible or control character ({_describe(bad)}); "
            "type it again using only letters, digits, spaces and punctuation",
            field=field,
        )
    return collapse_spaces(unicodedata.normalize("NFC", mrn))


def mrn_key(mrn: str, field: str = "mrn") -> str:
    """The identity key of an MRN: NFKC, casefolded, trimmed, whitespace collapsed.

    "ØST-1", "øst-1", full-width "ＳＹＮ-０００１" and the NFD spelling of an
    accented MRN all give one key; the database holds it in a unique column.

    Raises:
        ValidationError: the MRN holds a control or invisible character.
    """
    return loose_mrn_key(clean_mrn(mrn, field))


def loose_mrn_key(mrn: str) -> str:
    """:func:`mrn_key` without the refusal, for text already stored or being logged.

    Equal to :func:`mrn_key` for every MRN that function accepts.
    """
    return collapse_spaces(unicodedata.normalize("NFKC", mrn).casefold())
