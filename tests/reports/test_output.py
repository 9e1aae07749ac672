"""Writing to disk: atomic, never a half-written PDF, batches that can be cancelled."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from report_courses import GENERATED_AT, make_course

from mbctracker.domain.course import CourseId
from mbctracker.domain.timeline import CourseTimeline
from mbctracker.reports import (
    ReportWriteError,
    render_summary,
    summary_filename,
    write_summaries,
    write_summary,
)
from mbctracker.reports import output as output_module


def test_write_summary_writes_the_rendered_bytes(tmp_path: Path, course10: CourseTimeline) -> None:
    out = tmp_path / "summary.pdf"
    assert write_summary(course10, out, generated_at=GENERATED_AT) == out
    assert out.read_bytes() == render_summary(course10, generated_at=GENERATED_AT)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_render_error_leaves_no_file_and_keeps_the_old_one(
    tmp_path: Path, course10: CourseTimeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"%PDF- the previous, complete summary")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("layout bug")

    monkeypatch.setattr(output_module, "render", broken)
    with pytest.raises(RuntimeError, match="layout bug"):
        write_summary(course10, out, generated_at=GENERATED_AT)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]
    assert out.read_bytes() == b"%PDF- the previous, complete summary"


def test_failure_while_writing_removes_the_temp_file(
    tmp_path: Path, course10: CourseTimeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "summary.pdf"

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(ReportWriteError, match=r"Cannot write the summary to .*No space left"):
        write_summary(course10, out, generated_at=GENERATED_AT)
    assert list(tmp_path.iterdir()) == []


def test_interrupt_while_writing_removes_the_temp_file(
    tmp_path: Path, course10: CourseTimeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_summary(course10, tmp_path / "summary.pdf", generated_at=GENERATED_AT)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_clear_error(tmp_path: Path, course10: CourseTimeline) -> None:
    out = tmp_path / "nowhere" / "summary.pdf"
    with pytest.raises(ReportWriteError) as caught:
        write_summary(course10, out, generated_at=GENERATED_AT)
    assert caught.value.strerror is not None
    assert str(out) in caught.value.strerror
    assert isinstance(caught.value, OSError)


def test_batch_reports_progress_and_writes_one_file_per_course(
    tmp_path: Path, course10: CourseTimeline
) -> None:
    second = make_course(12, name="José Núñez")
    other = replace(second, course=replace(second.course, id=CourseId(8)))
    calls: list[tuple[int, int]] = []
    written = write_summaries(
        [course10, lambda: other],
        tmp_path / "out",
        generated_at=GENERATED_AT,
        progress=lambda done, total: calls.append((done, total)) is None,
    )
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert [p.name for p in written] == [
        "004217_course-7_2026-04-30.pdf",
        "004217_course-8_2026-04-30.pdf",
    ]
    assert all(p.exists() and p.read_bytes().startswith(b"%PDF") for p in written)


def test_batch_stops_when_progress_says_cancel(tmp_path: Path, course10: CourseTimeline) -> None:
    loaded: list[int] = []

    def loader(number: int) -> CourseTimeline:
        loaded.append(number)
        return course10

    items = [lambda n=n: loader(n) for n in range(5)]
    written = write_summaries(
        items, tmp_path, generated_at=GENERATED_AT, progress=lambda done, total: done < 2
    )
    assert len(written) == 2
    assert loaded == [0, 1]  # the cancelled rest is never even loaded


def test_batch_cancelled_before_the_first(tmp_path: Path, course10: CourseTimeline) -> None:
    written = write_summaries(
        [course10], tmp_path, generated_at=GENERATED_AT, progress=lambda done, total: False
    )
    assert written == [] and list(tmp_path.iterdir()) == []


def test_filename_is_safe_and_names_mrn_course_and_day(course10: CourseTimeline) -> None:
    odd = replace(course10, patient=replace(course10.patient, mrn="../A/B 12"))
    assert summary_filename(odd, GENERATED_AT) == "A-B-12_course-7_2026-04-30.pdf"
