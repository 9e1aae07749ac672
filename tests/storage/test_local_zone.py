"""The zone the server is told for the clinic's local days, without ``TZ``.

``tzlocal`` gives the system's IANA name (``/etc/localtime``; on Windows its own zone
mapped to the IANA one, so daylight saving is followed there too); a name Python
cannot load, or none at all, falls back to the current offset.
"""

from __future__ import annotations

from zoneinfo import ZoneInfoNotFoundError

import pytest
import tzlocal

from mbctracker.storage.portable import local_zone


@pytest.fixture
def no_tz(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("TZ", raising=False)
    return monkeypatch


def _system_says(monkeypatch: pytest.MonkeyPatch, answer: str | Exception) -> None:
    def name() -> str:
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(tzlocal, "get_localzone_name", name)


def test_the_systems_zone_name_is_used_as_it_is(no_tz: pytest.MonkeyPatch) -> None:
    _system_says(no_tz, "America/Chicago")  # what tzlocal maps "Central Standard Time" to
    assert local_zone() == "America/Chicago"


@pytest.mark.parametrize(
    "answer",
    [
        "Not/AZone",
        "",
        LookupError("Can not find Windows timezone configuration"),
        ZoneInfoNotFoundError("Windows zone with no IANA name"),
    ],
)
def test_no_usable_name_falls_back_to_the_current_offset(
    no_tz: pytest.MonkeyPatch, answer: str | Exception
) -> None:
    _system_says(no_tz, answer)
    assert local_zone().startswith("<") and ">" in local_zone()


def test_tz_wins_over_the_system(no_tz: pytest.MonkeyPatch) -> None:
    _system_says(no_tz, "America/Chicago")
    no_tz.setenv("TZ", "Asia/Tokyo")
    assert local_zone() == "Asia/Tokyo"
