"""What a course looks like, for every output: one picture, two back-ends.

Pure Python over :mod:`mbctracker.domain` (standard library only, no Qt, no
reportlab). The screen chart (``ui/widgets/chart.py``, pyqtgraph) and the paper chart
(``reports/charts.py``, reportlab.graphics) both draw the same
:class:`~.picture.CoursePicture`, and the summary panel and the PDF tables word
their figures through :mod:`.texts`, so screen and paper cannot disagree.
"""

from __future__ import annotations

from .picture import (
    CoursePicture,
    EventMarker,
    FlagMarker,
    PhaseSpan,
    Position,
    ReferenceLine,
    Series,
    SeriesPoint,
    course_picture,
    phase_spans,
    reference_lines,
    safety_cell_flagged,
    series,
)
from .scales import is_ordinal, percent_meaningful

__all__ = [
    "CoursePicture",
    "EventMarker",
    "FlagMarker",
    "PhaseSpan",
    "Position",
    "ReferenceLine",
    "Series",
    "SeriesPoint",
    "course_picture",
    "is_ordinal",
    "percent_meaningful",
    "phase_spans",
    "reference_lines",
    "safety_cell_flagged",
    "series",
]
