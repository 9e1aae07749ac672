"""Instrument definitions as data.

One definition per instrument drives scoring, entry forms, chart lines, the PDF
table and export, so a new scale (QIDS-SR16, say) is a new entry in
``INSTRUMENTS`` plus tests, not edits across the app. Policy thresholds
(remission, proration limits, safety tiers) live in :mod:`.settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import ScoringError


class Rater(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


@dataclass(frozen=True, slots=True)
class Item:
    """One question: full text where licensing allows, always a short label."""

    number: int
    label: str
    text: str
    loinc: str | None = None


@dataclass(frozen=True, slots=True)
class Supplementary:
    """An unscored extra question (the PHQ-9 difficulty item): kept, never totalled."""

    label: str
    text: str
    answer_labels: dict[int, str]
    loinc: str | None = None
    answer_loinc: dict[int, str] | None = None

    @property
    def low(self) -> int:
        return min(self.answer_labels)

    @property
    def high(self) -> int:
        return max(self.answer_labels)


@dataclass(frozen=True, slots=True)
class Band:
    """An inclusive severity band, ``low <= total <= high``."""

    low: int
    high: int
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    name: str
    rater: Rater
    recall: str
    items: tuple[Item, ...]
    item_min: int
    item_max: int
    answer_labels: dict[int, str]
    bands: tuple[Band, ...]
    loinc_panel: str | None = None
    loinc_total: str | None = None
    not_assessed_value: int | None = None
    safety_item: int | None = None
    supplementary: Supplementary | None = None

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def total_min(self) -> int:
        lowest = self.item_min if self.not_assessed_value is None else self.item_min + 1
        return lowest * self.n_items

    @property
    def total_max(self) -> int:
        return self.item_max * self.n_items

    def band(self, total: int) -> Band:
        """The severity band holding ``total``; raises if the total is off the scale."""
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"{self.code} total {total} is outside {self.total_min}-{self.total_max}")

    def item(self, number: int) -> Item:
        return self.items[number - 1]


FREQUENCY_LABELS = {
    0: "Not at all",
    1: "Several days",
    2: "More than half the days",
    3: "Nearly every day",
}
LOINC_FREQUENCY_ANSWERS = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}

PHQ9 = Instrument(
    code="PHQ9",
    name="PHQ-9",
    rater=Rater.PATIENT,
    recall=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=(
        Item(1, "Interest", "Little interest or pleasure in doing things", "44250-9"),
        Item(2, "Mood", "Feeling down, depressed, or hopeless", "44255-8"),
        Item(3, "Sleep", "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item(4, "Energy", "Feeling tired or having little energy", "44254-1"),
        Item(5, "Appetite", "Poor appetite or overeating", "44251-7"),
        Item(
            6,
            "Self-worth",
            "Feeling bad about yourself - or that you are a failure or have let yourself "
            "or your family down",
            "44258-2",
        ),
        Item(
            7,
            "Concentration",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            8,
            "Psychomotor",
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite - being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "44253-3",
        ),
        Item(
            9,
            "Self-harm thoughts",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            "44260-8",
        ),
    ),
    item_min=0,
    item_max=3,
    answer_labels=FREQUENCY_LABELS,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    safety_item=9,
    supplementary=Supplementary(
        label="Difficulty (unscored)",
        text=(
            "If you checked off any problems, how difficult have these problems made it for "
            "you to do your work, take care of things at home, or get along with other people?"
        ),
        answer_labels={
            0: "Not difficult at all",
            1: "Somewhat difficult",
            2: "Very difficult",
            3: "Extremely difficult",
        },
        loinc="69722-7",
        answer_loinc={0: "LA6572-7", 1: "LA6573-5", 2: "LA6574-3", 3: "LA6575-0"},
    ),
)

GAD7 = Instrument(
    code="GAD7",
    name="GAD-7",
    rater=Rater.PATIENT,
    recall="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item(1, "Nervous", "Feeling nervous, anxious, or on edge", "69725-0"),
        Item(2, "Uncontrolled worry", "Not being able to stop or control worrying", "68509-9"),
        Item(3, "Excess worry", "Worrying too much about different things", "69733-4"),
        Item(4, "Trouble relaxing", "Trouble relaxing", "69734-2"),
        Item(5, "Restless", "Being so restless that it's hard to sit still", "69735-9"),
        Item(6, "Irritable", "Becoming easily annoyed or irritable", "69689-8"),
        Item(7, "Afraid", "Feeling afraid as if something awful might happen", "69736-7"),
    ),
    item_min=0,
    item_max=3,
    answer_labels=FREQUENCY_LABELS,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
)

# MADRS: the copyright holder refused permission to reproduce the scale, so only the
# short item labels and the 0-6 ratings appear; never the anchor descriptions.
_MADRS_LABELS = (
    "Apparent sadness",
    "Reported sadness",
    "Inner tension",
    "Reduced sleep",
    "Reduced appetite",
    "Concentration difficulties",
    "Lassitude",
    "Inability to feel",
    "Pessimistic thoughts",
    "Suicidal thoughts",
)
MADRS = Instrument(
    code="MADRS",
    name="MADRS",
    rater=Rater.CLINICIAN,
    recall="Clinician interview; 1 week (24 h version for rapid-acting treatments)",
    items=tuple(Item(n, label, label) for n, label in enumerate(_MADRS_LABELS, start=1)),
    item_min=0,
    item_max=6,
    answer_labels={n: str(n) for n in range(7)},
    bands=(
        Band(0, 6, "normal"),
        Band(7, 19, "mild"),
        Band(20, 34, "moderate"),
        Band(35, 60, "severe"),
    ),
    safety_item=10,
)

CGIS = Instrument(
    code="CGIS",
    name="CGI-S",
    rater=Rater.CLINICIAN,
    recall="Severity of illness now, compared with the clinician's experience",
    items=(
        Item(
            1,
            "Severity of illness",
            "Considering your total clinical experience, how mentally ill is the patient "
            "at this time?",
        ),
    ),
    item_min=0,
    item_max=7,
    not_assessed_value=0,
    answer_labels={
        0: "Not assessed",
        1: "Normal, not at all ill",
        2: "Borderline mentally ill",
        3: "Mildly ill",
        4: "Moderately ill",
        5: "Markedly ill",
        6: "Severely ill",
        7: "Among the most extremely ill",
    },
    bands=(
        Band(1, 1, "normal"),
        Band(2, 2, "borderline"),
        Band(3, 3, "mildly ill"),
        Band(4, 4, "moderately ill"),
        Band(5, 5, "markedly ill"),
        Band(6, 6, "severely ill"),
        Band(7, 7, "among the most extremely ill"),
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (PHQ9, GAD7, MADRS, CGIS)}
"""Every instrument by code, in the order forms and tables show them."""


def get_instrument(code: str) -> Instrument:
    """Look an instrument up by code; the error lists the codes that exist."""
    try:
        return INSTRUMENTS[code]
    except KeyError:
        allowed = ", ".join(INSTRUMENTS)
        raise ScoringError(
            f"Instrument {code!r} is unknown; allowed: {allowed}", field="instrument"
        ) from None
