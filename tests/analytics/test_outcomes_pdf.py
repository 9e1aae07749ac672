"""The clinic outcomes PDF: every section, the definitions and the date range, no MRNs;
it renders with poppler; a not-run analysis says why on paper too."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from mbctracker.domain.settings import ClinicSettings
from mbctracker.reports.outcomes import render_outcomes
from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.storage import Database

from .clinic_generator import generate
from .small_clinic import build

PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def planted_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from mbctracker.storage import open_database

    db = open_database(tmp_path_factory.mktemp("pdf") / "c.sqlite3", actor="test")
    try:
        generate(db, patients=200, tms=60)
        result = run_clinic_outcomes(db, OutcomeFilters(), mixed_model=True)
    finally:
        db.dispose()
    return render_outcomes(result, ClinicSettings(clinic_name="Synthetic Clinic"))


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_has_every_section_definitions_and_date_range(planted_pdf: bytes) -> None:
    text = text_of(planted_pdf)
    for heading in (
        "1. Response",
        "2. IV ketamine: 4 versus 6",
        "3. PHQ-9 change at 6 weeks",
        "4. IV ketamine: continuation",
        "5. Trajectory groups",
        "6. Linear mixed",
        "7. Retention",
        "Definitions",
    ):
        assert heading in text
    assert re.search(r"Data: 2024-01-\d\d to 2025-09-01 · 261 courses of 261 patients", text)
    assert "closest to day 42" in text and "Zou 2004" in text
    assert "Synthetic Clinic" in text
    assert "SYN-" not in text  # no MRN on a clinic report


def test_pdf_is_deterministic(db: Database) -> None:
    build(db)
    result = run_clinic_outcomes(db, OutcomeFilters())
    result["generated"] = "2026-11-22T04:00:00+00:00"
    settings = ClinicSettings()
    assert render_outcomes(result, settings) == render_outcomes(result, settings)


def test_pdf_says_why_an_analysis_was_not_run(db: Database) -> None:
    build(db)
    text = text_of(render_outcomes(run_clinic_outcomes(db, OutcomeFilters()), ClinicSettings()))
    assert "Not run: fewer than 10 eligible IV ketamine courses" in " ".join(text.split())


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_pages_render(planted_pdf: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "outcomes.pdf"
    pdf.write_bytes(planted_pdf)
    assert PDFTOPPM is not None
    done = subprocess.run(
        [PDFTOPPM, "-r", "40", "-png", str(pdf), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr
    pages = sorted(tmp_path.glob("p*.png"))
    assert len(pages) >= 3 and all(p.stat().st_size > 5_000 for p in pages)


def test_empty_record_gives_a_pdf_of_reasons(db: Database) -> None:
    result: dict[str, Any] = run_clinic_outcomes(db, OutcomeFilters())
    assert result["by_modality"] == {"not_run": "no courses in scope"}
    text = " ".join(text_of(render_outcomes(result, ClinicSettings())).split())
    assert "Not run: no courses in scope" in text


def test_a_mixed_model_that_did_not_converge_shows_no_estimates(db: Database) -> None:
    """The last iterate of a failed optimisation is not a result: the PDF says so."""
    build(db)
    result = run_clinic_outcomes(db, OutcomeFilters())
    slope = {"estimate": -9.87, "ci_low": -9.9, "ci_high": -9.8}
    result["mixed_model"] = {
        "MADRS": {
            "n_patients": 40,
            "n_rows": 240,
            "intercept": {"estimate": 98.7, "ci_low": 98.0, "ci_high": 99.0},
            "slope_per_visit": slope,
            "converged": False,
        }
    }
    text = re.sub(r"\s+", " ", text_of(render_outcomes(result, ClinicSettings())))
    assert "MADRS - did not converge: estimates not shown 40 patients, 240 visits" in text
    assert "98.7" not in text and "-9.87" not in text
