"""The clinical core: pure Python, standard library only.

Public API relied on by the app, scripts and tests: :func:`score`,
:func:`change`, the instrument definitions and :class:`ClinicSettings`.
The names are imported when first used (PEP 562): the window's first paint needs
only the course and instrument modules, not scoring, outcomes and settings.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import DomainError, ScoringError, ValidationError
    from .instruments import INSTRUMENTS, Instrument, get_instrument
    from .outcomes import Category, Change, change
    from .scoring import Score, round_half_up, score
    from .settings import DEFAULT_SETTINGS, ClinicSettings, InstrumentThresholds

_HOME = {
    "errors": ("DomainError", "ScoringError", "ValidationError"),
    "instruments": ("INSTRUMENTS", "Instrument", "get_instrument"),
    "outcomes": ("Category", "Change", "change"),
    "scoring": ("Score", "round_half_up", "score"),
    "settings": ("DEFAULT_SETTINGS", "ClinicSettings", "InstrumentThresholds"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = [
    "DEFAULT_SETTINGS",
    "INSTRUMENTS",
    "Category",
    "Change",
    "ClinicSettings",
    "DomainError",
    "Instrument",
    "InstrumentThresholds",
    "Score",
    "ScoringError",
    "ValidationError",
    "change",
    "get_instrument",
    "round_half_up",
    "score",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
