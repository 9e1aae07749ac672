"""The app's log: a private rotating file that never holds patient names or MRNs.

Code logs ids, never names. Because an error message can still carry an
identifier (for example "MRN ... is already used"), every record also passes a
:class:`PrivacyFilter` that replaces each known patient name part and MRN with
``[redacted]``. Storage registers identifiers as patient rows are loaded or
saved (see ``storage/redaction.py``), so the filter knows every patient the
app has touched.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .domain.text import loose_mrn_key

LOG_FILENAME = "mbctracker.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_WORD = re.compile(r"[^\W\d_]+")
"""A run of letters: the unit a name part is matched by ("Ødegård's" holds "Ødegård")."""
_CHUNK = re.compile(r"""([("'\[{<]*)([^\s("'\[{<]+?)([)"'\]}>.,;:!?]*)(?=\s|$)""")


def _comparable(text: str) -> str:
    """NFKC: an NFD or full-width spelling of a name reads as its composed form."""
    return unicodedata.normalize("NFKC", text)


def name_parts(name: str) -> set[str]:
    """The casefolded letter runs of a name, as the filter compares them."""
    return {w.casefold() for w in _WORD.findall(_comparable(name)) if len(w) > 1}


class PrivacyFilter(logging.Filter):
    """Redacts registered identifiers from a record's message, traceback and stack.

    Text is compared in NFKC and casefolded, so NFD, upper-case and full-width
    spellings are caught. Name parts match by whole run of letters: "ØDEGÅRD",
    "Ødegård's" and "Ødegård:" are redacted; "Ødegårdsen" is another word and is
    redacted only if it is a registered name itself (matching inside words would
    blank "annotation" for a patient called Ann). A common word that is also a
    patient's name ("May") is redacted too: the log loses a word, never a name.
    MRNs match by their normalised key, spaces included ("MRN  1" = "mrn 1").
    Matching is a set lookup per word, so it stays fast with tens of thousands
    of patients; MRNs holding spaces (rare) go through one compiled pattern.
    """

    def __init__(self) -> None:
        super().__init__()
        self._names: set[str] = set()
        self._mrns: set[str] = set()
        self._spaced_mrns: set[str] = set()
        self._spaced: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def protect(self, *, names: Iterable[str] = (), mrns: Iterable[str] = ()) -> None:
        """Register identifiers to redact from now on."""
        parts = {p for n in names for p in name_parts(n)}
        keys = {loose_mrn_key(m) for m in mrns} - {""}
        spaced = {k for k in keys if " " in k}
        with self._lock:
            self._names |= parts
            self._mrns |= keys - spaced
            if not spaced <= self._spaced_mrns:
                self._spaced_mrns |= spaced
                self._spaced = _spaced_pattern(self._spaced_mrns)

    def redact(self, text: str) -> str:
        """``text`` with every registered MRN and name part replaced."""
        text = _comparable(text)
        if self._spaced is not None:
            text = self._spaced.sub(REDACTED, text)
        text = _CHUNK.sub(self._replace_mrn, text)
        text = _TOKEN.sub(self._replace_mrn_token, text)
        return _WORD.sub(self._replace_name, text)

    def _replace_mrn(self, match: re.Match[str]) -> str:
        lead, core, trail = match.group(1, 2, 3)
        return f"{lead}{REDACTED}{trail}" if core.casefold() in self._mrns else match.group(0)

    def _replace_mrn_token(self, match: re.Match[str]) -> str:
        word = match.group(0)
        return REDACTED if word.casefold() in self._mrns else word

    def _replace_name(self, match: re.Match[str]) -> str:
        word = match.group(0)
        return REDACTED if word.casefold() in self._names else word

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _spaced_pattern(keys: set[str]) -> re.Pattern[str]:
    """One pattern for MRNs holding spaces: any run of whitespace between their parts."""
    spelled = (r"\s+".join(re.escape(p) for p in k.split(" ")) for k in keys)
    alternatives = "|".join(sorted(spelled, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


PRIVACY = PrivacyFilter()
"""The one filter every handler of the app's log carries."""


def protect(*, names: Iterable[str] = (), mrns: Iterable[str] = ()) -> None:
    """Register patient identifiers that must never reach the log."""
    PRIVACY.protect(names=names, mrns=mrns)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file (rotated ones too) is created owner-only."""

    def _open(self):  # type: ignore[no-untyped-def]  # the base method is untyped
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(log_dir: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Send the app's log (and others' warnings) to a private rotating file; returns its path.

    The folder defaults to the platformdirs log folder and is made 0700; the
    files are 0600. Calling it again replaces the previous handler.
    """
    from .paths import ensure_private_dir
    from .paths import log_dir as default_log_dir

    folder = ensure_private_dir(Path(log_dir) if log_dir is not None else default_log_dir())
    path = folder / LOG_FILENAME
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(PRIVACY)
    root = logging.getLogger()  # so third-party warnings and crash reports land here too
    for old in [h for h in root.handlers if isinstance(h, PrivateRotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    logging.getLogger("mbctracker").setLevel(level)
    return path
