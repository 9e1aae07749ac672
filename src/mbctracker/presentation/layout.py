"""Placing labels so they never print on top of each other (screen and paper alike)."""

from __future__ import annotations

from collections.abc import Sequence


def label_lanes(
    spans: Sequence[tuple[float, float]],
    gap: float = 0.0,
    taken: Sequence[tuple[float, float]] = (),
) -> list[int]:
    """A row (0 = first) for each label ``(start, end)``, in the order given.

    Labels are placed left to right, each in the first row where it keeps ``gap``
    from every label already there, so two events on one day (or close together)
    are written one under the other instead of over each other. ``taken`` spans
    are already written in row 0 (a phase's name, say) and are kept clear of.
    """
    rows: list[list[tuple[float, float]]] = [list(taken)]
    lanes = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: (spans[i][0], i)):
        span = spans[index]
        lane = next((k for k, row in enumerate(rows) if _clear(span, row, gap)), len(rows))
        if lane == len(rows):
            rows.append([])
        rows[lane].append(span)
        lanes[index] = lane
    return lanes


def _clear(span: tuple[float, float], row: Sequence[tuple[float, float]], gap: float) -> bool:
    start, end = span
    return all(end + gap <= left or right + gap <= start for left, right in row)
