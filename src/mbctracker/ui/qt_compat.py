"""A guard against a reference-counting bug in the installed Qt binding.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` every time a
method returning ``void`` is called (``QPainter.setPen``, ``QLabel.setText``...):
the wheel assumes None is immortal, which is only true from Python 3.12 (PEP 683).
After a few thousand such calls None's count reaches zero and the interpreter
aborts with "none_dealloc: deallocating None" (seen while repainting the chart).

The guard measures the leak with a harmless call and, only when it is present,
gives None (and True and False: "bool_dealloc" was seen at exit too) the same
practically-endless count they have on 3.12. Remove it once the
binding is pinned to a fixed release (or Python >= 3.12 is required).
"""

from __future__ import annotations

import ctypes
import logging
import platform
import sys

from PySide6.QtCore import QTimer

log = logging.getLogger(__name__)

_PROBE_CALLS = 64
_HEADROOM = 1 << 40
_applied = False


def none_refcount_leak() -> int:
    """How many references to None one batch of void Qt calls loses (0 when healthy)."""
    probe = QTimer()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.stop()
    return max(0, before - sys.getrefcount(None))


def guard_none_refcount() -> bool:
    """Make None effectively immortal when the binding leaks its references; True if applied."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    if none_refcount_leak() < _PROBE_CALLS // 2:
        return False
    for singleton in (None, True, False):  # bool_dealloc was seen at exit too
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied = True
    log.warning("Qt binding leaks references to None; guard applied (see ui/qt_compat.py)")
    return True
