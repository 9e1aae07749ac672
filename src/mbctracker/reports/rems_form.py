"""The printable esketamine REMS patient monitoring record, one page per session.

A nurse checks and signs it and the clinic submits it (REMS expects it within
7 days of the session). Dose, blood pressure, sedation and dissociation come
from the session's own details and vitals, so nothing is typed twice; a blank
field prints as a line to fill in by hand, never as "none".
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from ..domain.procedure import REMS_CONCOMITANT, RemsRecord, VitalPoint, VitalSigns
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseInfo, PatientInfo, SessionRecord
from . import fmt
from .fonts import SANS, register_fonts
from .styles import Cell, grid_table, para, rich
from .summary import page_size

# --- the REMS patient monitoring form -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemsForm:
    """Everything the printable monitoring form shows for one esketamine session."""

    patient: PatientInfo
    course: CourseInfo
    session: SessionRecord
    record: RemsRecord | None
    readings: tuple[VitalSigns, ...]


def _box(checked: bool) -> str:
    return "\u2612" if checked else "\u2610"


def _time(value: datetime | None) -> str:
    return fmt.moment(value) if value else "________________"


_DETAIL_BP = {VitalPoint.PRE_DOSE: "bp_before", VitalPoint.DISCHARGE: "bp_after"}
"""The session's own BP fields, read when the flowsheet has no reading at that point."""


def _first(form: RemsForm, point: VitalPoint) -> VitalSigns | None:
    """The flowsheet's first reading at ``point``, else the session's BP detail for it."""
    found = next((r for r in form.readings if r.point == point and not r.empty), None)
    prefix = _DETAIL_BP.get(point)
    if found is not None or prefix is None:
        return found
    sys, dia = form.session.details.get(f"{prefix}_sys"), form.session.details.get(f"{prefix}_dia")
    if not isinstance(sys, int) and not isinstance(dia, int):
        return None
    return VitalSigns(
        point,
        None,
        sys if isinstance(sys, int) else None,
        dia if isinstance(dia, int) else None,
    )


def _bp_text(vitals: VitalSigns | None) -> str:
    if vitals is None or (vitals.systolic is None and vitals.diastolic is None):
        return "____ / ____ mmHg   at ______"
    at = f" at {vitals.at:%H:%M}" if vitals.at else ""
    return f"{vitals.systolic or '?'}/{vitals.diastolic or '?'} mmHg{at}"


def _rows(form: RemsForm, settings: ClinicSettings) -> list[tuple[str, str]]:
    sess, record = form.session, form.record or RemsRecord()
    details = sess.details
    dose = details.get("dose_mg")
    minutes = record.monitoring_minutes
    return [
        ("Session", f"{fmt.moment(sess.when)} \u00b7 session {sess.number}"),
        ("Dose", f"{dose} mg" if dose else "\u2610 56 mg   \u2610 84 mg"),
        ("Lot number", record.lot_number or "________________"),
        ("Blood pressure before dosing", _bp_text(_first(form, VitalPoint.PRE_DOSE))),
        ("About 40 minutes after dosing", _bp_text(_first(form, VitalPoint.DURING))),
        ("At discharge", _bp_text(_first(form, VitalPoint.DISCHARGE))),
        ("Sedation", _choice(details.get("sedation"))),
        ("Dissociation", _choice(details.get("dissociation"))),
        ("Respiratory status", _respiratory(record.respiratory_status)),
        ("Monitoring started", _time(record.monitoring_start)),
        ("Monitoring ended", _time(record.monitoring_end)),
        (
            "Monitoring time",
            f"{minutes} min (REMS minimum {settings.rems_monitoring_min} min)"
            if minutes is not None
            else f"______ min (REMS minimum {settings.rems_monitoring_min} min)",
        ),
        ("Ready to leave", _time(record.ready_to_leave_at)),
        (
            "Concomitant medication",
            "   ".join(f"{_box(m in record.concomitant)} {m}" for m in REMS_CONCOMITANT),
        ),
    ]


def _choice(value: object) -> str:
    if value in (None, ""):
        return "\u2610 none   \u2610 present: ____________"
    if value == "none":
        return "\u2612 none"
    return f"\u2612 present ({value})"


def _respiratory(value: str) -> str:
    if not value:
        return "\u2610 normal   \u2610 changed"
    return f"{_box(value == 'normal')} normal   {_box(value == 'changed')} changed"


def rems_story(form: RemsForm, clinic: ClinicSettings, width: float) -> list[Flowable]:
    """The form; thresholds from the course's settings, the clinic's name from ``clinic``."""
    settings = form.course.settings
    patient = form.patient
    record = form.record or RemsRecord()
    due = form.session.when.date() + timedelta(days=settings.rems_submit_days)
    story: list[Flowable] = [
        para("Esketamine REMS patient monitoring record", "title"),
        para(clinic.clinic_name, "body"),
        Spacer(1, 4),
        para(
            f"Patient: {patient.name} \u00b7 MRN {patient.mrn} \u00b7 "
            f"DOB {fmt.day(patient.date_of_birth)}",
            "body",
        ),
        Spacer(1, 6),
    ]
    rows: list[list[Cell]] = [
        [para(label, "head"), para(value)] for label, value in _rows(form, settings)
    ]
    table = grid_table(("Item", "Recorded"), rows, width, (1.0, 2.4))
    story += [table, Spacer(1, 6)]
    submitted = (
        f"Submitted on {fmt.day(record.submitted_on)}."
        if record.submitted_on
        else f"Not yet submitted: submit by {fmt.day(due)} "
        f"(within {settings.rems_submit_days} days of the session)."
    )
    story += [para(submitted, "alert"), Spacer(1, 18)]
    story.append(
        rich(
            escape("Healthcare provider: ")
            + "_" * 30
            + "&nbsp;&nbsp;"
            + escape("Signature: ")
            + "_" * 24
            + "&nbsp;&nbsp;Date: "
            + "_" * 12,
            "body",
        )
    )
    return story


def render_rems_form(form: RemsForm, settings: ClinicSettings) -> bytes:
    """The form as PDF bytes; identical bytes for identical input (``invariant``).

    ``settings`` gives the clinic's name and paper size; REMS thresholds are the course's.
    """
    register_fonts()
    buffer = io.BytesIO()
    margin = 0.7 * inch
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size(settings),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title="Esketamine REMS patient monitoring record",
        creator="mbctracker",
        author="",
        invariant=1,
        pageCompression=1,
        initialFontName=SANS,
    )
    doc.build(rems_story(form, settings, doc.width))
    return buffer.getvalue()
