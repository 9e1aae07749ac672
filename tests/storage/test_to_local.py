"""Stored UTC times shown as local wall-clock times, in real zones, at any instant.

The reference is independent of the code: Python's ``zoneinfo`` tables for the same
zone the process runs in (``TZ``), where the code asks the C library. Zones with a
half-hour daylight change and a 45-minute offset are included, and the instants
include every ten minutes of a year, where a wrong rule would show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbctracker.storage.mappers import to_local, to_utc

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]

INSTANTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
)


def _reference(stored: datetime, zone: str) -> datetime:
    return stored.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@pytest.mark.parametrize("local_zone", ZONES, indirect=True)
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the zone is set once for all examples, as intended
@given(stored=INSTANTS)
def test_any_instant_reads_as_the_zones_wall_clock(local_zone: str, stored: datetime) -> None:
    assert to_local(stored) == _reference(stored, local_zone)
    assert to_local(stored.replace(tzinfo=None)) == _reference(stored, local_zone)  # naive = UTC


@pytest.mark.parametrize("local_zone", ZONES, indirect=True)
def test_every_ten_minutes_of_a_year_reads_as_the_zones_wall_clock(local_zone: str) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for step in range(0, 366 * 24 * 6):
        stored = start + timedelta(minutes=10 * step, microseconds=step % 1_000_000)
        assert to_local(stored) == _reference(stored, local_zone), stored


@pytest.mark.parametrize("local_zone", ["America/New_York"], indirect=True)
def test_the_second_one_thirty_goes_back_to_its_own_instant(local_zone: str) -> None:
    """New York's 01:30 on 2026-11-01 happens twice; the stored later one comes back as
    itself when converted back (it used to come back an hour early)."""
    later = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    shown = to_local(later)
    assert shown == datetime(2026, 11, 1, 1, 30)
    assert to_utc(shown) == later
