"""Size and range limits for what a person may enter: one place, named in every message.

The text limits keep records readable and the PDF fast (reportlab lays a long
paragraph out in quadratic time: a 1 MB description took over 4 minutes), and
the date limits keep a typo such as year 1 or 1900 out of a 2026 course.
"""

from __future__ import annotations

from datetime import date

NAME_MAX = 200
"""Characters in a person's name (patient, rater, clinician)."""
MRN_MAX = 64
"""Characters in a medical record number."""
SHORT_TEXT_MAX = 500
"""Characters in a one-line free-text field (side effects described, action taken)."""
NOTES_MAX = 10_000
"""Characters in notes and descriptions (multi-line)."""
PLANNED_SESSIONS_MAX = 500
"""Sessions a course may plan (TMS courses run 20-36; maintenance adds a few dozen a year)."""
SESSION_NUMBER_MAX = 10_000
"""The highest session number (years of maintenance sessions fit well below it)."""
EARLIEST_DATE = date(1900, 1, 1)
"""No clinical date (birth, course, session, assessment, event) is earlier."""
