"""Reading an interchange file: records with their line numbers, and typed cells.

Every cell is parsed from text and then checked by the same rules as a keyed entry
(:mod:`mbctracker.services.validation`); a bad cell is not an exception that stops
the import but a *problem* ``file:line: column: what is wrong; allowed: ...``
collected with all the others, so one run lists them all.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import BinaryIO, NamedTuple, TypeVar

from ...domain.errors import DomainError
from ...domain.limits import EARLIEST_DATE, MRN_MAX, NAME_MAX, SHORT_TEXT_MAX
from ...domain.text import clean_mrn, invisible_character
from ...storage.mappers import dumps
from ..validation import (
    calendar_date,
    choice,
    local_datetime,
    refuse,
    text,
    whole_number,
)
from . import spec

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

MAX_LISTED = 10_000
"""Problems kept word for word; past that they are counted (a wrong file can have millions)."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Problems:
    """Every problem found, in file order; ``hidden`` counts those past :data:`MAX_LISTED`."""

    lines: list[str] = field(default_factory=list)
    hidden: int = 0

    def add(self, file: str, line: int | None, column: str, message: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        if len(self.lines) < MAX_LISTED:
            self.lines.append(f"{where}: {column}: {message}")
        else:
            self.hidden += 1

    def __bool__(self) -> bool:
        return bool(self.lines)

    def all(self) -> list[str]:
        more = [f"... and {self.hidden:,} more problems"] if self.hidden else []
        return [*self.lines, *more]


_CHOICE = re.compile(r"(?P<label>.+?) must be one of (?P<allowed>.+); got (?P<got>.+)", re.S)
_NUMBER = re.compile(r"(?P<label>.+?) must be a number \((?P<unit>.*)\); got (?P<got>.+)", re.S)


def wording(exc: DomainError, column: str) -> str:
    """The refusal without its leading label (the column already names the cell).

    The domain's session-detail messages are reworded into the same
    "what is wrong; allowed: ..." shape as every other problem.
    """
    message = str(exc)
    for label in (column, column.replace("_", " ").capitalize()):
        if message.startswith(label + ": "):
            return message[len(label) + 2 :]
    if found := _CHOICE.fullmatch(message):
        return (
            f"{found['label']} {found['got']} is not one of the choices; "
            f"allowed: {found['allowed']}"
        )
    if found := _NUMBER.fullmatch(message):
        unit = f" ({found['unit']})" if found["unit"] else ""
        return f"{found['label']} {found['got']} is not a number; allowed: a number{unit}"
    return message


class Row:
    """One record of a file: its cells by column name and the problems found in it."""

    def __init__(self, file: str, line: int, cells: dict[str, str], problems: Problems) -> None:
        self.file, self.line, self.cells, self.problems = file, line, cells, problems
        self.ok = True

    def raw(self, column: str) -> str:
        """The cell's text, the export's escaping apostrophe removed."""
        return spec.read_cell(self.cells.get(column, ""))

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.problems.add(self.file, self.line, column, message)

    def get(self, column: str, parse: Callable[[str, str], T]) -> T | None:
        """The cell parsed and checked; None (and a problem noted) when it is wrong."""
        cell = self.cells.get(column, "")
        try:
            return parse(cell[1:] if cell[:1] == "'" else cell, column)  # spec.read_cell, inline
        except DomainError as exc:
            self.problem(column, wording(exc, column))
            return None


# --- parsers: (cell text, column) -> value, raising the services' ValidationError ----------


def p_text(
    maximum: int, *, multiline: bool = False, required: bool = False
) -> Callable[[str, str], str]:
    def parse(value: str, column: str) -> str:
        return text(value, column, column, maximum, multiline=multiline, required=required)

    return parse


def p_mrn(value: str, column: str) -> str:
    """An MRN as the patient form takes it (invisible characters refused, never stripped)."""
    bad = invisible_character(value.strip())
    if bad is not None:
        name = unicodedata.name(bad, "control character")
        refuse(
            column,
            column,
            f"holds an invisible or control character (U+{ord(bad):04X} {name})",
            "letters, digits, spaces and punctuation",
        )
    return clean_mrn(text(value, column, column, MRN_MAX, required=True), column)


@functools.cache
def p_choice(enum: type[E]) -> Callable[[str, str], E]:
    def parse(value: str, column: str) -> E:
        return choice(value.strip(), enum, column, column)

    return parse


@functools.cache
def p_optional_choice(enum: type[E]) -> Callable[[str, str], E | None]:
    def parse(value: str, column: str) -> E | None:
        return choice(value.strip(), enum, column, column) if value.strip() else None

    return parse


@functools.cache
def p_choices(enum: type[E]) -> Callable[[str, str], tuple[E, ...]]:
    """A list cell: choices separated by ``;`` (blank = none)."""

    def parse(value: str, column: str) -> tuple[E, ...]:
        parts = [p.strip() for p in value.split(spec.LIST_SEPARATOR) if p.strip()]
        return tuple(choice(p, enum, column, column) for p in parts)

    return parse


def p_strings(value: str, _column: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(spec.LIST_SEPARATOR) if p.strip())


_MISS = object()


@functools.cache
def answers(low: int, high: int) -> dict[str, int | None]:
    """Every valid cell of an item answer (blank = missing), for a dictionary look-up."""
    return {"": None, **{str(n): n for n in range(low, high + 1)}}


@functools.cache
def p_int(low: int, high: int, *, optional: bool = False) -> Callable[[str, str], int | None]:
    """A whole number in ``low..high``; small ranges (item answers) are looked up, not parsed."""
    known: dict[str, int | None] = (
        {str(n): n for n in range(low, high + 1)} if high - low <= 100 else {}
    )
    if optional:
        known[""] = None

    def parse(value: str, column: str) -> int | None:
        found = known.get(value, _MISS)
        if found is not _MISS:
            return found  # type: ignore[return-value]
        value = value.strip()
        if not value and optional:
            return None
        allowed = f"a whole number {low}-{high}" + (" or empty" if optional else "")
        if not re.fullmatch(r"[+-]?\d{1,9}", value):
            refuse(column, column, f"{_echo(value)} is not a whole number", allowed)
        try:
            return whole_number(int(value), column, column, low, high)
        except DomainError:
            refuse(column, column, f"{int(value)} is out of range", allowed)

    return parse


@functools.cache
def p_date(*, optional: bool = False) -> Callable[[str, str], date | None]:
    def parse(value: str, column: str) -> date | None:
        value = value.strip()
        if not value and optional:
            return None
        allowed = "a date YYYY-MM-DD" + (" or empty" if optional else "")
        if not _DATE.fullmatch(value):
            refuse(column, column, f"{_echo(value)} is not a date", allowed)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            refuse(column, column, f"{value} is not a calendar date", allowed)
        return calendar_date(day, column, column)

    return parse


class Moment(NamedTuple):
    """A date and time as both the rules (local wall clock) and storage (UTC) need it."""

    local: datetime
    utc: datetime


@functools.cache
def p_datetime(*, optional: bool = False) -> Callable[[str, str], Moment | None]:
    """ISO 8601 with a time; with an offset it is that instant, without it is clinic-local.

    An instant with an offset is stored exactly (even in the hour the clocks go back);
    a local time is checked as a keyed one is (refused inside a daylight-saving gap).
    """

    def parse(value: str, column: str) -> Moment | None:
        value = value.strip()
        if not value and optional:
            return None
        allowed = "a date and time YYYY-MM-DDTHH:MM[:SS][+HH:MM]" + (
            " or empty" if optional else ""
        )
        try:
            moment = datetime.fromisoformat(value) if len(value) > 10 else None
        except ValueError:
            moment = None
        if moment is None:
            refuse(column, column, f"{_echo(value)} is not a date and time", allowed)
        if moment.tzinfo is None:
            local = local_datetime(moment, column, column)
            return Moment(local, local.astimezone(UTC))
        utc = moment.astimezone(UTC)
        local = utc.astimezone().replace(tzinfo=None)
        if local.date() < EARLIEST_DATE or local > datetime.now():
            local_datetime(local, column, column)  # refuses, in the keyed entry's words
        return Moment(local, utc)

    return parse


def p_json_object(value: str, column: str) -> dict[str, object]:
    if not value.strip():
        return {}
    allowed = 'a JSON object such as {"dose_mg_per_kg": 0.5}, or empty'
    try:
        found = json.loads(value)
    except ValueError:
        refuse(column, column, "is not valid JSON", allowed)
    if not isinstance(found, dict):
        refuse(column, column, "is JSON but not an object", allowed)
    return found


_BOOLS = {"": False, "false": False, "0": False, "true": True, "1": True}


def p_bool(value: str, column: str) -> bool:
    """A yes/no cell as the export writes it (``true``/``false``; blank = false)."""
    found = _BOOLS.get(value.strip().lower())
    if found is None:
        refuse(column, column, f"{_echo(value)} is not true or false", "true, false or empty")
    return found


_WARNING_KEYS = ("rule", "field", "text")


def p_warnings(value: str, column: str) -> str:
    """Stored plausibility warnings: a JSON list of {rule, field, text}, stored as the app
    stores them (blank = none). They were confirmed at the first save and are kept as given."""
    if not value.strip():
        return "[]"
    allowed = 'a JSON list such as [{"rule": "...", "field": "...", "text": "..."}], or empty'
    try:
        found = json.loads(value)
    except ValueError:
        refuse(column, column, "is not valid JSON", allowed)
    if not isinstance(found, list) or not all(
        isinstance(item, dict)
        and set(item) == set(_WARNING_KEYS)
        and all(isinstance(item[k], str) for k in _WARNING_KEYS)
        for item in found
    ):
        refuse(column, column, "is not a list of warnings with rule, field and text", allowed)
    for item in found:
        text(item["text"], column, column, SHORT_TEXT_MAX, required=True)
        text(item["rule"], column, column, NAME_MAX, required=True)
        text(item["field"], column, column, NAME_MAX)
    return dumps([{k: item[k] for k in _WARNING_KEYS} for item in found])


def _echo(value: str, limit: int = 30) -> str:
    return repr(value) if len(value) <= limit else repr(value[:limit]) + "…"


# --- records ------------------------------------------------------------------------------


@dataclass
class Reading:
    """Bytes read so far (for the progress bar) and the columns nobody asked for."""

    done: int = 0
    unknown: list[str] = field(default_factory=list)


def records(
    path: Path, known: Iterable[str], problems: Problems, reading: Reading
) -> Iterator[Row]:
    """The file's rows after its header, each with the line it starts on."""
    name = path.name
    with path.open("rb") as raw:
        reader = csv.reader(_lines(raw, name, problems, reading), strict=True)
        try:
            header = _header(next(reader, []), name, known, problems, reading)
            if header is None:
                return
            yield from _rows(reader, header, name, problems)
        except csv.Error as exc:
            line = reader.line_num or 1
            problems.add(name, line, "row", f"not readable as CSV ({exc}); allowed: RFC 4180 CSV")


def _lines(raw: BinaryIO, name: str, problems: Problems, reading: Reading) -> Iterator[str]:
    for number, line in enumerate(raw, start=1):
        reading.done += len(line)
        try:
            text_line = line.decode("utf-8")
        except UnicodeDecodeError:
            problems.add(name, number, "row", "not UTF-8 text; allowed: UTF-8 (CSV UTF-8)")
            text_line = line.decode("utf-8", errors="replace")
        yield text_line.removeprefix("\ufeff") if number == 1 else text_line


def _header(
    cells: list[str], name: str, known: Iterable[str], problems: Problems, reading: Reading
) -> list[str] | None:
    header = [c.strip() for c in cells]
    required = spec.REQUIRED[name]
    missing = [c for c in required if c not in header]
    for column in missing:
        allowed = f"a header naming {', '.join(required)}"
        problems.add(name, 1, column, f"column is missing; allowed: {allowed}")
    twice = sorted({c for c in header if header.count(c) > 1 and c})
    for column in twice:
        problems.add(name, 1, column, "column appears twice; allowed: each column once")
    known_set = set(known) | set(spec.SCORE_COLUMNS)
    reading.unknown += [f"{name}: {c}" for c in header if c and c not in known_set]
    return None if missing or twice else header


def _rows(
    reader: Iterator[list[str]], header: list[str], name: str, problems: Problems
) -> Iterator[Row]:
    line = 2
    for cells in reader:
        start, line = line, getattr(reader, "line_num", line) + 1
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            problems.add(
                name,
                start,
                "row",
                f"has {len(cells)} cells but the header has {len(header)}; allowed: one cell "
                "per column (quote a cell that holds a comma or a line break)",
            )
            continue
        yield Row(name, start, dict(zip(header, cells, strict=True)), problems)
