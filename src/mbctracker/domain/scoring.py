"""Scoring with the proration policy and the safety-item rules.

Proration (CLINICAL.md policy): with at most ``max_missing`` items missing,
exact = sum(answered) x n_items / n_answered, and the total is that value
rounded half *up* (4.5 -> 5). Python's ``round`` rounds half to even, so the
arithmetic is done in :class:`~fractions.Fraction`. Past the limit the score is
invalid: no total, no band, no outcome.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .errors import ScoringError
from .instruments import Instrument, InstrumentThresholds, get_instrument
from .settings import DEFAULT_SETTINGS, ClinicSettings

Responses = Sequence[int | None]


@dataclass(frozen=True, slots=True)
class Score:
    """A scored administration of one instrument.

    ``safety_reason`` is None, "endorsed" (the safety item is at or above its
    threshold) or "unanswered" (a safety item whose rule flags a missing answer,
    such as PHQ-9 item 9: it is never imputed).
    """

    instrument: str
    responses: tuple[int | None, ...]
    valid: bool
    total: int | None
    exact_total: float | None
    prorated: bool
    severity: str | None
    n_missing: int
    safety_flag: bool
    safety_reason: str | None
    safety_tier: int | None

    @property
    def flag_level(self) -> int:
        """How serious the flag is (see :func:`flag_level`); 0 = no flag."""
        return flag_level(self.safety_flag, self.safety_reason, self.safety_tier)

    @property
    def display_total(self) -> str:
        """The total as a clinician reads it: "12", "12* (prorated)" or "invalid"."""
        if self.total is None:
            return "invalid"
        return f"{self.total}*" if self.prorated else str(self.total)


FLAG_UNANSWERED = 1
"""Flag level of an unanswered safety item (ask it)."""


def flag_level(flag: bool, reason: str | None, tier: int | None) -> int:
    """Order flags so an escalation is visible: 0 none, 1 unanswered, 2 tier 1, 3 tier 2.

    A safety action answers the level it was recorded at; a correction that
    raises the level (item 9 from 1 to 3, or from unanswered to endorsed)
    reopens the flag, because the earlier action answered a lesser signal.
    """
    if not flag:
        return 0
    if reason == "unanswered":
        return FLAG_UNANSWERED
    return 1 + (tier or 1)


def round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves up (4.5 -> 5), exactly."""
    return math.floor(value + Fraction(1, 2))


def validate_responses(instrument: Instrument, responses: Responses) -> tuple[int | None, ...]:
    """Check count and range; the error names the item and the allowed values."""
    if isinstance(responses, (str, bytes)):
        raise ScoringError(
            f"{instrument.name} responses must be a list of numbers", field="responses"
        )
    values = tuple(responses)
    if len(values) != instrument.n_items:
        raise ScoringError(
            f"{instrument.name} needs {instrument.n_items} item responses, got {len(values)}",
            field="responses",
        )
    for number, value in enumerate(values, start=1):
        _check_item(instrument, number, value)
    return values


def _check_item(instrument: Instrument, number: int, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(
            f"{instrument.name} item {number} ({instrument.item(number).label}) must be a whole "
            f"number {instrument.item_min}-{instrument.item_max} or blank, got {value!r}",
            field=f"item{number}",
        )
    if not instrument.item_min <= value <= instrument.item_max:
        raise ScoringError(
            f"{instrument.name} item {number} ({instrument.item(number).label}) must be "
            f"{instrument.item_min}-{instrument.item_max}, got {value}",
            field=f"item{number}",
        )


def check_supplementary(instrument: Instrument, value: object) -> int | None:
    """The unscored extra answer (PHQ-9 difficulty): blank or one of its listed values."""
    extra = instrument.supplementary
    if value is None:
        return None
    if extra is None:
        raise ScoringError(
            f"{instrument.name} has no supplementary question; leave it blank",
            field="supplementary",
        )
    if isinstance(value, bool) or not isinstance(value, int) or value not in extra.answer_labels:
        raise ScoringError(
            f"{instrument.name} {extra.label} must be {extra.low}-{extra.high} or blank, "
            f"got {value!r}",
            field="supplementary",
        )
    return value


def _answered(instrument: Instrument, values: tuple[int | None, ...]) -> list[int]:
    """Answered values; CGI-S 0 ("not assessed") counts as missing."""
    skip = instrument.not_assessed_value
    return [v for v in values if v is not None and v != skip]


def score(
    instrument: str | Instrument,
    responses: Responses,
    settings: ClinicSettings = DEFAULT_SETTINGS,
) -> Score:
    """Score one administration: total, proration, band and safety flag.

    Raises:
        ScoringError: wrong number of responses or an item out of range.
    """
    inst = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    limits = settings.for_instrument(inst.code)
    values = tuple(responses) if isinstance(responses, (list, tuple)) else None
    if values is not None and _plain(values) and get_instrument(inst.code) is inst:
        return _remembered(inst.code, values, limits)
    return _score(inst, responses, limits)


def _plain(values: tuple[object, ...]) -> bool:
    """Only whole numbers and blanks are remembered: True == 1 and 1.0 == 1 as keys, and
    those answers must still be refused every time."""
    return all(v is None or type(v) is int for v in values)


@functools.lru_cache(maxsize=16384)
def _remembered(code: str, values: tuple[int | None, ...], limits: InstrumentThresholds) -> Score:
    """Scores are pure in (instrument, answers, that instrument's thresholds): a course of
    300 sessions re-checks 300 stored scores on every read, mostly the same ones."""
    return _score(get_instrument(code), values, limits)


def _score(inst: Instrument, responses: Responses, limits: InstrumentThresholds) -> Score:
    values = validate_responses(inst, responses)
    answered = _answered(inst, values)
    n_missing = inst.n_items - len(answered)
    flag, reason, tier = _flag(inst, values, limits)
    if n_missing > limits.max_missing or not answered:
        return Score(
            inst.code, values, False, None, None, False, None, n_missing, flag, reason, tier
        )
    exact = Fraction(sum(answered) * inst.n_items, len(answered))
    total = round_half_up(exact)
    severity = inst.band(total).label
    return Score(
        inst.code,
        values,
        True,
        total,
        float(exact),
        n_missing > 0,
        severity,
        n_missing,
        flag,
        reason,
        tier,
    )


def _safety_minimum(inst: Instrument, limits: InstrumentThresholds) -> int | None:
    """The value that flags: settings move a policy value, never switch the item off.

    A scale's own rule (PHQ-9 item 9 >= 1: any endorsement) is fixed on its
    definition, so no setting changes it; a policy value a course lost falls
    back to the definition's default.
    """
    rule = inst.safety
    if rule is None:
        return None
    if rule.fixed_minimum is not None:
        return rule.fixed_minimum
    configured = limits.safety_item_min
    return configured if configured is not None else inst.thresholds.safety_item_min


def safety_flag(
    inst: Instrument, values: tuple[int | None, ...], settings: ClinicSettings = DEFAULT_SETTINGS
) -> tuple[bool, str | None, int | None]:
    """The instrument's safety rule: (flag, reason, tier).

    At or above ``safety_item_min`` flags, whatever the total and even in
    remission (PHQ-9 item 9 >= 1, MADRS item 10 >= 4). A missing item flags at
    tier 1 ("unanswered") where the rule says so (PHQ-9: never imputed). Tier 2
    (urgent review and a structured risk assessment) from ``safety_urgent_min``;
    without one, every endorsement is tier 2.
    """
    return _flag(inst, values, settings.for_instrument(inst.code))


def _flag(
    inst: Instrument, values: tuple[int | None, ...], limits: InstrumentThresholds
) -> tuple[bool, str | None, int | None]:
    rule, minimum = inst.safety, _safety_minimum(inst, limits)
    if rule is None or minimum is None:
        return False, None, None
    value = values[rule.item - 1]
    if value is None:
        return (True, "unanswered", 1) if rule.flags_missing else (False, None, None)
    if value < minimum:
        return False, None, None
    urgent = limits.safety_urgent_min
    return True, "endorsed", 2 if urgent is None or value >= urgent else 1
