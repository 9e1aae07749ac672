"""Instrument definitions as data.

One definition per instrument drives scoring, entry forms, chart lines, the PDF
table, the patient list and export, so a new scale is one :func:`register` call
plus tests, not edits across the app. Everything that varies by instrument is
here: default thresholds, the safety rule, scale type, rater, colour, its role
in the list and the headline, answer lists with their codes and its licence.
:mod:`.settings` keeps only per-clinic and per-course overrides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import ScoringError


class Rater(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


class Scale(StrEnum):
    """Ratio totals have a true zero, so percent change and response mean something;
    ordinal ones (CGI-S, 1-7) get neither."""

    RATIO = "ratio"
    ORDINAL = "ordinal"


@dataclass(frozen=True, slots=True)
class InstrumentThresholds:
    """Per-instrument thresholds and policy values (the definition holds the defaults).

    Attributes:
        max_missing: items that may be missing and still be prorated.
        remission_max: a total at or below this is remission (point in time).
        caseness_min: a total at or above this is a "case" (NHS Talking Therapies).
        reliable_change: a change at least this large is reliable; None = no standard value.
        mcid: minimal clinically important difference in points; None = not established.
        safety_item_min: the safety item's value that raises a flag; None = no safety item.
        safety_urgent_min: from this value review is urgent (tier 2); None = every
            endorsement is urgent (MADRS item 10).
    """

    max_missing: int = 0
    remission_max: int | None = None
    caseness_min: int | None = None
    reliable_change: int | None = None
    mcid: int | None = None
    safety_item_min: int | None = None
    safety_urgent_min: int | None = None


@dataclass(frozen=True, slots=True)
class SafetyRule:
    """Which item raises a safety flag and how; the thresholds are in the settings.

    Attributes:
        item: the item number (1-based).
        flags_missing: a missing answer flags too ("unanswered"; never imputed).
        history: print the item's answers over time in the PDF, not only the flags.
        fixed_minimum: the scale's own flagging value, which no setting may raise or
            switch off (PHQ-9 item 9: any endorsement); None = a policy value in the
            settings.
    """

    item: int
    flags_missing: bool = False
    history: bool = True
    fixed_minimum: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One question: full text where licensing allows, always a short label.

    ``answer_loinc`` is the item's own LOINC answer list (value -> LA code) when it
    differs from the instrument's: answer lists are per item in LOINC (GAD-7 item 2,
    68509-9, codes its "2" LA18938-3 "More days than not").
    """

    number: int
    label: str
    text: str
    loinc: str | None = None
    answer_loinc: dict[int, str] | None = None


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
    """One instrument and every per-instrument policy; the rest of the app derives from it.

    Attributes:
        thresholds: default thresholds; a clinic or a course may override them.
        safety: the safety-item rule, or None.
        scale: ratio (percent change meaningful) or ordinal.
        colour: the chart and legend colour (hex).
        list_column: shown as a column of the patient list.
        headline_rank: the headline measure is the lowest-ranked one rated (None = never).
        early_improvement: judged for early improvement (a depression measure).
        auto_next: the entry dialog moves to it after a save (routine battery).
        routine: part of the clinic's routine battery: the PDF explains its thresholds
            even in a course that does not use it.
        full_text: item texts may be shown (licence); else short labels only.
        answer_legend: the entry form's scale legend when labels are not to be listed.
        bands_source: where the severity bands come from (printed in the PDF).
        remission_choices: published remission definitions a course may pick from
            (label, maximum total); without them a course sets a number.
        licence: the terms of use, as checked.
    """

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
    supplementary: Supplementary | None = None
    thresholds: InstrumentThresholds = field(default_factory=InstrumentThresholds)
    safety: SafetyRule | None = None
    scale: Scale = Scale.RATIO
    colour: str = "#5f6368"
    list_column: bool = False
    headline_rank: int | None = None
    early_improvement: bool = False
    auto_next: bool = True
    routine: bool = False
    full_text: bool = True
    answer_legend: str | None = None
    bands_source: str = ""
    answer_loinc: dict[int, str] | None = None
    remission_choices: tuple[tuple[str, int], ...] = ()
    licence: str = ""

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def safety_item(self) -> int | None:
        return self.safety.item if self.safety else None

    @property
    def ratio_scale(self) -> bool:
        """Percent change and response categories apply (not to ordinal scales)."""
        return self.scale == Scale.RATIO

    def item_answer_loinc(self, number: int) -> dict[int, str]:
        """The LOINC answer codes of one item: its own list, else the instrument's."""
        own = self.item(number).answer_loinc
        return own if own is not None else (self.answer_loinc or {})

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
LOINC_GAD7_WORRY_ANSWERS = {0: "LA6568-5", 1: "LA6569-3", 2: "LA18938-3", 3: "LA6571-9"}
"""LOINC's own list for GAD-7 item 2 (68509-9): its "2" is LA18938-3 "More days than not"."""
LOINC_ANSWER_TEXT: dict[str, str] = {
    "LA6568-5": "Not at all",
    "LA6569-3": "Several days",
    "LA6570-1": "More than half the days",
    "LA6571-9": "Nearly every day",
    "LA18938-3": "More days than not",
    "LA6572-7": "Not difficult at all",
    "LA6573-5": "Somewhat difficult",
    "LA6575-0": "Very difficult",
    "LA6574-3": "Extremely difficult",
}
"""LOINC's display text of every answer code used above (exports name the code's own text,
which for 68509-9 differs from the printed form's "More than half the days")."""
PFIZER_LICENCE = (
    "Pfizer Inc: no permission required to reproduce, translate, display or distribute "
    "(developed by Drs Spitzer, Williams, Kroenke and colleagues, educational grant from Pfizer)"
)

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
    thresholds=InstrumentThresholds(
        max_missing=2,
        remission_max=4,
        caseness_min=10,
        reliable_change=6,
        mcid=5,
        safety_item_min=1,
        safety_urgent_min=2,
    ),
    safety=SafetyRule(item=9, flags_missing=True, fixed_minimum=1),
    colour="#1f5fa8",
    list_column=True,
    headline_rank=2,
    early_improvement=True,
    routine=True,
    bands_source="Kroenke 2001",
    answer_loinc=LOINC_FREQUENCY_ANSWERS,
    licence=PFIZER_LICENCE,
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
        # LOINC LL359-1: "Very difficult" is LA6575-0 and "Extremely difficult" LA6574-3
        # (the codes do not follow the order of the answers)
        answer_loinc={0: "LA6572-7", 1: "LA6573-5", 2: "LA6575-0", 3: "LA6574-3"},
    ),
)

GAD7 = Instrument(
    code="GAD7",
    name="GAD-7",
    rater=Rater.PATIENT,
    recall="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item(1, "Nervous", "Feeling nervous, anxious, or on edge", "69725-0"),
        Item(
            2,
            "Uncontrolled worry",
            "Not being able to stop or control worrying",
            "68509-9",
            LOINC_GAD7_WORRY_ANSWERS,
        ),
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
    thresholds=InstrumentThresholds(
        max_missing=1, remission_max=4, caseness_min=8, reliable_change=4, mcid=4
    ),
    colour="#2e8540",
    routine=True,
    bands_source="Spitzer 2006",
    answer_loinc=LOINC_FREQUENCY_ANSWERS,
    licence=PFIZER_LICENCE,
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
    thresholds=InstrumentThresholds(max_missing=2, remission_max=10, safety_item_min=4),
    safety=SafetyRule(item=10, flags_missing=False, history=False),
    colour="#7b3fa0",
    list_column=True,
    headline_rank=1,
    early_improvement=True,
    routine=True,
    full_text=False,
    answer_legend="Rate each item 0-6 (0 = none, 6 = most severe). Short labels only.",
    bands_source="Snaith",
    remission_choices=(
        ("MADRS <= 10 (IV ketamine study, 2026)", 10),
        ("MADRS <= 12 (esketamine trials)", 12),
        ("MADRS < 10", 9),
    ),
    licence=(
        "Copyright holder refused permission to reproduce the scale: short item labels "
        "and 0-6 ratings only, never the anchor descriptions"
    ),
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
    scale=Scale.ORDINAL,
    colour="#a05a00",
    routine=True,
    licence="Guy 1976, ECDEU Assessment Manual (US DHEW publication): public domain",
)

PHQ8 = Instrument(
    code="PHQ8",
    name="PHQ-8",
    rater=Rater.PATIENT,
    recall=PHQ9.recall,
    items=PHQ9.items[:8],
    item_min=0,
    item_max=3,
    answer_labels=FREQUENCY_LABELS,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 24, "severe"),
    ),
    # Panel and total codes left None: not verified (no invented LOINC codes). The
    # items are the PHQ-9's questions 1-8 with their item codes.
    thresholds=InstrumentThresholds(max_missing=2, remission_max=4, caseness_min=10),
    colour="#00838f",
    headline_rank=3,
    early_improvement=True,
    auto_next=False,
    bands_source="Kroenke 2009",
    answer_loinc=LOINC_FREQUENCY_ANSWERS,
    licence=PFIZER_LICENCE + "; PHQ-9 without item 9, so it has no safety item",
)
"""The PHQ-8: the PHQ-9 without item 9 (surveys and settings without same-day review)."""

CGII = Instrument(
    code="CGII",
    name="CGI-I",
    rater=Rater.CLINICIAN,
    recall="Improvement since the course began, compared with the patient's condition then",
    items=(
        Item(
            1,
            "Global improvement",
            "Compared to the patient's condition at admission to the project, this "
            "patient's condition is:",
        ),
    ),
    item_min=0,
    item_max=7,
    not_assessed_value=0,
    answer_labels={
        0: "Not assessed",
        1: "Very much improved",
        2: "Much improved",
        3: "Minimally improved",
        4: "No change",
        5: "Minimally worse",
        6: "Much worse",
        7: "Very much worse",
    },
    bands=(
        Band(1, 1, "very much improved"),
        Band(2, 2, "much improved"),
        Band(3, 3, "minimally improved"),
        Band(4, 4, "no change"),
        Band(5, 5, "minimally worse"),
        Band(6, 6, "much worse"),
        Band(7, 7, "very much worse"),
    ),
    scale=Scale.ORDINAL,
    colour="#6a4c93",
    auto_next=False,
    bands_source="Guy 1976",
    licence="Guy 1976, ECDEU Assessment Manual (US DHEW publication): public domain",
)
"""The CGI-I: the clinician's global rating of change, used beside the CGI-S in
ECT, TMS and ketamine trials (much or very much improved is the usual response)."""

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (PHQ9, GAD7, MADRS, CGIS, CGII, PHQ8)}
"""Every instrument by code, in the order forms and tables show them."""


def register(instrument: Instrument) -> None:
    """Add an instrument; it then flows through scoring, forms, charts, the PDF and lists.

    Raises:
        ValueError: the code is taken, or the definition contradicts itself.
    """
    if instrument.code in INSTRUMENTS:
        raise ValueError(f"Instrument code {instrument.code!r} is already registered")
    _check_definition(instrument)
    INSTRUMENTS[instrument.code] = instrument


def unregister(code: str) -> None:
    """Remove a registered instrument (tests; a clinic dropping a local scale)."""
    INSTRUMENTS.pop(code, None)


@contextmanager
def registered(instrument: Instrument) -> Iterator[Instrument]:
    """Register for the length of a ``with`` block (tests define instruments this way)."""
    register(instrument)
    try:
        yield instrument
    finally:
        unregister(instrument.code)


def _check_definition(inst: Instrument) -> None:
    """Refuse definitions the rest of the app could not use."""
    if not inst.items or inst.item_min > inst.item_max:
        raise ValueError(f"{inst.code}: needs items and item_min <= item_max")
    if inst.safety and not 1 <= inst.safety.item <= inst.n_items:
        raise ValueError(f"{inst.code}: safety item {inst.safety.item} is not an item")
    if inst.safety and inst.thresholds.safety_item_min is None:
        raise ValueError(f"{inst.code}: a safety rule needs thresholds.safety_item_min")


def remission_settable() -> tuple[Instrument, ...]:
    """Instruments whose remission cut-off a course chooses when it starts: the routine
    ones that have one, published choices first (MADRS), then PHQ-9, GAD-7."""
    found = [
        i for i in INSTRUMENTS.values() if i.routine and i.thresholds.remission_max is not None
    ]
    return tuple(sorted(found, key=lambda i: (not i.remission_choices, i.headline_rank is None)))


def list_instruments() -> tuple[Instrument, ...]:
    """The patient list's score columns, in registry order."""
    return tuple(i for i in INSTRUMENTS.values() if i.list_column)


def headline_instruments() -> tuple[Instrument, ...]:
    """Candidates for the headline measure, first choice first (MADRS, then PHQ-9)."""
    ranked = [i for i in INSTRUMENTS.values() if i.headline_rank is not None]
    return tuple(sorted(ranked, key=lambda i: i.headline_rank or 0))


def get_instrument(code: str) -> Instrument:
    """Look an instrument up by code; the error lists the codes that exist."""
    try:
        return INSTRUMENTS[code]
    except KeyError:
        allowed = ", ".join(INSTRUMENTS)
        raise ScoringError(
            f"Instrument {code!r} is unknown; allowed: {allowed}", field="instrument"
        ) from None
