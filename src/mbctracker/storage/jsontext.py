"""JSON columns: text on a SQLite file, ``jsonb`` on a clinic server (issue 13, migration 0013).

The services read and write these columns as JSON *text*, on both engines, through
one code path. SQLite keeps the text as written. PostgreSQL keeps the parsed value
(``jsonb``: checked by the server, and searchable); it does not keep key order or
spacing, so a value read back is written out again the one way the app writes JSON
(``storage.mappers.dumps``: sorted keys, unescaped text), which is what was stored.

Invalid JSON (or NaN, which Python's ``json`` writes but JSON has not) is refused on
both engines before anything reaches the database.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse(text: str) -> Any:
    """The value of a JSON text; raises ValueError for invalid JSON (NaN included)."""
    if not isinstance(text, str):
        raise ValueError(f"expected JSON text, got {type(text).__name__}")
    return json.loads(text, parse_constant=_no_constant)


def canonical(value: Any) -> str:
    """The app's one way of writing a JSON value (as ``storage.mappers.dumps``)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class JsonText(TypeDecorator[str]):
    """A JSON column the app sees as text on both engines (``jsonb`` on PostgreSQL)."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(String())  # VARCHAR, as migrations 0001-0012 made it

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        parsed = parse(value)
        if dialect.name != "postgresql":
            return value
        return JSON.NULL if parsed is None else parsed

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None or dialect.name != "postgresql":
            return value  # type: ignore[no-any-return]
        return canonical(parse(value) if isinstance(value, str) else value)


class JsonValue(TypeDecorator[Any]):
    """What ``json_extract`` gives, as SQLite gives it: a number, a string or None.

    On PostgreSQL the function returns ``jsonb`` (migrations 0011, 0013), read as JSON
    text (``storage.server``); this type parses it, so one query serves both engines.
    """

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, str) and dialect.name == "postgresql":
            return parse(value)
        return value
