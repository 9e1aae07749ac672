"""Size and range limits for what a person may enter, and the session warning rules.

Limits are one place, named in every message. Warnings (unusual but possible
values) are one list of rules, :data:`SESSION_WARNING_RULES`, at the end.

The text limits keep records readable and the PDF fast (reportlab lays a long
paragraph out in quadratic time: a 1 MB description took over 4 minutes), and
the date limits keep a typo such as year 1 or 1900 out of a 2026 course.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .course import Modality, check_session_details
from .procedure import dose_warnings, seizure_warnings
from .settings import DEFAULT_SETTINGS, ClinicSettings

NAME_MAX = 200
"""Characters in a person's name (patient, rater, clinician)."""
MRN_MAX = 64
"""Characters in a medical record number."""
SHORT_TEXT_MAX = 500
"""Characters in a one-line free-text field (side effects described, action taken)."""
NOTES_MAX = 10_000
"""Characters in notes and descriptions (multi-line)."""
PLANNED_SESSIONS_MAX = 500
"""Sessions a course may plan (TMS courses run 20-36; maintenance adds a few dozen a year)."""
SESSION_NUMBER_MAX = 10_000
"""The highest session number (years of maintenance sessions fit well below it)."""
EARLIEST_DATE = date(1900, 1, 1)
"""No clinical date (birth, course, session, assessment, event) is earlier."""


# --- plausibility warnings ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlausibilityWarning:
    """An unusual but possible value: saved only once confirmed, then kept on the record.

    Attributes:
        rule: the name of the rule that raised it (stable; stored with the session).
        field: the session field it concerns (a ``SESSION_FIELDS`` key), "" for the whole.
        text: the plain sentence shown in the confirmation, the tables and the PDF.
    """

    rule: str
    field: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "field": self.field, "text": self.text}


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What a warning rule may look at; add an attribute here when a rule needs more."""

    modality: Modality
    details: Mapping[str, object]
    settings: ClinicSettings = DEFAULT_SETTINGS


WarningRule = Callable[[SessionFacts], Iterable[PlausibilityWarning]]
"""A check on a session that cannot be refused (the value is possible) but may be a typo."""


def outside_plausible_range(facts: SessionFacts) -> Iterator[PlausibilityWarning]:
    """Each detail outside its field's plausible range (``DetailField.plausible``).

    Run after the impossible has been refused, so every value here is well typed.
    """
    for key, value in facts.details.items():
        if value is None or value == "":
            continue
        for text in check_session_details(facts.modality, {key: value}):
            yield PlausibilityWarning("outside_plausible_range", key, text)


def dose_matches_weight(facts: SessionFacts) -> Iterator[PlausibilityWarning]:
    """mg against mg/kg x the session's weight, beyond the clinic's tolerance."""
    for text in dose_warnings(facts.modality, facts.details, facts.settings):
        yield PlausibilityWarning("dose_matches_weight", "dose_mg", text)


def ect_seizure_adequate(facts: SessionFacts) -> Iterator[PlausibilityWarning]:
    """An ECT seizure reaching neither the EEG nor the motor adequacy threshold."""
    if facts.modality == Modality.ECT:
        for text in seizure_warnings(facts.details, facts.settings):
            yield PlausibilityWarning("ect_seizure_adequate", "seizure_eeg_s", text)


SESSION_WARNING_RULES: tuple[WarningRule, ...] = (
    outside_plausible_range,
    dose_matches_weight,
    ect_seizure_adequate,
)
"""The one list of session warning rules, run in order by :func:`session_warnings`.

A rule takes :class:`SessionFacts` and yields :class:`PlausibilityWarning`s. Whatever
the rules yield is shown to the person before saving (a dialog naming each warning;
service callers pass ``acknowledge_warnings=True``), stored with the session, and
marked in the course view and the PDF. To add a check (a weight cross-check, an ECT
seizure below the clinic's adequacy threshold), write one function and add it here;
give it a stable ``rule`` name, since stored warnings keep it. Refusals (impossible
values) are not rules: they raise ``ValidationError`` before any rule runs.
"""


def session_warnings(
    facts: SessionFacts, rules: Sequence[WarningRule] | None = None
) -> tuple[PlausibilityWarning, ...]:
    """Every warning the rules raise for one session, in rule order, without repeats.

    ``rules`` defaults to :data:`SESSION_WARNING_RULES` as it is when called.
    """
    found: dict[PlausibilityWarning, None] = {}
    for rule in SESSION_WARNING_RULES if rules is None else rules:
        found.update(dict.fromkeys(rule(facts)))
    return tuple(found)
