"""The summary's vitals flowsheet table.

Readings outside the clinic's limits are printed bold with a mark, because a
photocopied chart loses colour.
"""

from __future__ import annotations

from collections import defaultdict

from reportlab.platypus import Table

from ..domain.course import Modality, SessionId
from ..domain.procedure import (
    VitalSigns,
    authorisation_text,
    discharge_status,
    mt_reminder,
    vital_alerts,
)
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseTimeline
from . import fmt
from .styles import Cell, grid_table, para, rich

ALERT_MARK = "!"
"""Printed after a reading outside the clinic's limits (bold too)."""


# --- the summary's vitals table -----------------------------------------------------------


def _reading(value: int | None, alert: bool, unit: str = "") -> Cell:
    if value is None:
        return fmt.DASH
    text = f"{value}{unit}"
    return rich(f"<b>{text} {ALERT_MARK}</b>") if alert else text


def _bp(vitals: VitalSigns, alerts: dict[str, str]) -> Cell:
    sys, dia = vitals.systolic, vitals.diastolic
    if sys is None and dia is None:
        return fmt.DASH
    text = f"{sys if sys is not None else '?'}/{dia if dia is not None else '?'}"
    if "systolic" in alerts or "diastolic" in alerts:
        return rich(f"<b>{text} {ALERT_MARK}</b>")
    return text


def vitals_row(vitals: VitalSigns, settings: ClinicSettings) -> list[Cell]:
    """Point, time, BP, HR, SpO2 with the alerts marked, then the alerts in words."""
    alerts = vital_alerts(vitals, settings)
    return [
        vitals.point.label,
        f"{vitals.at:%H:%M}" if vitals.at else fmt.DASH,
        _bp(vitals, alerts),
        _reading(vitals.heart_rate, "heart_rate" in alerts),
        _reading(vitals.spo2, "spo2" in alerts, "%"),
        para("; ".join(alerts.values()) or fmt.DASH),
    ]


def vitals_table(timeline: CourseTimeline, width: float) -> Table:
    """Every session's flowsheet, with its discharge criteria, in session order."""
    settings = timeline.course.settings
    by_session: dict[SessionId | None, list[VitalSigns]] = defaultdict(list)
    for vitals in timeline.vitals:
        by_session[vitals.session_id].append(vitals)
    rows: list[list[Cell]] = []
    discharge_rows: list[int] = []
    for sess in timeline.sessions:
        readings = by_session.get(sess.id, [])
        if not readings:
            continue
        for index, vitals in enumerate(readings):
            lead: list[Cell] = [fmt.day(sess.when), str(sess.number)] if index == 0 else ["", ""]
            rows.append([*lead, *vitals_row(vitals, settings)])
        discharge_rows.append(len(rows) + 1)  # +1: the header row
        rows.append(["", "", para(discharge_status(readings, settings).text), "", "", "", "", ""])
    header = ("Date", "#", "Point", "Time", "BP mmHg", "HR /min", "SpO2", "Outside limits")
    table = grid_table(header, rows, width, (0.9, 0.3, 0.8, 0.5, 0.8, 0.6, 0.5, 2.6))
    table.setStyle([("SPAN", (2, r), (-1, r)) for r in discharge_rows])
    return table


def limits_line(settings: ClinicSettings) -> str:
    """The limits the table was marked against (the course's copy of the settings)."""
    return (
        f"{ALERT_MARK} outside the clinic's limits: pre-dose BP above "
        f"{settings.bp_predose_systolic_max}/{settings.bp_predose_diastolic_max}, during above "
        f"{settings.bp_alert_systolic}/{settings.bp_alert_diastolic}, discharge above "
        f"{settings.bp_discharge_systolic_max}/{settings.bp_discharge_diastolic_max} mmHg; "
        f"heart rate outside {settings.heart_rate_min}-{settings.heart_rate_max}/min; SpO2 "
        f"below {settings.spo2_min}%. Discharge criteria: a complete discharge reading "
        "within those limits."
    )


def procedure_facts(timeline: CourseTimeline) -> list[str]:
    """The payer count and the motor-threshold reminder, for the glance line.

    The reminder is judged on the latest session's day, so the paper does not
    change with the day it is printed.
    """
    course = timeline.course
    facts = []
    authorised = authorisation_text(course.authorised_sessions, timeline.sessions_done)
    if authorised:
        facts.append(authorised)
    if course.modality == Modality.TMS and timeline.sessions:
        reminder = mt_reminder(
            course.mt_determined_on, timeline.sessions[-1].when.date(), course.settings
        )
        facts.append(reminder or f"Motor threshold determined {fmt.day(course.mt_determined_on)}")
    return facts
