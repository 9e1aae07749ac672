"""The log's privacy filter catches every spelling of a registered name or MRN."""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pytest

from mbctracker import logs
from mbctracker.logs import PrivacyFilter


@pytest.fixture
def privacy() -> PrivacyFilter:
    fresh = PrivacyFilter()
    fresh.protect(names=["Zoë Ødegård", "May Li"], mrns=["SYN-0001", "MRN 1 A"])
    return fresh


HIDDEN = [
    unicodedata.normalize("NFD", "opened Zoë Ødegård today"),
    "OPENED ZOË ØDEGÅRD TODAY",
    "opened zoë ødegård today",
    "opened Ｚｏë Ødegård today",
    "opened Ødegård's chart",
    "opened Ødegård:123 and Ødegård2",
    "note by (Ødegård)",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_every_spelling_of_a_name_is_hidden(privacy: PrivacyFilter, text: str) -> None:
    out = unicodedata.normalize("NFC", privacy.redact(text)).casefold()
    assert "degard" not in unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode()
    assert "[redacted]" in out


def test_a_different_longer_surname_is_another_word(privacy: PrivacyFilter) -> None:
    """Matching inside words would blank ordinary words that contain a short name."""
    assert privacy.redact("Ødegårdsen and Mayfield") == "Ødegårdsen and Mayfield"


def test_a_word_that_is_a_patients_name_is_hidden_in_any_case(privacy: PrivacyFilter) -> None:
    assert privacy.redact("it may be LI") == "it [redacted] be [redacted]"


@pytest.mark.parametrize(
    "text",
    [
        "mrn=SYN-0001.",
        "(syn-0001)",
        "ＳＹＮ-０００１ saved",
        "printed MRN 1 A today",
        "printed mrn  1\ta today",
        "printed 'MRN 1 A'",
    ],
)
def test_every_spelling_of_an_mrn_is_hidden(privacy: PrivacyFilter, text: str) -> None:
    out = privacy.redact(text)
    assert "[redacted]" in out
    assert "0001" not in out and " 1 " not in out.replace("[redacted]", "")


def test_a_longer_mrn_with_the_same_start_is_kept(privacy: PrivacyFilter) -> None:
    assert privacy.redact("MRN 1 AB and SYN-00012") == "MRN 1 AB and SYN-00012"


def test_through_the_log_file(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    try:
        logs.protect(names=["Synthetic Ålesundbø"], mrns=["SYN 77 B"])
        log = logging.getLogger("mbctracker.test")
        log.warning("%s / %s", unicodedata.normalize("NFD", "ÅLESUNDBØ's"), "syn  77 b")
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        message = text.split(" mbctracker.test: ", 1)[-1]  # not the timestamp, which may hold 77
        assert "ÅLESUNDBØ" not in message and "77" not in message
        assert text.count("[redacted]") == 2
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, logs.PrivateRotatingFileHandler)]:
            root.removeHandler(handler)
            handler.close()
