"""The clinical vocabulary in the window's language: modalities, phases, statuses, event
kinds, reasons, outcome categories, severity bands and the session form's field names.

The domain keeps one English label per value (the PDF, the exports and the change log use
it); the window shows it through :func:`mbctracker.ui.i18n.term`. This list is what
lupdate reads into the catalogue; a test checks it names every label the domain has, so a
new modality or reason cannot reach the Spanish window untranslated. Questionnaire texts
(items, answers, the CGI anchors) are not here: see the About box.

The Preferences numbers (label, unit, source per row of services.preference_fields) are
listed here too, with the instruments' threshold rows as templates, and shown through
:func:`preference_texts`; roles (domain.access.Role) are in ``LABELS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.instruments import INSTRUMENTS
from .i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from ..services.preference_fields import NumberField

LABELS = (
    QT_TRANSLATE_NOOP("labels", "IV ketamine"),
    QT_TRANSLATE_NOOP("labels", "IM ketamine (KAP)"),
    QT_TRANSLATE_NOOP("labels", "Esketamine"),
    QT_TRANSLATE_NOOP("labels", "TMS"),
    QT_TRANSLATE_NOOP("labels", "ECT"),
    QT_TRANSLATE_NOOP("labels", "Induction"),
    QT_TRANSLATE_NOOP("labels", "Continuation"),
    QT_TRANSLATE_NOOP("labels", "Maintenance"),
    QT_TRANSLATE_NOOP("labels", "Follow-up"),
    QT_TRANSLATE_NOOP("labels", "Active"),
    QT_TRANSLATE_NOOP("labels", "Completed"),
    QT_TRANSLATE_NOOP("labels", "Discontinued"),
    QT_TRANSLATE_NOOP("labels", "Logistical"),
    QT_TRANSLATE_NOOP("labels", "Side effects"),
    QT_TRANSLATE_NOOP("labels", "Lack of benefit"),
    QT_TRANSLATE_NOOP("labels", "Cost"),
    QT_TRANSLATE_NOOP("labels", "Other"),
    QT_TRANSLATE_NOOP("labels", "Psychiatric hospitalization"),
    QT_TRANSLATE_NOOP("labels", "ED visit"),
    QT_TRANSLATE_NOOP("labels", "Adverse event"),
    QT_TRANSLATE_NOOP("labels", "Dropout"),
    QT_TRANSLATE_NOOP("labels", "Baseline"),
    QT_TRANSLATE_NOOP("labels", "Pre-session"),
    QT_TRANSLATE_NOOP("labels", "Reviewed"),
    QT_TRANSLATE_NOOP("labels", "Safety plan"),
    QT_TRANSLATE_NOOP("labels", "Structured risk assessment"),
    QT_TRANSLATE_NOOP("labels", "Referral"),
    QT_TRANSLATE_NOOP("labels", "Female"),
    QT_TRANSLATE_NOOP("labels", "Male"),
    QT_TRANSLATE_NOOP("labels", "Unknown"),
    QT_TRANSLATE_NOOP("labels", "Anxiety disorder"),
    QT_TRANSLATE_NOOP("labels", "Personality disorder"),
    QT_TRANSLATE_NOOP("labels", "Bipolar disorder"),
    QT_TRANSLATE_NOOP("labels", "Psychotic disorder"),
    QT_TRANSLATE_NOOP("labels", "Substance use disorder"),
    QT_TRANSLATE_NOOP("labels", "PTSD"),
    QT_TRANSLATE_NOOP("labels", "OCD"),
    QT_TRANSLATE_NOOP("labels", "Pre-dose"),
    QT_TRANSLATE_NOOP("labels", "During"),
    QT_TRANSLATE_NOOP("labels", "Discharge"),
    QT_TRANSLATE_NOOP("labels", "Response"),
    QT_TRANSLATE_NOOP("labels", "Partial response"),
    QT_TRANSLATE_NOOP("labels", "Non-response"),
    QT_TRANSLATE_NOOP("labels", "Not evaluable"),
    QT_TRANSLATE_NOOP("labels", "early improvement"),
    QT_TRANSLATE_NOOP("labels", "no early improvement"),
    QT_TRANSLATE_NOOP("labels", "not assessed in the window"),
    QT_TRANSLATE_NOOP("labels", "not yet assessable"),
    QT_TRANSLATE_NOOP("labels", "not evaluable"),
    QT_TRANSLATE_NOOP("labels", "minimal"),
    QT_TRANSLATE_NOOP("labels", "mild"),
    QT_TRANSLATE_NOOP("labels", "moderate"),
    QT_TRANSLATE_NOOP("labels", "moderately severe"),
    QT_TRANSLATE_NOOP("labels", "severe"),
    QT_TRANSLATE_NOOP("labels", "normal"),
    QT_TRANSLATE_NOOP("labels", "Dose"),
    QT_TRANSLATE_NOOP("labels", "Weight"),
    QT_TRANSLATE_NOOP("labels", "Infusion duration"),
    QT_TRANSLATE_NOOP("labels", "BP before, systolic"),
    QT_TRANSLATE_NOOP("labels", "BP before, diastolic"),
    QT_TRANSLATE_NOOP("labels", "BP peak, systolic"),
    QT_TRANSLATE_NOOP("labels", "BP peak, diastolic"),
    QT_TRANSLATE_NOOP("labels", "BP after, systolic"),
    QT_TRANSLATE_NOOP("labels", "BP after, diastolic"),
    QT_TRANSLATE_NOOP("labels", "Session duration"),
    QT_TRANSLATE_NOOP("labels", "Monitoring time"),
    QT_TRANSLATE_NOOP("labels", "Sedation"),
    QT_TRANSLATE_NOOP("labels", "Dissociation"),
    QT_TRANSLATE_NOOP("labels", "Protocol"),
    QT_TRANSLATE_NOOP("labels", "Target"),
    QT_TRANSLATE_NOOP("labels", "Motor threshold"),
    QT_TRANSLATE_NOOP("labels", "Intensity"),
    QT_TRANSLATE_NOOP("labels", "Pulses"),
    QT_TRANSLATE_NOOP("labels", "Electrode placement"),
    QT_TRANSLATE_NOOP("labels", "Pulse width"),
    QT_TRANSLATE_NOOP("labels", "Charge"),
    QT_TRANSLATE_NOOP("labels", "Frequency"),
    QT_TRANSLATE_NOOP("labels", "Train duration"),
    QT_TRANSLATE_NOOP("labels", "Impedance"),
    QT_TRANSLATE_NOOP("labels", "Seizure duration, EEG"),
    QT_TRANSLATE_NOOP("labels", "Seizure duration, motor"),
    QT_TRANSLATE_NOOP("labels", "Post-ictal suppression index"),
    QT_TRANSLATE_NOOP("labels", "Anaesthetic"),
    QT_TRANSLATE_NOOP("labels", "Anaesthetic dose"),
    QT_TRANSLATE_NOOP("labels", "Muscle relaxant"),
    QT_TRANSLATE_NOOP("labels", "Relaxant dose"),
    QT_TRANSLATE_NOOP("labels", "Systolic BP"),
    QT_TRANSLATE_NOOP("labels", "Diastolic BP"),
    QT_TRANSLATE_NOOP("labels", "Heart rate"),
    QT_TRANSLATE_NOOP("labels", "SpO2"),
    QT_TRANSLATE_NOOP("labels", "clinician"),
    QT_TRANSLATE_NOOP("labels", "nurse"),
    QT_TRANSLATE_NOOP("labels", "front desk"),
    QT_TRANSLATE_NOOP("labels", "administrator"),
)

PHRASES = (
    QT_TRANSLATE_NOOP("texts", "no change"),
    QT_TRANSLATE_NOOP("texts", "{0} pts better"),
    QT_TRANSLATE_NOOP("texts", "{0} pts worse"),
    QT_TRANSLATE_NOOP("texts", "n/a (ordinal scale)"),
    QT_TRANSLATE_NOOP("texts", "Response"),
    QT_TRANSLATE_NOOP("texts", "Partial response"),
    QT_TRANSLATE_NOOP("texts", "Non-response"),
    QT_TRANSLATE_NOOP("texts", "Not evaluable"),
    QT_TRANSLATE_NOOP("texts", "n/a"),
    QT_TRANSLATE_NOOP("texts", "Yes"),
    QT_TRANSLATE_NOOP("texts", "No"),
    QT_TRANSLATE_NOOP("texts", "Improvement"),
    QT_TRANSLATE_NOOP("texts", "Deterioration"),
    QT_TRANSLATE_NOOP("texts", "None"),
    QT_TRANSLATE_NOOP("texts", "No standard value"),
    QT_TRANSLATE_NOOP("texts", ", best {0}"),
    QT_TRANSLATE_NOOP("texts", "remission"),
    QT_TRANSLATE_NOOP("texts", "no scores yet"),
    QT_TRANSLATE_NOOP("texts", "baseline {0} on {1} · no later score yet"),
)
"""presentation.texts.PHRASES for lupdate (the window's readouts and summary table)."""

TODAY_SECTIONS = (
    QT_TRANSLATE_NOOP("labels", "Sessions recorded today"),
    QT_TRANSLATE_NOOP("labels", "Scores typed today, session not recorded yet"),
    QT_TRANSLATE_NOOP("labels", "Sessions due by the course schedule"),
    QT_TRANSLATE_NOOP("labels", "Open safety flags"),
    QT_TRANSLATE_NOOP("labels", "Follow-ups due after induction"),
    QT_TRANSLATE_NOOP("labels", "REMS monitoring forms to submit"),
    QT_TRANSLATE_NOOP("labels", "Payer-authorised sessions running out"),
)
"""services.today.SECTIONS' titles (the Today view's headings); their lines stay English."""

PREFERENCE_TEXTS = (
    QT_TRANSLATE_NOOP("preferences", "Response and remission"),
    QT_TRANSLATE_NOOP("preferences", "Instruments"),
    QT_TRANSLATE_NOOP("preferences", "Schedule"),
    QT_TRANSLATE_NOOP("preferences", "Around the session"),
    QT_TRANSLATE_NOOP("preferences", "Clinic outcomes"),
    QT_TRANSLATE_NOOP("preferences", "Sustained: consecutive assessments"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 2 or more consecutive valid assessments (CLINICAL.md policy)"
    ),
    QT_TRANSLATE_NOOP("preferences", "Sustained: spanning at least"),
    QT_TRANSLATE_NOOP("preferences", " days"),
    QT_TRANSLATE_NOOP("preferences", "Default 14 days (CLINICAL.md policy)"),
    QT_TRANSLATE_NOOP("preferences", "Early improvement ≥"),
    QT_TRANSLATE_NOOP("preferences", " %"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 20% by about week 2 predicts later response (CLINICAL.md)"
    ),
    QT_TRANSLATE_NOOP("preferences", "Early improvement judged by day"),
    QT_TRANSLATE_NOOP("preferences", "Default day 14 (about week 2)"),
    QT_TRANSLATE_NOOP("preferences", "IV ketamine: judged by infusion"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 4: no 20% improvement by infusion 4 predicted non-response"
    ),
    QT_TRANSLATE_NOOP("preferences", "Baseline may be dated before the start by"),
    QT_TRANSLATE_NOOP("preferences", "Default 90 days (policy)"),
    QT_TRANSLATE_NOOP("preferences", "Induction: a session every"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 3: 6 IV ketamine infusions over 2-3 weeks (CLINICAL.md)"
    ),
    QT_TRANSLATE_NOOP("preferences", "Continuation: a session every"),
    QT_TRANSLATE_NOOP("preferences", "Default 7 (policy)"),
    QT_TRANSLATE_NOOP("preferences", "Maintenance: a session every"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 21: KAP maintenance about every 21 days (CLINICAL.md)"
    ),
    QT_TRANSLATE_NOOP("preferences", "Link a score to a session up to"),
    QT_TRANSLATE_NOOP("preferences", " days later"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 3 (the weekend): a score with no session that day links to the next"
    ),
    QT_TRANSLATE_NOOP("preferences", "List a follow-up before it is due by"),
    QT_TRANSLATE_NOOP("preferences", "Default 2"),
    QT_TRANSLATE_NOOP("preferences", "Keep an overdue follow-up listed for"),
    QT_TRANSLATE_NOOP("preferences", "Default 14"),
    QT_TRANSLATE_NOOP("preferences", "Today lists unsubmitted REMS forms of the last"),
    QT_TRANSLATE_NOOP("preferences", "Default 30"),
    QT_TRANSLATE_NOOP("preferences", "Warn when payer-authorised sessions left ≤"),
    QT_TRANSLATE_NOOP("preferences", "Default 3"),
    QT_TRANSLATE_NOOP("preferences", "Dose at systolic ≤"),
    QT_TRANSLATE_NOOP("preferences", " mmHg"),
    QT_TRANSLATE_NOOP("preferences", "Default 140/90 before dosing, as in the esketamine label"),
    QT_TRANSLATE_NOOP("preferences", "Dose at diastolic ≤"),
    QT_TRANSLATE_NOOP("preferences", "Default 90"),
    QT_TRANSLATE_NOOP("preferences", "Alert above systolic"),
    QT_TRANSLATE_NOOP("preferences", "Default 180/110 (policy)"),
    QT_TRANSLATE_NOOP("preferences", "Alert above diastolic"),
    QT_TRANSLATE_NOOP("preferences", "Default 110"),
    QT_TRANSLATE_NOOP("preferences", "Discharge at systolic ≤"),
    QT_TRANSLATE_NOOP("preferences", "Default 160/100 (policy)"),
    QT_TRANSLATE_NOOP("preferences", "Discharge at diastolic ≤"),
    QT_TRANSLATE_NOOP("preferences", "Default 100"),
    QT_TRANSLATE_NOOP("preferences", "Heart rate at least"),
    QT_TRANSLATE_NOOP("preferences", " /min"),
    QT_TRANSLATE_NOOP("preferences", "Default 50"),
    QT_TRANSLATE_NOOP("preferences", "Heart rate at most"),
    QT_TRANSLATE_NOOP("preferences", "Default 120"),
    QT_TRANSLATE_NOOP("preferences", "SpO₂ at least"),
    QT_TRANSLATE_NOOP("preferences", "Default 92%"),
    QT_TRANSLATE_NOOP("preferences", "Warn when mg and mg/kg × weight differ by >"),
    QT_TRANSLATE_NOOP("preferences", "Default 10%"),
    QT_TRANSLATE_NOOP("preferences", "REMS: monitor for at least"),
    QT_TRANSLATE_NOOP("preferences", " min"),
    QT_TRANSLATE_NOOP("preferences", "Default 120: esketamine REMS, 2 hours after the dose"),
    QT_TRANSLATE_NOOP("preferences", "REMS: submit the form within"),
    QT_TRANSLATE_NOOP("preferences", "Default 7 days (esketamine REMS)"),
    QT_TRANSLATE_NOOP("preferences", "TMS: re-determine a motor threshold older than"),
    QT_TRANSLATE_NOOP("preferences", "Default 7 days (policy)"),
    QT_TRANSLATE_NOOP("preferences", "ECT: adequate EEG seizure ≥"),
    QT_TRANSLATE_NOOP("preferences", " s"),
    QT_TRANSLATE_NOOP("preferences", "Default 25 s (policy)"),
    QT_TRANSLATE_NOOP("preferences", "ECT: adequate motor seizure ≥"),
    QT_TRANSLATE_NOOP("preferences", "Default 20 s (policy)"),
    QT_TRANSLATE_NOOP("preferences", "6-week value: closest to day"),
    QT_TRANSLATE_NOOP("preferences", "Default day 42 (Psychiatry Res 2025)"),
    QT_TRANSLATE_NOOP("preferences", "6-week window from day"),
    QT_TRANSLATE_NOOP("preferences", "Default 28"),
    QT_TRANSLATE_NOOP("preferences", "6-week window to day"),
    QT_TRANSLATE_NOOP("preferences", "Default 56"),
    QT_TRANSLATE_NOOP("preferences", "C/M: a session within"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 90 days after the last induction session (CLINICAL.md)"
    ),
    QT_TRANSLATE_NOOP("preferences", "C/M outcome: hospitalization within"),
    QT_TRANSLATE_NOOP("preferences", "Default 365 days (Psychiatry Res 2025)"),
    QT_TRANSLATE_NOOP("preferences", "Fewest courses to report a rate or model"),
    QT_TRANSLATE_NOOP("preferences", "Default 10"),
    QT_TRANSLATE_NOOP("preferences", "Fewest events for the relative-risk model"),
    QT_TRANSLATE_NOOP("preferences", "Default 5"),
    QT_TRANSLATE_NOOP("preferences", "Trajectory groups: at most"),
    QT_TRANSLATE_NOOP(
        "preferences", "Default 6; BIC chooses among 1 to this (J Affect Disord 2026 found 4)"
    ),
    QT_TRANSLATE_NOOP("preferences", "Trajectory curve degree"),
    QT_TRANSLATE_NOOP("preferences", "Trajectory random starts"),
    QT_TRANSLATE_NOOP("preferences", "Trajectory: last visit modelled"),
    QT_TRANSLATE_NOOP("preferences", "Default 8 (baseline = 0)"),
    QT_TRANSLATE_NOOP("preferences", "Trajectory seed"),
    QT_TRANSLATE_NOOP("preferences", "Default 2026: the same data gives the same groups"),
    QT_TRANSLATE_NOOP("preferences", "Flag groups with mean posterior below"),
    QT_TRANSLATE_NOOP("preferences", "Default 70%"),
    QT_TRANSLATE_NOOP("preferences", "Flag groups smaller than"),
    QT_TRANSLATE_NOOP("preferences", "Default 5% of patients"),
)
"""services.preference_fields' tabs and numbers (labels, units, sources) for lupdate."""

THRESHOLD_TEXTS = {
    "max_missing": (
        QT_TRANSLATE_NOOP("preferences", "{name}: prorate with at most"),
        QT_TRANSLATE_NOOP("preferences", " missing item(s)"),
        QT_TRANSLATE_NOOP(
            "preferences", "Default {d} (CLINICAL.md policy); more missing = no total"
        ),
    ),
    "caseness_min": (
        QT_TRANSLATE_NOOP("preferences", "{name}: a case at ≥"),
        "",
        QT_TRANSLATE_NOOP("preferences", "Default {d} (NHS Talking Therapies)"),
    ),
    "reliable_change": (
        QT_TRANSLATE_NOOP("preferences", "{name}: reliable change ≥"),
        QT_TRANSLATE_NOOP("preferences", " points"),
        QT_TRANSLATE_NOOP("preferences", "Default {d} (NHS Talking Therapies)"),
    ),
    "mcid": (
        QT_TRANSLATE_NOOP("preferences", "{name}: clinically important change ≥"),
        QT_TRANSLATE_NOOP("preferences", " points"),
        QT_TRANSLATE_NOOP(
            "preferences", "Default {d} points (minimal clinically important difference)"
        ),
    ),
    "safety_item_min": (
        QT_TRANSLATE_NOOP("preferences", "{name}: flag item {item} at ≥"),
        "",
        QT_TRANSLATE_NOOP("preferences", "Default {d} (CLINICAL.md policy)"),
    ),
}
"""The instruments' threshold rows as templates ({name} the instrument, {d} its default):
services.preference_fields fills them in English, the window in its language."""


def _tr(text: str) -> str:
    return translate("preferences", text) if text else text


def tab_title(title: str) -> str:
    """A Preferences tab (services.preference_fields.TABS, or the Clinic tab) as shown."""
    return _tr(title)


def preference_texts(spec: NumberField) -> tuple[str, str, str]:
    """A settable number's label, unit and source in the window's language."""
    parts = spec.key.split(".")
    if parts[0] != "thresholds":
        return _tr(spec.label), _tr(spec.unit), _tr(spec.source)
    inst = INSTRUMENTS[parts[1]]
    label, unit, source = THRESHOLD_TEXTS[parts[2]]
    item = inst.safety.item if inst.safety else 0
    default = getattr(inst.thresholds, parts[2])
    return (
        _tr(label).format(name=inst.name, item=item),
        _tr(unit),
        _tr(source).format(d=default),
    )
