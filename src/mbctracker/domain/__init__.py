"""The clinical core: pure Python, standard library only.

Public API relied on by the app, scripts and tests: :func:`score`,
:func:`change`, the instrument definitions and :class:`ClinicSettings`.
"""

from .errors import DomainError, ScoringError, ValidationError
from .instruments import INSTRUMENTS, Instrument, get_instrument
from .outcomes import Category, Change, change
from .scoring import Score, round_half_up, score
from .settings import DEFAULT_SETTINGS, ClinicSettings, InstrumentThresholds

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
