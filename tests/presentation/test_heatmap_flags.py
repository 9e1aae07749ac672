"""The item heatmap marks a safety answer red exactly when it raised a flag.

It used to mark any answer above 0 on the safety item, so a MADRS item 10 of 1
showed red although the flag rule (and the PDF's safety table) starts at 4.
"""

from __future__ import annotations

from courses import build
from PySide6.QtCore import Qt

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.presentation import safety_cell_flagged
from mbctracker.ui import style
from mbctracker.ui.widgets.heatmap import HeatmapModel


def test_red_cells_follow_the_flag_rule_not_any_answer(qapp) -> None:
    timeline = build(
        [{"MADRS": 30, "PHQ9": 15}, {"MADRS": 24, "PHQ9": 12}, {"MADRS": 20, "PHQ9": 9}],
        safety={(1, "MADRS"): 1, (2, "MADRS"): 4, (1, "PHQ9"): 1},
    )
    model = HeatmapModel()
    model.set_data(INSTRUMENTS["MADRS"], timeline.of("MADRS"))
    flag_red = style.flag_cell_colours(model.dark)[0]  # every cell names its number's colour
    red = [
        model.data(model.index(9, col), Qt.ItemDataRole.ForegroundRole).color() == flag_red
        for col in range(3)
    ]
    # item 10 answers 0, 1, 4: only 4 reaches the MADRS rule (>= 4).
    assert [model.data(model.index(9, c)) for c in range(3)] == ["0", "1", "4"]
    assert red == [False, False, True]
    brush = model.data(model.index(9, 2), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == style.FLAG_RED.lower()
    # PHQ-9 item 9 = 1 is a flag; other items never are.
    phq = timeline.of("PHQ9")[1]
    assert safety_cell_flagged(phq, 9) and not safety_cell_flagged(phq, 1)
