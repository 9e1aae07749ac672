"""Clinic outcome definitions (docs/outcomes.md): every choice in one settings object.

The clinic's copy lives in :class:`~.settings.ClinicSettings` (``outcomes``), so a
clinic can change a window and the PDF and JSON say which definitions were used.
Response and remission thresholds are not here: each course keeps its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

DEFINITIONS_VERSION = 1
"""Bumped whenever a definition below changes meaning (written into every JSON)."""

OUTCOME_INSTRUMENTS = ("PHQ9", "GAD7", "MADRS")
"""Instruments the clinic analyses report (ratio scales with response and remission)."""


@dataclass(frozen=True, slots=True)
class OutcomeDefinitions:
    """Windows, minimum sizes and model choices of the clinic outcome analyses.

    Attributes:
        week6_target_day: the day after course start the 6-week value is closest to.
        week6_first_day: first day of its window (inclusive, calendar days).
        week6_last_day: last day of its window (inclusive).
        cm_window_days: a C/M session at most this many days after the last induction one.
        hospitalization_days: follow-up for the hospitalization outcome.
        reference_modality: reference group of the adjusted 6-week comparison.
        min_group: fewest courses a rate, comparison or model needs to be reported.
        min_events: fewest outcome events the relative-risk model needs.
        trajectory_max_classes: BIC chooses the number of classes among 1 to this.
        trajectory_degree: polynomial degree of each class's mean curve.
        trajectory_starts: random starts of the EM per number of classes.
        trajectory_max_visit: last visit index modelled (0 = baseline).
        trajectory_seed: seed of the random starts (the same data gives the same groups).
        trajectory_min_appa: classes below this average posterior probability are flagged.
        trajectory_min_share: classes below this share of patients are flagged.
    """

    week6_target_day: int = 42
    week6_first_day: int = 28
    week6_last_day: int = 56
    cm_window_days: int = 90
    hospitalization_days: int = 365
    reference_modality: str = "iv_ketamine"
    min_group: int = 10
    min_events: int = 5
    trajectory_max_classes: int = 6
    trajectory_degree: int = 2
    trajectory_starts: int = 5
    trajectory_max_visit: int = 8
    trajectory_seed: int = 2026
    trajectory_min_appa: float = 0.7
    trajectory_min_share: float = 0.05

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutcomeDefinitions:
        """Stored values over the defaults; unknown keys (a newer app's) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def closest_day(days: Sequence[int], definitions: OutcomeDefinitions) -> int | None:
    """Index of the day closest to the target inside the window; a tie goes to the earlier.

    The reference the SQL loader is tested against (services/outcomes_sql.py).
    """
    inside = [
        (abs(d - definitions.week6_target_day), d, i)
        for i, d in enumerate(days)
        if definitions.week6_first_day <= d <= definitions.week6_last_day
    ]
    return min(inside)[2] if inside else None
