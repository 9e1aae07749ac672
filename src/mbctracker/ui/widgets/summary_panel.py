"""The course summary panel: every figure comes from :func:`domain.timeline.summarize`.

The PDF summary calls the same function and words it through the same
:mod:`mbctracker.presentation.texts`, so the screen and the paper agree.
Open safety flags are listed first, each with a link to record the action.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from ...domain.instruments import INSTRUMENTS
from ...domain.outcomes import EarlyStatus
from ...domain.settings import ClinicSettings
from ...domain.timeline import (
    AssessmentRecord,
    CourseSummary,
    CourseTimeline,
    InstrumentSummary,
)
from ...presentation import texts
from .. import style
from ..i18n import progress_text, term, translate, words
from .chart_data import flag_tip


class CourseSummaryPanel(QTextBrowser):
    """Read-only, selectable HTML summary; links ask to record a safety action."""

    record_action_requested = Signal(int)
    """The user clicked "record action" on an open flag (assessment id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courseSummary")
        self.setAccessibleName(self.tr("Course summary"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)
        self.html_shown = self.tr("<p class='muted'>Select a patient.</p>")
        """The HTML shown, kept to show it again in other colours."""
        self._style_document()
        self.setHtml(self.html_shown)

    def _style_document(self) -> None:
        """Flag, muted and link colours for the palette in force (light or dark)."""
        palette = self.palette()
        self.document().setDefaultStyleSheet(
            "td, th { padding: 2px 6px; } th { text-align: left; }"
            f".flag {{ color: {style.text_colour(style.FLAG_RED, palette).name()}; "
            "font-weight: bold; }"
            f".muted {{ color: {style.text_colour(style.MUTED, palette).name()}; }}"
            f"a {{ color: {palette.color(QPalette.ColorRole.Link).name()}; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark switched: the text already shown is set again in the new colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_document()
            self.setHtml(self.html_shown)

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == "action":
            self.record_action_requested.emit(int(url.path() or url.host()))

    def show_summary(self, timeline: CourseTimeline | None, summary: CourseSummary | None) -> None:
        if timeline is None or summary is None:
            self._show(
                self.tr("<p class='muted'>No course yet. Start one with Course → Start course.</p>")
            )
            return
        self._show(summary_html(timeline, summary))

    def _show(self, html: str) -> None:
        self.html_shown = html
        self.setHtml(html)


def summary_html(timeline: CourseTimeline, summary: CourseSummary) -> str:
    course = timeline.course
    parts = [_flags_html(timeline, summary), _integrity_html(timeline)]
    status = term(course.status.label)
    if course.discontinue_reason:
        status += f" ({term(course.discontinue_reason.label).lower()})"
    parts.append(
        translate(
            "summary_panel",
            "<p><b>{0}</b> from {1:%Y-%m-%d} · phase <b>{2}</b> · {3}<br>Sessions <b>{4}</b></p>",
        ).format(
            escape(term(course.modality.label)),
            course.start_date,
            term(course.phase.label),
            status,
            escape(progress_text(summary.progress)),
        )
    )
    if summary.instruments:
        parts.append(_table_html(summary, course.settings))
        parts.append(_details_html(summary))
    else:
        parts.append(
            translate(
                "summary_panel", "<p class='muted'>No scores recorded yet (Ctrl+E: new entry).</p>"
            )
        )
    parts.append(_events_html(summary))
    return "".join(parts)


def _flags_html(timeline: CourseTimeline, summary: CourseSummary) -> str:
    """Every open flag of the patient, naming the course when it is another one; nothing
    when none is open (the course view's safety line says so, once)."""
    if not summary.open_flags:
        return ""
    record_action = translate("summary_panel", "Record action…")
    rows = "".join(
        f"<li>{a.when:%Y-%m-%d} {INSTRUMENTS[a.instrument].name}{_elsewhere(timeline, a)}: "
        f"{escape(flag_tip(a))} <a href='action:{a.id}'>{record_action}</a></li>"
        for a in summary.open_flags
    )
    return translate(
        "summary_panel", "<p class='flag'>⚠ {0} OPEN SAFETY FLAG(S)</p><ul>{1}</ul>"
    ).format(len(summary.open_flags), rows)


def _elsewhere(timeline: CourseTimeline, record: AssessmentRecord) -> str:
    if record.course_id == timeline.course.id:
        return ""
    other = timeline.course_of(record)
    return translate("summary_panel", " (in the {0} course from {1:%Y-%m-%d})").format(
        term(other.modality.label), other.start_date
    )


def _integrity_html(timeline: CourseTimeline) -> str:
    """Rows changed outside the app are named here, never silently trusted."""
    damaged = timeline.integrity_warnings
    if not damaged:
        return ""
    rows = "".join(
        f"<li>{a.when:%Y-%m-%d %H:%M} {escape(a.instrument)}: {escape(a.integrity_warning)}</li>"
        for a in damaged
    )
    return translate(
        "summary_panel", "<p class='flag'>⚠ {0} stored record(s) disagree with their items</p>"
    ).format(len(damaged)) + (f"<ul>{rows}</ul>")


def _table_html(summary: CourseSummary, settings: ClinicSettings) -> str:
    head = translate(
        "summary_panel",
        "<tr><th>Instrument</th><th>Baseline</th><th>Latest</th><th>Change</th>"
        "<th>Outcome</th><th>Remission</th><th>Reliable change</th></tr>",
    )
    rows = "".join(_row(s, settings) for s in summary.instruments)
    return f"<table cellspacing='0'>{head}{rows}</table>"


def _row(s: InstrumentSummary, settings: ClinicSettings) -> str:
    """Change, outcome, remission and reliable change worded as the PDF's glance table."""
    ch, phrases = s.change, words()
    base = s.baseline.score.display_total if s.baseline else texts.DASH
    latest = s.latest.score.display_total if s.latest else texts.DASH
    band = f" <span class='muted'>{term(s.latest.score.severity or '')}</span>" if s.latest else ""
    cells = (
        texts.change_text(ch, phrases),
        texts.category_text(ch, phrases),
        texts.remission_text(ch, settings, phrases),
        texts.reliable_text(ch, phrases),
    )
    return (
        f"<tr><td><b>{s.name}</b></td><td>{base}</td><td>{latest}{band}</td>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        + "</tr>"
    )


def _details_html(summary: CourseSummary) -> str:
    lines = []
    for s in summary.instruments:
        bits = []
        if s.sustained_response:
            bits.append(
                translate("summary_panel", "sustained response from {0:%Y-%m-%d}").format(
                    s.sustained_response
                )
            )
        if s.sustained_remission:
            bits.append(
                translate("summary_panel", "sustained remission from {0:%Y-%m-%d}").format(
                    s.sustained_remission
                )
            )
        if s.sessions_to_response:
            bits.append(
                translate("summary_panel", "response at session {0}").format(s.sessions_to_response)
            )
        if s.change.recovery is not None:
            bits.append(
                translate("summary_panel", "recovery")
                if s.change.recovery
                else translate("summary_panel", "no recovery")
            )
        if bits:
            lines.append(f"<b>{s.name}</b>: " + "; ".join(bits))
    headline = summary.headline
    if headline and headline.early and headline.early.status != EarlyStatus.NOT_EVALUABLE:
        early = headline.early
        best = texts.best_percent_text(early.best_percent, words())
        lines.append(
            translate(
                "summary_panel",
                "<b>Early improvement ({0}, {1})</b>: {2}{3}.<br><span class='muted'>{4}</span>",
            ).format(
                headline.name,
                early.judged_by,
                term(early.status.value),
                best,
                escape(early.source),
            )
        )
    return "<p>" + "<br>".join(lines) + "</p>" if lines else ""


def _events_html(summary: CourseSummary) -> str:
    if not summary.recent_events:
        return translate("summary_panel", "<p class='muted'>No events recorded.</p>")
    rows = "".join(
        f"<li>{e.when:%Y-%m-%d} {term(e.kind.label)}"
        + (f" - {term(e.reason.label).lower()}" if e.reason else "")
        + (f": {escape(e.description)}" if e.description else "")
        + "</li>"
        for e in summary.recent_events
    )
    return translate("summary_panel", "<p><b>Recent events</b></p><ul>{0}</ul>").format(rows)
