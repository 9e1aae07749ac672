"""Every name prints: fonts are embedded, and CJK falls back to Droid Sans Fallback."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader
from report_courses import GENERATED_AT, make_course
from report_text import page_texts

from mbctracker.domain.timeline import CourseTimeline
from mbctracker.reports import render_summary
from mbctracker.reports.fonts import FALLBACK, SANS, SANS_BOLD, font_path, markup, runs

NAMES = ("Zoë Ødegård", "José Núñez", "王芳")


def _fonts(pdf: bytes) -> dict[str, Any]:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_all_fonts_are_embedded_subsets(pdf10: bytes) -> None:
    fonts = _fonts(pdf10)
    names = {name.split("+", 1)[1] for name in fonts}
    assert names == {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"}
    for name, font in fonts.items():
        assert "+" in name, f"{name} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_the_three_names_appear_in_one_summary(pdf10: bytes) -> None:
    """Patient in the header, clinician and a relative in the safety actions."""
    text = " ".join(page_texts(pdf10))
    for name in NAMES:
        assert name in text


@pytest.mark.parametrize("name", NAMES)
def test_patient_name_prints_in_every_header(name: str) -> None:
    pdf = render_summary(make_course(10, name=name), generated_at=GENERATED_AT)
    pages = page_texts(pdf)
    assert all(name in page for page in pages)


def test_latin_summary_does_not_carry_the_cjk_font() -> None:
    """The CJK font is embedded only when a character needs it (small files otherwise)."""
    plain = _without_cjk(make_course(10, name="José Núñez"))
    pdf = render_summary(plain, generated_at=GENERATED_AT)
    assert not any("DroidSansFallback" in name for name in _fonts(pdf))


def _without_cjk(course: CourseTimeline) -> CourseTimeline:
    assessments = tuple(
        replace(a, actions=tuple(replace(x, text="Plan updated") for x in a.actions))
        for a in course.assessments
    )
    return replace(course, assessments=assessments)


def test_runs_split_only_where_the_font_lacks_glyphs() -> None:
    assert list(runs("Zoë Ødegård")) == [(SANS, "Zoë Ødegård")]
    assert list(runs("Dr 王芳 (mother)", SANS_BOLD)) == [
        (SANS_BOLD, "Dr "),
        (FALLBACK, "王芳 "),
        (SANS_BOLD, "(mother)"),
    ]


def test_markup_escapes_and_wraps_cjk() -> None:
    assert markup("a < b & 王") == f'a &lt; b &amp; <font name="{FALLBACK}">王</font>'


def test_fonts_and_licences_ship_in_the_package() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf"):
        assert font_path(name).stat().st_size > 100_000
    for name in ("DejaVu-LICENSE.txt", "DroidSansFallback-LICENSE.txt", "Apache-2.0.txt"):
        assert font_path(name).read_text(encoding="utf-8").strip()
