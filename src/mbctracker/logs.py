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
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILENAME = "mbctracker.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_CHUNK = re.compile(r"""([("'\[{<]*)([^\s("'\[{<]+?)([)"'\]}>.,;:!?]*)(?=\s|$)""")


class PrivacyFilter(logging.Filter):
    """Redacts registered identifiers from a record's message, traceback and stack.

    Matching is by word (a set lookup per word), so it stays fast with tens of
    thousands of patients. Name parts match case-sensitively (a surname "May"
    does not redact the word "may"); MRNs match case-insensitively.
    """

    def __init__(self) -> None:
        super().__init__()
        self._names: set[str] = set()
        self._mrns: set[str] = set()
        self._lock = threading.Lock()

    def protect(self, *, names: Iterable[str] = (), mrns: Iterable[str] = ()) -> None:
        """Register identifiers to redact from now on."""
        words = {w for n in names for w in _TOKEN.findall(n)}
        parts = {p for w in words for p in (w, *re.split(r"[-'.]", w)) if len(p) > 1}
        with self._lock:
            self._names |= parts
            self._mrns |= {m.strip().casefold() for m in mrns if m.strip()}

    def redact(self, text: str) -> str:
        """``text`` with every registered MRN and name part replaced."""
        text = _CHUNK.sub(self._replace_mrn, text)
        return _TOKEN.sub(self._replace_word, text)

    def _replace_mrn(self, match: re.Match[str]) -> str:
        lead, core, trail = match.group(1, 2, 3)
        return f"{lead}{REDACTED}{trail}" if core.casefold() in self._mrns else match.group(0)

    def _replace_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        return REDACTED if word in self._names or word.casefold() in self._mrns else word

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


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
    from .paths import log_dir as default_log_dir
    from .storage.backup import ensure_private_dir

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
