"""The printable progress summary: a platypus document built from one course.

The header (clinic, patient, MRN, DOB, modality, course dates, generated time,
"Page X of Y", confidentiality) is drawn on every page, because pages of a
paper chart get separated. "Page X of Y" needs the page count, which is only
known at the end, so the canvas keeps each page until :meth:`save`.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.flowables import CondPageBreak

from ..domain.errors import ValidationError
from ..domain.limits import MRN_MAX, NAME_MAX
from ..domain.schedule import progress_text
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseSummary, CourseTimeline, summarize
from ..presentation import texts
from . import fmt
from .charts import trajectory_chart
from .fonts import SANS, SANS_BOLD, draw_text, register_fonts, text_width
from .record import course_record_section, session_notes_section, warnings_line
from .sections import (
    definitions,
    events_section,
    integrity_lines,
    open_flags_line,
    safety_section,
    signature_block,
    used_codes,
)
from .styles import para
from .tables import assessments_table, glance_table, no_rows, sessions_table
from .vitals import limits_line, procedure_facts, vitals_table

PAGE_SIZES = {"letter": LETTER, "a4": A4}
MARGIN = 0.55 * inch
HEADER_HEIGHT = 58.0
CHART_HEIGHT = 150.0
CONFIDENTIAL = (
    "CONFIDENTIAL: contains personal health information. Disclose only to those involved in "
    "the patient's care or authorised by law."
)


def render(
    timeline: CourseTimeline, *, generated_at: datetime, settings: ClinicSettings | None = None
) -> bytes:
    """The summary as PDF bytes; identical bytes for the same input and ``generated_at``."""
    register_fonts()
    clinic = settings or timeline.course.settings
    pagesize = page_size(clinic)
    buffer = io.BytesIO()
    doc = _document(buffer, timeline, pagesize)
    header = _Header(timeline, clinic_line(clinic), generated_at)
    doc.addPageTemplates([_template(pagesize, header)])
    doc.build(build_story(timeline, doc.width), canvasmaker=_numbered(header))
    return buffer.getvalue()


def clinic_line(settings: ClinicSettings) -> str:
    """The clinic's name and address on one header line (the header has no room for more)."""
    lines = [line.strip() for line in settings.clinic_address.splitlines() if line.strip()]
    return " \u00b7 ".join([settings.clinic_name, *lines])


def page_size(settings: ClinicSettings) -> tuple[float, float]:
    """Letter or A4 from the clinic's settings; anything else is a clear error."""
    try:
        size: tuple[float, float] = PAGE_SIZES[settings.page_size.lower()]
    except KeyError:
        allowed = ", ".join(PAGE_SIZES)
        raise ValidationError(
            f"Page size {settings.page_size!r} is unknown; use {allowed}", field="page_size"
        ) from None
    return size


def _document(
    buffer: io.BytesIO, timeline: CourseTimeline, pagesize: tuple[float, float]
) -> BaseDocTemplate:
    return BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN,
        title="Measurement-based care progress summary",
        subject=f"MRN {timeline.patient.mrn}",
        creator="mbctracker",
        author="",
        invariant=1,
        pageCompression=1,
        initialFontName=SANS,  # else every page lists Helvetica, a font not embedded
    )


def _template(pagesize: tuple[float, float], header: _Header) -> PageTemplate:
    width, height = pagesize
    frame = Frame(
        MARGIN,
        MARGIN,
        width - 2 * MARGIN,
        height - 2 * MARGIN - HEADER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    return PageTemplate(id="summary", frames=[frame], onPage=header.draw, pagesize=pagesize)


# --- the story ----------------------------------------------------------------------------


def build_story(timeline: CourseTimeline, width: float) -> list[Flowable]:
    """Sections in the order a clinician reads them: status and safety before detail."""
    summary = summarize(timeline)
    story: list[Flowable] = [para("Measurement-based care progress summary", "title")]
    story += _glance(timeline, summary, width)
    story += course_record_section(timeline, width)
    story += [para("Safety", "h2"), *safety_section(timeline, width)]
    story += [para("Events", "h2"), *events_section(timeline, width)]
    story += _charts(timeline, summary, width)
    story += _details(timeline, summary, width)
    story += definitions(timeline.course.settings, timeline.course.modality, used_codes(timeline))
    story.append(signature_block(width))
    return story


def _glance(timeline: CourseTimeline, summary: CourseSummary, width: float) -> list[Flowable]:
    patient = timeline.patient
    comorbid = ", ".join(c.label for c in patient.comorbidities) or "none recorded"
    facts = (
        f"Sessions: {progress_text(summary.progress)} \u00b7 "
        f"Phase: {summary.phase.label} \u00b7 Status: {summary.status.label} \u00b7 "
        f"Sex: {patient.sex.label} \u00b7 Comorbidities: {comorbid}"
    )
    facts += "".join(f" \u00b7 {line}" for line in procedure_facts(timeline))
    parts: list[Flowable] = [para("Course at a glance", "h2"), para(facts, "body"), Spacer(1, 4)]
    if summary.instruments:
        parts.append(glance_table(summary, timeline.course.settings, width))
    else:
        parts.append(no_rows("No assessments recorded in this course."))
    parts += [Spacer(1, 3), *_early_lines(summary), open_flags_line(summary)]
    parts += warnings_line(timeline)
    parts += integrity_lines(timeline)
    return parts


def _early_lines(summary: CourseSummary) -> list[Flowable]:
    """Early improvement, labelled as decision support (never a stopping rule)."""
    lines = []
    for item in summary.instruments:
        if item.early is None:
            continue
        best = texts.best_percent_text(item.early.best_percent)
        lines.append(f"{item.name}: {item.early.status} {item.early.judged_by}{best}")
    if not lines:
        return []
    text = "Early improvement (decision support, not a stopping rule): " + "; ".join(lines) + "."
    return [para(text, "body")]


def _charts(timeline: CourseTimeline, summary: CourseSummary, width: float) -> list[Flowable]:
    items = [item for item in summary.instruments if item.latest is not None]
    if not items:
        return []
    parts: list[Flowable] = [CondPageBreak(CHART_HEIGHT + 30), para("Trajectories", "h2")]
    for item in items:
        parts += [trajectory_chart(timeline, item, width, CHART_HEIGHT), Spacer(1, 6)]
    return parts


def _details(timeline: CourseTimeline, summary: CourseSummary, width: float) -> list[Flowable]:
    parts: list[Flowable] = [CondPageBreak(80), para("All assessments", "h2")]
    if timeline.assessments:
        parts.append(assessments_table(timeline, summary, width))
        parts.append(
            para(
                f"* prorated total (see definitions) \u00b7 {fmt.FLAG_MARK} safety flag "
                "(see Safety) \u00b7 bands: severity of that total",
                "small",
            )
        )
    else:
        parts.append(no_rows("No assessments recorded."))
    parts += [CondPageBreak(80), para("Sessions", "h2")]
    if timeline.sessions:
        parts.append(sessions_table(timeline, width))
        parts += session_notes_section(timeline, width)
    else:
        parts.append(no_rows("No sessions recorded."))
    if timeline.vitals:
        parts += [CondPageBreak(80), para("Vitals", "h2"), vitals_table(timeline, width)]
        parts.append(para(limits_line(timeline.course.settings), "small"))
    return parts


# --- header and page numbers --------------------------------------------------------------


class _Header:
    """Draws the running header; the page count is added by the canvas at save time."""

    def __init__(self, timeline: CourseTimeline, clinic: str, generated_at: datetime) -> None:
        patient, course = timeline.patient, timeline.course
        self.clinic = clinic
        self.patient = fmt.clip(patient.name, NAME_MAX)
        mrn = fmt.clip(patient.mrn, MRN_MAX)
        self.ids = f"MRN {mrn} \u00b7 DOB {fmt.day(patient.date_of_birth)}"
        until = fmt.day(course.end_date) if course.end_date else "ongoing"
        self.course = (
            f"{course.modality.label} \u00b7 course {fmt.day(course.start_date)} to {until}"
        )
        self.generated = f"Progress summary \u00b7 generated {fmt.moment(generated_at)}"

    def draw(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        left, right, top = MARGIN, width - MARGIN, height - MARGIN
        canvas.saveState()
        _pair(canvas, (left, right, top - 9), (self.clinic, SANS_BOLD, 10), self.generated)
        _pair(canvas, (left, right, top - 22), (self.patient, SANS_BOLD, 10.5), self.ids)
        _pair(canvas, (left, right, top - 34), (self.course, SANS, 8.5), "", reserve=80)
        canvas.setFillGray(0.3)
        draw_text(canvas, left, top - 45, CONFIDENTIAL, SANS, 6.5)
        canvas.setStrokeGray(0.4)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 50, right, top - 50)
        canvas.restoreState()

    @staticmethod
    def page_number_position(pagesize: tuple[float, float]) -> tuple[float, float]:
        return pagesize[0] - MARGIN, pagesize[1] - MARGIN - 34


def _pair(
    canvas: Canvas,
    where: tuple[float, float, float],
    lead: tuple[str, str, float],
    tail: str,
    reserve: float = 0.0,
) -> None:
    """Left text and right-aligned text on one line; the left shrinks rather than collide."""
    left, right, y = where
    text, font, size = lead
    room = right - left - max(text_width(tail, SANS, 8.5), reserve) - 12
    while size > 6 and text_width(text, font, size) > room:
        size -= 0.5
    draw_text(canvas, left, y, text, font, size)
    if tail:
        draw_text(canvas, right, y, tail, SANS, 8.5, align="right")


def _numbered(header: _Header) -> type[Canvas]:
    """A canvas class that writes "Page X of Y" once the last page is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                x, y = header.page_number_position(self._pagesize)
                draw_text(self, x, y, f"Page {number} of {total}", SANS_BOLD, 8, align="right")
                super().showPage()
            super().save()

    return NumberedCanvas
