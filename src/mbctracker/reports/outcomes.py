"""The clinic outcomes PDF: the analyses, their definitions and the data's date range.

Drawn from the JSON-ready result of ``services.outcomes`` alone (never from the
database), so paper and JSON cannot disagree. No MRN or name is printed: the PDF is
for payers, quality programmes and staff meetings.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, SimpleDocTemplate, Spacer

from ..domain.course import Modality
from ..domain.settings import ClinicSettings
from .fonts import SANS, register_fonts
from .outcome_charts import curves, rate_bars
from .output import write_atomic
from .styles import grid_table, para
from .summary import MARGIN, page_size

INSTRUMENT_LABELS = {"PHQ9": "PHQ-9", "GAD7": "GAD-7", "MADRS": "MADRS"}


def label(modality: str) -> str:
    """A modality code as people say it (IV ketamine, TMS...)."""
    try:
        return Modality(modality).label
    except ValueError:
        return modality


def pct(n: int, d: int) -> str:
    return f"{n} ({n / d:.0%})" if d else str(n)


def render_outcomes(result: dict[str, Any], settings: ClinicSettings) -> bytes:
    """The PDF as bytes (reportlab invariant: the same result gives the same bytes)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size(settings),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Clinic outcomes",
        author=settings.clinic_name,
        invariant=1,
    )
    footer = f"{settings.clinic_name} · clinic outcomes · generated {result['generated']}"

    def on_page(canvas: Any, document: Any) -> None:
        canvas.setFont(SANS, 7)
        canvas.drawString(MARGIN, MARGIN / 2, f"{footer} · page {document.page}")

    doc.build(story(result, settings, doc.width), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def write_outcomes_pdf(
    result: dict[str, Any], out: Path, settings: ClinicSettings, *, overwrite: bool = True
) -> Path:
    """Render fully in memory, then write atomically (never half a PDF)."""
    return write_atomic(out, render_outcomes(result, settings), overwrite=overwrite)


def story(result: dict[str, Any], settings: ClinicSettings, width: float) -> list[Flowable]:
    parts: list[Flowable] = [para(f"Clinic outcomes: {settings.clinic_name}", "title")]
    parts += scope_lines(result)
    parts += rates_section(result, width)
    parts += infusions_section(result, width)
    parts += week6_section(result, width)
    parts += cm_section(result, width)
    parts += trajectory_section(result, width)
    parts += retention_section(result, width)
    if "mixed_model" in result:
        parts += mixed_section(result["mixed_model"], width)
    parts += definitions_section(result)
    return parts


def scope_lines(result: dict[str, Any]) -> list[Flowable]:
    scope = result["scope"]
    f = scope["filters"]
    chosen = ", ".join(f"{k} {v}" for k, v in f.items() if v) or "none (every course)"
    return [
        para(
            f"Data: {scope['record_first_date'] or '-'} to {scope['record_last_date'] or '-'}"
            f" · {scope['courses']} courses of {scope['patients']} patients · filters: "
            f"{chosen} · definitions version {result['definitions_version']}",
            "body",
        ),
        Spacer(1, 4),
    ]


def not_run(section: Any) -> list[Flowable]:
    """The plain reason an analysis was not run (never a number from nothing)."""
    return [para(f"Not run: {section['not_run']}", "body")]


def h2(text: str) -> Flowable:
    """A section heading that never sits alone at the foot of a page."""
    return KeepTogether([CondPageBreak(90), para(text, "h2")])


def rates_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2("1. Response, partial response and remission at the end of induction, by modality")
    ]
    data = result["by_modality"]
    if "not_run" in data:
        return parts + not_run(data)
    ci = result.get("intervals", {})
    rows: list[list[Any]] = []
    for modality, by_code in data.items():
        for code, c in by_code.items():
            n = c["evaluable"]
            cells = [
                _rate(c[k], n, ci.get(modality, {}).get(code, {}).get(k))
                for k in ("response", "partial", "remission")
            ]
            rows.append([label(modality), INSTRUMENT_LABELS.get(code, code), str(n), *cells])
    parts.append(
        grid_table(
            [
                "Modality",
                "Instrument",
                "Evaluable",
                "Response (95% CI)",
                "Partial",
                "Remission (95% CI)",
            ],
            rows,
            width,
            (1.4, 0.9, 0.8, 1.6, 1.6, 1.6),
        )
    )
    for code in ("PHQ9", "MADRS"):
        bars = [(label(m), *ci[m][code]["response"]) for m in ci if code in ci[m]]
        if bars:
            parts += [
                Spacer(1, 6),
                rate_bars(
                    bars, width, f"{INSTRUMENT_LABELS[code]} response rate with 95% Wilson interval"
                ),
            ]
    return parts


def _rate(count: int, n: int, interval: Sequence[float] | None) -> str:
    if not n:
        return "-"
    if not interval:
        return pct(count, n)
    return f"{pct(count, n)} [{interval[1]:.0%}-{interval[2]:.0%}]"


def infusions_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [h2("2. IV ketamine: 4 versus 6 induction infusions")]
    data = result["ketamine_infusions"]
    if "not_run" in data:
        return parts + not_run(data)
    comparison = result.get("ketamine_comparison", {})
    rows = []
    for code in INSTRUMENT_LABELS:
        four, six = data["4"][code], data["6"][code]
        comp = comparison.get(code, {})
        for outcome in ("response", "remission"):
            if "not_run" in comp:
                diff = "not run"
            else:
                c = comp[outcome]
                diff = (
                    f"{c['difference']:+.0%} [{c['ci_low']:+.0%} to {c['ci_high']:+.0%}], "
                    f"p = {c['fisher_p']:.3f}"
                )
            rows.append(
                [
                    INSTRUMENT_LABELS[code],
                    outcome,
                    pct(four[outcome], four["evaluable"]),
                    pct(six[outcome], six["evaluable"]),
                    diff,
                ]
            )
    parts.append(
        grid_table(
            ["Instrument", "Outcome", "4 infusions", "6 infusions", "6 minus 4 (95% CI), Fisher p"],
            rows,
            width,
            (1, 1, 1.2, 1.2, 2.6),
        )
    )
    reasons = sorted({c["not_run"] for c in comparison.values() if "not_run" in c})
    parts += [para(f"Comparison not run: {r}", "small") for r in reasons]
    return parts


def week6_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2(
            "3. PHQ-9 change at 6 weeks (baseline minus the value "
            "closest to day 42; positive = better)"
        )
    ]
    data = result["week6_phq9"]
    if "not_run" in data:
        return parts + not_run(data)
    rows = [[label(m), str(v["n"]), f"{v['mean_change']:.1f}"] for m, v in data.items()]
    parts.append(grid_table(["Modality", "n", "Mean change"], rows, width, (2, 1, 1)))
    adjusted = result["week6_adjusted"]
    if "not_run" in adjusted:
        return [*parts, Spacer(1, 4), *not_run(adjusted)]
    ref = adjusted["reference"]
    rows = [
        [label(m), f"{v['estimate']:+.2f}", f"{v['ci_low']:+.2f} to {v['ci_high']:+.2f}"]
        for m, v in adjusted.items()
        if m != "reference"
    ]
    return [
        *parts,
        Spacer(1, 4),
        para(
            f"Adjusted difference from {label(ref)} (OLS, HC3 robust errors; age, sex, baseline "
            "PHQ-9 and each comorbidity):",
            "body",
        ),
        grid_table(["Modality", "Difference (points)", "95% CI"], rows, width, (2, 1, 1.4)),
    ]


def cm_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2(
            "4. IV ketamine: continuation/maintenance (C/M) and "
            "psychiatric hospitalization within 12 months"
        )
    ]
    data = result["cm_hospitalization"]
    rows = [
        [name, str(data[key]["n"]), pct(data[key]["events"], data[key]["n"])]
        for key, name in (("cm", "C/M"), ("no_cm", "No C/M"))
    ]
    parts.append(grid_table(["Group", "Eligible courses", "Hospitalized"], rows, width, (2, 1, 1)))
    if "not_run" in data:
        return parts + not_run(data)
    return [
        *parts,
        para(
            f"Crude relative risk {data['rr_crude']:.2f}; adjusted relative risk "
            f"{data['rr_adjusted']:.2f} (95% CI {data['ci_low']:.2f} to {data['ci_high']:.2f}), "
            "modified Poisson regression with robust (HC0) errors (Zou 2004).",
            "body",
        ),
    ]


def trajectory_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2(
            "5. Trajectory groups, IV ketamine (latent class growth "
            "analysis; visit 0 = baseline, n = before infusion n)"
        )
    ]
    for code, data in result["trajectories"].items():
        name = INSTRUMENTS_MAX.get(code, (code, 60))[0]
        if "not_run" in data:
            parts.append(para(f"{name}: not run: {data['not_run']}", "body"))
            continue
        series = [
            (f"class {i + 1} ({c['share']:.0%})", list(enumerate(c["mean"])))
            for i, c in enumerate(data["classes"])
        ]
        top = INSTRUMENTS_MAX[code][1]
        parts.append(
            curves(series, width, f"{name}: {data['k']} classes (lowest BIC)", "visit", top)
        )
        rows = [
            [
                str(i + 1),
                f"{c['share']:.0%}",
                f"{c['appa']:.2f}",
                " ".join(f"{v:.0f}" for v in c["mean"]),
                ", ".join(c["flags"]) or "-",
            ]
            for i, c in enumerate(data["classes"])
        ]
        parts.append(
            grid_table(
                ["Class", "Share", "APPA", "Mean by visit", "Flags"],
                rows,
                width,
                (0.5, 0.6, 0.6, 3, 1.6),
            )
        )
        bic = ", ".join(f"{k}: {v:.0f}" for k, v in data["bic"].items())
        parts.append(para(f"BIC by number of classes: {bic}", "small"))
    return parts


INSTRUMENTS_MAX = {"PHQ9": ("PHQ-9", 27), "GAD7": ("GAD-7", 21), "MADRS": ("MADRS", 60)}


def retention_section(result: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2("7. Retention: time in treatment (Kaplan-Meier) and dropout reasons")
    ]
    if "not_run" in result["retention"]:
        return parts + not_run(result["retention"])
    curves_in = [
        (label(m), [(t, s) for t, s in v["curve"]])
        for m, v in result["retention"].items()
        if "curve" in v
    ]
    if curves_in:
        parts.append(
            curves(
                curves_in,
                width,
                "Share still in treatment",
                "days from start",
                1.0,
                steps=True,
                y_ticks=(0, 0.25, 0.5, 0.75, 1.0),
                tick_text="{:.0%}",
            )
        )
    rows = []
    for m, v in result["retention"].items():
        if "not_run" in v:
            rows.append([label(m), "-", "-", v["not_run"]])
        else:
            median = "not reached" if v["median_days"] is None else f"{v['median_days']:.0f}"
            rows.append([label(m), str(v["n"]), str(v["dropouts"]), median])
    if rows:
        parts.append(
            grid_table(
                ["Modality", "Courses", "Dropouts", "Median days"], rows, width, (1.5, 1, 1, 2)
            )
        )
    drops = result["dropouts"]
    total = sum(drops.values())
    if total:
        parts.append(Spacer(1, 4))
        parts.append(
            grid_table(
                ["Dropout reason", "Count (share)"],
                [[r.replace("_", " "), pct(n, total)] for r, n in drops.items()],
                width,
                (2, 1),
            )
        )
    return parts


def mixed_section(data: dict[str, Any], width: float) -> list[Flowable]:
    parts: list[Flowable] = [
        h2("6. Linear mixed-effects growth models (random intercept and slope per patient)")
    ]
    rows = []
    for code, v in data.items():
        if "not_run" in v:
            rows.append([INSTRUMENT_LABELS.get(code, code), "-", "-", v["not_run"]])
            continue
        if not v["converged"]:
            seen = f"{v['n_patients']} patients, {v['n_rows']} visits"
            rows.append(
                [
                    INSTRUMENT_LABELS.get(code, code),
                    "-",
                    "did not converge: estimates not shown",
                    seen,
                ]
            )
            continue
        s, i = v["slope_per_visit"], v["intercept"]
        rows.append(
            [
                INSTRUMENT_LABELS.get(code, code),
                f"{i['estimate']:.1f}",
                f"{s['estimate']:+.2f} [{s['ci_low']:+.2f}, {s['ci_high']:+.2f}]",
                f"{v['n_patients']} patients, {v['n_rows']} visits",
            ]
        )
    return [
        *parts,
        grid_table(
            ["Instrument", "Intercept", "Slope per visit (95% CI)", "Data"],
            rows,
            width,
            (1, 1, 2, 2),
        ),
    ]


def definitions_section(result: dict[str, Any]) -> list[Flowable]:
    d = result["scope"]["definitions"]
    lines = [
        "Baseline: the assessment marked baseline, else the first valid one at or before the "
        "first session. Response: at least 50% improvement from baseline; partial: at least "
        "25%; remission: PHQ-9 and GAD-7 4 or less, MADRS 10 or less, with the thresholds "
        "stored on each course. Baseline 0 is not evaluable.",
        "End-of-induction value: the latest valid non-baseline assessment dated on or before "
        "the date of the last induction-phase session. A course with a baseline and such a "
        "value is evaluable for that instrument.",
        "Induction infusions: the number of an IV ketamine course's sessions in the "
        "induction phase.",
        f"6-week PHQ-9 change: baseline minus the valid PHQ-9 closest to day "
        f"{d['week6_target_day']} after the course start within days {d['week6_first_day']} "
        f"to {d['week6_last_day']} (calendar days, both ends included; a tie goes to the "
        "earlier).",
        f"C/M: a continuation or maintenance session within {d['cm_window_days']} days after "
        f"the last induction session. Outcome: a psychiatric hospitalization of the patient "
        f"(on any course) from that day to {d['hospitalization_days']} days after it. Courses "
        f"whose last induction session is less than {d['hospitalization_days']} days before the "
        "record's last date are not eligible.",
        f"Trajectory groups: a mixture of degree-{d['trajectory_degree']} curves in the visit "
        f"index with normal errors (EM, {d['trajectory_starts']} starts, seed "
        f"{d['trajectory_seed']}); classes 1 to {d['trajectory_max_classes']} compared by BIC "
        f"(n = patients); classes with an average posterior probability under "
        f"{d['trajectory_min_appa']} or under {d['trajectory_min_share']:.0%} of patients are "
        "flagged.",
        "Retention: days from course start to the dropout (a dropout event or a discontinued "
        "course); completed courses are censored at their end, active ones at the record's "
        "last date.",
        f"An analysis needs at least {d['min_group']} courses per group "
        f"({d['min_events']} events for the relative risk); otherwise it says why it was not "
        "run. Deleted records are never read.",
    ]
    return [h2("Definitions"), *(para(line, "small") for line in lines)]
