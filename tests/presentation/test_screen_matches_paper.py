"""For random courses, what the screen shows equals what the PDF prints.

Screen: the real summary panel (its table cells, read from the QTextDocument)
and the real trajectory chart (the labels and levels of the lines it drew).
Paper: the real summary rendered by ``reports.render_summary`` and read back
with pypdf. The two used to disagree: the screen rounded 24.6% to "25%
improvement" and drew a CGI-S response line the PDF refuses.
"""

from __future__ import annotations

import io
import re
from fractions import Fraction

from courses import GENERATED_AT, build
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from PySide6.QtGui import QTextCursor, QTextTable

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.settings import ClinicSettings
from mbctracker.domain.timeline import CourseTimeline, summarize
from mbctracker.reports import render_summary
from mbctracker.ui.widgets.chart import TrajectoryChart
from mbctracker.ui.widgets.summary_panel import CourseSummaryPanel

CODES = list(INSTRUMENTS)
LEVEL = re.compile(r"(remission|response|partial) ≤ ([0-9.]+)")


def _total(code: str) -> st.SearchStrategy[int | None]:
    inst = INSTRUMENTS[code]
    return st.none() | st.integers(inst.total_min, inst.total_max)


@st.composite
def courses(draw: st.DrawFn) -> CourseTimeline:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    n_visits = draw(st.integers(1, 6))
    visits = [{code: draw(_total(code)) for code in codes} for _ in range(n_visits)]
    response = draw(st.sampled_from([Fraction(1, 2), Fraction(2, 5), Fraction(3, 5)]))
    partial = draw(st.sampled_from([Fraction(1, 4), Fraction(1, 5), Fraction(1, 3)]))
    clinic = ClinicSettings(response_fraction=response, partial_fraction=partial)
    clinic = clinic.with_madrs_remission(draw(st.sampled_from([10, 12])))
    return build(visits, clinic)


def _pdf_text(timeline: CourseTimeline) -> str:
    reader = PdfReader(io.BytesIO(render_summary(timeline, generated_at=GENERATED_AT)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _panel_rows(panel: CourseSummaryPanel) -> dict[str, list[str]]:
    """The summary table as shown: instrument name -> its cells."""
    frame = next(f for f in panel.document().rootFrame().childFrames() if isinstance(f, QTextTable))
    rows: dict[str, list[str]] = {}
    for r in range(1, frame.rows()):
        cells = []
        for c in range(frame.columns()):
            cell = frame.cellAt(r, c)
            cursor = cell.firstCursorPosition()
            end = cell.lastCursorPosition().position()
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cells.append(cursor.selectedText())
        rows[cells[0]] = cells
    return rows


def _screen_lines(chart: TrajectoryChart, code: str) -> list[tuple[str, float]]:
    chart.set_shown([code])
    name = INSTRUMENTS[code].name
    return [(label.removeprefix(f"{name} "), y) for label, y in chart.drawn_lines[code]]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(timeline=courses())
# Always checked: the two disagreements the issue names (CGI-S 6 -> 3 drew a response line
# on screen; MADRS 57 -> 43 = 24.6% read "25% improvement" on screen).
@example(timeline=build([{"CGIS": 6, "MADRS": 57}, {"CGIS": 3, "MADRS": 43}]))
def test_screen_figures_equal_the_pdf(qtbot, timeline: CourseTimeline) -> None:
    summary = summarize(timeline)
    panel, chart = CourseSummaryPanel(), TrajectoryChart()
    qtbot.addWidget(panel)
    qtbot.addWidget(chart)
    panel.show_summary(timeline, summary)
    chart.set_timeline(timeline, summary)
    paper = _pdf_text(timeline)
    rows = _panel_rows(panel) if summary.instruments else {}
    charted: list[str] = []
    for item in summary.instruments:
        # Change, category, remission, reliable change: same words, same order, both outputs.
        change, category, remission, reliable = rows[item.name][3:7]
        assert f"{change} {category} {remission} {reliable}" in paper
        if item.change.percent_change is not None:
            assert re.fullmatch(r"-?\d+\.\d% \(.+\)", change), change  # one decimal
        lines = _screen_lines(chart, item.instrument)  # the chart now shows this scale alone
        if item.latest is not None:
            readout = chart.readout.text()
            assert f"{item.name}</b> " in readout and "None" not in readout
            if item.change.percent_change is not None:
                assert f"{change} · {category}" in readout
            charted += [label for label, _ in lines]
        if item.instrument == "CGIS":
            assert lines == []  # ordinal: no percent lines, and no remission cut-off
        if (item.instrument, item.change.baseline_total, item.change.current_total) == (
            "MADRS",
            57,
            43,
        ):
            assert change == "24.6% (14 pts better)" and category == "Non-response"
        for label, y in lines:
            shown = float(LEVEL.match(label).group(2))  # type: ignore[union-attr]
            assert abs(shown - y) <= 0.005  # the label rounds to two decimals, the line is exact
    # Every line the screen draws for a charted scale is in the PDF's key, and no more.
    printed = [m.group(0) for m in LEVEL.finditer(paper)]
    assert sorted(LEVEL.match(label).group(0) for label in charted) == sorted(printed)  # type: ignore[union-attr]
    for label in charted:
        assert label in paper
