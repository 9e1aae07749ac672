"""The one validation layer at the services boundary.

Every use case checks what it was given at its top, with the rules below, before it
writes anything. Each rule is written once, and every refusal reads
``"<Field label>: <what is wrong>; allowed: <what is>"`` with ``field=`` set, so a
form can show it beside the right field and a script gets a plain message instead
of a ``TypeError`` from deep inside SQLAlchemy.

Types are strict: an int is an int (not ``True``, ``2.5`` or ``"3"``); a date is a
calendar date (not a datetime); a date and time is a *naive local wall-clock*
datetime, the way the clinic reads its clocks. Aware datetimes are refused rather
than converted, so a caller never has two ways to say the same instant. Local
times that do not exist (the hour skipped when clocks go forward) are refused
naming the gap; times that occur twice (clocks going back) are taken as the first
occurrence, the reading a clinician in the room most likely meant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import NoReturn, TypeVar, cast

from ..domain.errors import ValidationError
from ..domain.limits import EARLIEST_DATE

E = TypeVar("E", bound=Enum)

_ALLOWED_IN_NOTES = frozenset("\n\t")
_GAP_SEARCH = timedelta(days=2)
"""How far to look for the edges of a skipped local time (Samoa skipped a whole day)."""


def refuse(field: str, label: str, problem: str, allowed: str) -> NoReturn:
    """Raise the uniform refusal: label, what is wrong, what is allowed."""
    raise ValidationError(f"{label}: {problem}; allowed: {allowed}", field=field)


def _shown(value: object, limit: int = 40) -> str:
    """A short, safe echo of a refused value (never a megabyte, never a control char)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


# --- text ---------------------------------------------------------------------------------


def text(
    value: object,
    field: str,
    label: str,
    maximum: int,
    *,
    multiline: bool = False,
    required: bool = False,
) -> str:
    """Trimmed text within ``maximum`` characters, free of control characters.

    Multi-line fields (notes, descriptions) keep newlines and tabs; Windows line
    ends become ``\\n``. Lone surrogates are refused too: SQLite cannot store them.
    """
    if not isinstance(value, str):
        refuse(field, label, f"must be text, got {type(value).__name__}", "text")
    if multiline:
        value = value.replace("\r\n", "\n")
    value = value.strip()
    if required and not value:
        refuse(field, label, "is required", f"1-{maximum:,} characters")
    if len(value) > maximum:
        refuse(field, label, f"is too long ({len(value):,} characters)", f"at most {maximum:,}")
    _no_control_characters(value, field, label, multiline)
    return value


def optional_text(value: object, field: str, label: str, maximum: int) -> str | None:
    return None if value is None else text(value, field, label, maximum)


_CONTROL_OR_SURROGATE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Unicode categories Cc and Cs, exactly: one regex pass finds none in almost every text."""


def _no_control_characters(value: str, field: str, label: str, multiline: bool) -> None:
    if _CONTROL_OR_SURROGATE.search(value) is None:
        return  # an import checks a quarter of a million cells; the loop names the first bad one
    allowed = _ALLOWED_IN_NOTES if multiline else frozenset()
    for index, char in enumerate(value):
        kind = unicodedata.category(char)
        if kind in ("Cc", "Cs") and char not in allowed:
            what = "line breaks and tabs" if multiline else "no line breaks or tabs"
            refuse(
                field,
                label,
                f"holds a control character (U+{ord(char):04X}) at position {index + 1}",
                f"printable text ({what})",
            )


# --- numbers and choices -------------------------------------------------------------------


def whole_number(value: object, field: str, label: str, low: int, high: int) -> int:
    """An int in ``low..high``; ``True``, ``2.5`` and ``"3"`` are refused, not coerced."""
    if isinstance(value, bool) or not isinstance(value, int):
        refuse(field, label, f"must be a whole number, got {_shown(value)}", f"{low}-{high}")
    if not low <= value <= high:
        refuse(field, label, f"{value} is out of range", f"{low}-{high}")
    return value


def record_id(value: object, field: str, label: str) -> int:
    """A record id: a positive int (``"1"`` from a script is refused, not looked up)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        refuse(
            field, label, f"must be a whole number, got {_shown(value)}", "a record id (1 or more)"
        )
    return value


def choice(value: object, enum: type[E], field: str, label: str) -> E:
    """A member of ``enum``, given as the member or its stored value.

    Looked up by value, not by walking the members: an import checks a million cells.
    """
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        found = enum._value2member_map_.get(value)
        if found is not None:
            return cast(E, found)
    allowed = ", ".join(str(m.value) for m in enum)
    refuse(field, label, f"{_shown(value)} is not one of the choices", allowed)


def optional_choice(value: object, enum: type[E], field: str, label: str) -> E | None:
    return None if value is None else choice(value, enum, field, label)


def choices(values: object, enum: type[E], field: str, label: str) -> tuple[E, ...]:
    """Several members (a list or tuple; a bare string is refused, not split into letters)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        allowed = "a list of: " + ", ".join(str(m.value) for m in enum)
        refuse(field, label, f"must be a list, got {_shown(values)}", allowed)
    return tuple(choice(v, enum, field, label) for v in values)


# --- dates and times -----------------------------------------------------------------------


def calendar_date(value: object, field: str, label: str) -> date:
    """A calendar date from :data:`EARLIEST_DATE` to today (a datetime is refused)."""
    today = date.today()
    allowed = f"a date from {EARLIEST_DATE:%Y-%m-%d} to today ({today:%Y-%m-%d})"
    if isinstance(value, datetime) or not isinstance(value, date):
        refuse(field, label, f"must be a date without a time, got {_shown(value)}", allowed)
    if value < EARLIEST_DATE:
        refuse(field, label, f"{value:%Y-%m-%d} is too early", allowed)
    if value > today:
        refuse(field, label, f"{value:%Y-%m-%d} is in the future", allowed)
    return value


def optional_date(value: object, field: str, label: str) -> date | None:
    return None if value is None else calendar_date(value, field, label)


def local_datetime(value: object, field: str, label: str) -> datetime:
    """A naive local date and time that exists on the clock, from 1900 to now.

    Returns it with ``fold=0``: a time that occurs twice when clocks go back is the
    first occurrence.
    """
    now = datetime.now()
    allowed = f"a local date and time from {EARLIEST_DATE:%Y-%m-%d} to now ({now:%Y-%m-%d %H:%M})"
    if not isinstance(value, datetime):
        refuse(field, label, f"needs a date and a time, got {_shown(value)}", allowed)
    if value.tzinfo is not None:
        refuse(field, label, f"{value.isoformat()} carries a timezone", allowed)
    if value.date() < EARLIEST_DATE:
        refuse(field, label, f"{value:%Y-%m-%d} is too early", allowed)
    if value > now:
        refuse(field, label, f"{value:%Y-%m-%d %H:%M} is in the future", allowed)
    moment = value.replace(fold=0)
    if not exists_locally(moment):
        _refuse_gap(moment, field, label)
    return moment


def optional_local_datetime(value: object, field: str, label: str) -> datetime | None:
    return None if value is None else local_datetime(value, field, label)


def exists_locally(moment: datetime) -> bool:
    """False for a wall-clock time skipped when the clocks go forward (a DST gap)."""
    back = moment.astimezone(UTC).astimezone().replace(tzinfo=None)
    return back == moment


def _refuse_gap(moment: datetime, field: str, label: str) -> NoReturn:
    start, end = moment, moment
    step = timedelta(minutes=1)
    while not exists_locally(start - step) and moment - start < _GAP_SEARCH:
        start -= step
    while not exists_locally(end) and end - moment < _GAP_SEARCH:
        end += step
    refuse(
        field,
        label,
        f"{moment:%Y-%m-%d %H:%M} does not exist in local time: the clocks went forward "
        f"from {start:%H:%M} to {end:%H:%M} that day (daylight saving time)",
        f"a time before {start:%H:%M} or from {end:%H:%M}",
    )


def not_before(
    value: date | datetime, floor: date | datetime | None, field: str, label: str, what: str
) -> None:
    """Refuse ``value`` earlier than ``floor`` (``what`` names it: "the course start").

    Two datetimes are compared to the minute; otherwise by calendar day.
    """
    if floor is None:
        return
    if isinstance(value, datetime) and isinstance(floor, datetime):
        if value < floor:
            shown, limit = f"{value:%Y-%m-%d %H:%M}", f"{floor:%Y-%m-%d %H:%M}"
            refuse(field, label, f"{shown} is before {what} ({limit})", f"from {limit}")
        return
    day, limit_day = _day(value), _day(floor)
    if day < limit_day:
        refuse(field, label, f"{day} is before {what} ({limit_day})", f"from {limit_day}")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
