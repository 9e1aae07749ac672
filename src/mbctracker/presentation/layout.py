"""Placing labels so they never print on top of each other (screen and paper alike)."""

from __future__ import annotations

from collections.abc import Sequence


def label_lanes(spans: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """A row (0 = first) for each label ``(start, end)``, in the order given.

    Labels are placed left to right, each in the first row whose last label ends
    ``gap`` before it starts, so two events on one day (or close together) are
    written one under the other instead of over each other.
    """
    lanes = [0] * len(spans)
    ends: list[float] = []
    for index in sorted(range(len(spans)), key=lambda i: (spans[i][0], i)):
        start, end = spans[index]
        lane = next((k for k, last in enumerate(ends) if last + gap <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes[index] = lane
    return lanes
