"""Printable PDF progress summaries, made headless (no Qt) with reportlab.

Public API used by the command line (``mbctracker report``) and the app
(File -> Print summary): :func:`render_summary`, :func:`write_summary` and
:func:`write_summaries`. Every figure comes from
:func:`mbctracker.domain.timeline.summarize`, so paper and screen agree.
"""

from .output import (
    Progress,
    ReportWriteError,
    TimelineSource,
    check_target,
    render_summary,
    summary_filename,
    write_summaries,
    write_summary,
)

__all__ = [
    "Progress",
    "ReportWriteError",
    "TimelineSource",
    "check_target",
    "render_summary",
    "summary_filename",
    "write_summaries",
    "write_summary",
]
