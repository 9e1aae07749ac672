"""Both engines side by side at clinic scale, through the services (issue 13, Speed).

The cached 22,481-patient bench file (``common.head_db``, the file ``bench_scale``
uses) is copied to a scratch SQLite file and loaded into a throw-away PostgreSQL
database (``tests/pg_cluster.py``'s cluster: unix socket only) with one bulk ``COPY``
per table, then ``server-init`` and one clinician login, as a clinic would run it.
The cluster loads with ``fsync`` off and is then restarted durable (``fsync``,
``synchronous_commit`` and full-page writes on), so its saves wait for the disk as
SQLite's ``synchronous=FULL`` does. ``MBCT_BENCH_PG=postgresql://...`` measures an
existing server instead (loaded the same way; its database must be empty).

Each figure is 30+ repetitions, median and p95, against a floor measured in the same
run through the raw driver (stdlib ``sqlite3`` / ``psycopg``), no SQLAlchemy:

- search keystroke: ``count_patients`` + the 40-row ``patient_page`` for every prefix of
  four queries; floor: the same count and 40 ids in raw SQL;
- patient switch: what the course view reads (``read_patient_view``: the patient, their
  courses and the course shown, in one transaction); floor: the course's rows read raw;
- save to chart: ``record_assessment`` (write, change log, summary, NOTIFY, the result's
  read); floor: the assessment and its change-log row inserted raw in one transaction;
- seen on another workstation: a second process saves; this one waits on its watcher
  (PostgreSQL: ``LISTEN`` socket; SQLite: ``PRAGMA data_version`` polled without pause,
  where the window polls every 500 ms) and reads the course again; floor: a raw insert
  on one connection seen by another (``NOTIFY``/``LISTEN``, or ``data_version``).

Service calls, not painted widgets (``bench_scale`` times the window on SQLite). Without
PostgreSQL the module prints why it skipped. Alone:
``BENCH_SIZES=22481 .venv/bin/python -m bench.bench_server``.
"""

from __future__ import annotations

import os
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .bench_scale import REPS, line, stats, timed
from .common import head_db

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "22481").split(","))
QUERIES = ("ana silva", "demo-01234", "zoë", "chen")
PASSWORD = "bench-synthetic-password"
CLINICIAN = "bench.clinician"
DURABLE = "-c listen_addresses='' -c max_connections=100 -c shared_buffers=256MB"
"""The restarted cluster's options: fsync, synchronous_commit and full_page_writes at
PostgreSQL's defaults (on)."""
ENGINES = ("sqlite", "postgresql")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min, {os.cpu_count()} cores)"


# -- the clinic on the server -------------------------------------------------------


@contextmanager
def _cluster() -> Iterator[tuple[str | None, Any]]:
    """(owner URL or None, cluster or reason): the server to load, or why there is none."""
    given = os.environ.get("MBCT_BENCH_PG")
    if given:
        yield given, None
        return
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    import pg_cluster

    cluster = pg_cluster.start()
    if isinstance(cluster, str):
        yield None, cluster
        return
    try:
        yield cluster.url(cluster.new_database()), cluster
    finally:
        cluster.stop()


def _copy_tables(sqlite_path: Path, url: str) -> int:
    """Every table's rows, COPY'd in bulk with triggers off; returns the rows copied."""
    import psycopg

    from mbctracker.storage.server import server_url

    target = server_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    copied = 0
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with closing(source) as src, psycopg.connect(target) as dst:
        dst.execute("SET session_replication_role = replica")  # no triggers, no FK checks
        dst.execute("SET TimeZone = 'UTC'")
        for table in _server_tables(dst):
            copied += _copy_table(src, dst, table)
        dst.commit()
        dst.autocommit = True
        dst.execute("ANALYZE")
    return copied


def _server_tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename NOT IN ('alembic_version', 'app_meta')"
    )
    return [str(r[0]) for r in rows]


def _copy_table(src: sqlite3.Connection, dst: Any, table: str) -> int:
    have = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
    columns = [
        str(r[0])
        for r in dst.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            (table,),
        )
        if r[0] in have
    ]
    if not columns:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with dst.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in src.execute(f"SELECT {names} FROM {table}"):
            copy.write_row(row)
            count += 1
    if "id" in columns:
        dst.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
    return count


def _durable(cluster: Any) -> None:
    """Restart the throw-away cluster with PostgreSQL's durable defaults."""
    if cluster is None:
        return
    if cluster._admin is not None:
        cluster._admin.close()
        cluster._admin = None
    subprocess.run(
        [
            str(cluster.bindir / "pg_ctl"),
            "-D",
            str(cluster.base / "data"),
            "-m",
            "fast",
            "-w",
            "-l",
            str(cluster.base / "log"),  # not our pipes: run() would wait for them to close
            "-o",
            f"-k {cluster.socket_dir} {DURABLE}",
            "restart",
        ],
        preexec_fn=cluster.run_as,
        capture_output=True,
        check=True,
        cwd=cluster.base,
    )


def _server_clinic(sqlite_path: Path, owner_url: str, cluster: Any) -> tuple[str, list[str]]:
    """Load the clinic into the server; the clinician's URL and what loading took."""
    from mbctracker.services.users import add_user, server_init
    from mbctracker.storage import open_database

    start = time.perf_counter()
    owner = open_database(owner_url, actor="bench")  # the schema, by the migrations
    owner.dispose()
    rows = _copy_tables(sqlite_path, owner_url)
    loaded = time.perf_counter() - start
    owner = open_database(owner_url, actor="bench")
    try:
        server_init(owner)
        if cluster is not None:
            cluster.psql(f'DROP ROLE IF EXISTS "{CLINICIAN}"')
        add_user(owner, CLINICIAN, "clinician", PASSWORD)
    finally:
        owner.dispose()
    _durable(cluster)
    from mbctracker.storage.server import as_person

    url = as_person(owner_url, CLINICIAN, PASSWORD)
    return url, [f"loaded {rows:,} rows into PostgreSQL by COPY in {loaded:.0f} s (fsync off)"]


# -- raw floors -----------------------------------------------------------------------


class Raw:
    """One plain driver connection (sqlite3 or psycopg) taking ``:name`` parameters."""

    def __init__(self, engine: str, target: str) -> None:
        self.engine = engine
        if engine == "sqlite":
            self.conn: Any = sqlite3.connect(target, isolation_level=None)
        else:
            import psycopg

            from mbctracker.storage.server import server_url

            dsn = server_url(target).set(drivername="postgresql")
            self.conn = psycopg.connect(dsn.render_as_string(hide_password=False))
            self.conn.autocommit = True

    def sql(self, text: str) -> str:
        if self.engine == "sqlite":
            return text
        import re

        return re.sub(r":(\w+)", r"%(\1)s", text)

    def rows(self, text: str, params: dict[str, Any] | None = None) -> list[Any]:
        return list(self.conn.execute(self.sql(text), params or {}).fetchall())

    def close(self) -> None:
        self.conn.close()


def _raw_search(raw: Raw, query: str) -> Callable[[], None]:
    from mbctracker.services.patients import like_pattern
    from mbctracker.storage.list_rows import count_sql, page_sql
    from mbctracker.storage.search_text import fold

    folded = fold(query)
    where = "p.deleted_at IS NULL AND p.search_key LIKE :pattern ESCAPE '\\'"
    if raw.engine == "sqlite" and len(folded) >= 3:
        where += " AND p.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH :phrase)"
    params = {"phrase": '"' + folded.replace('"', '""') + '"', "pattern": like_pattern(query)}
    if raw.engine != "sqlite" or len(folded) < 3:
        params.pop("phrase")
    page = page_sql(where)

    def run() -> None:
        raw.rows(count_sql(where), params)
        raw.rows(page, {**params, "limit": 40, "offset": 0})

    return run


def _raw_course(raw: Raw, course_id: int) -> Callable[[], None]:
    def run() -> None:
        for table in ("treatment_session", "assessment", "event", "safety_action"):
            raw.rows(
                f"SELECT * FROM {table} WHERE course_id = :c AND deleted_at IS NULL",
                {"c": course_id},
            )

    return run


_COPY_ROW = "INSERT INTO assessment ({cols}) SELECT {vals} FROM assessment WHERE id = :source"


def _raw_save(raw: Raw, source: int, notify: bool) -> Callable[[], None]:
    """The assessment row and its change-log row, inserted in one transaction (a floor
    for the save: no checks, scores, summary or result read)."""
    cols = [
        str(r[0])
        for r in raw.rows(
            "SELECT name FROM pragma_table_info('assessment')"
            if raw.engine == "sqlite"
            else "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'assessment' AND table_schema = current_schema()"
        )
        if r[0] != "id"
    ]
    names = ", ".join(cols)
    vals = ", ".join(":when" if c == "assessed_at" else c for c in cols)  # a new time each save
    insert = _COPY_ROW.format(cols=names, vals=vals)
    log = (
        "INSERT INTO change_log (at, actor, table_name, record_id, action, changes, "
        "patient_id, course_id) SELECT :when, 'bench', 'assessment', max(id), 'create', '{}', "
        "NULL, "
        "(SELECT course_id FROM assessment WHERE id = :source) FROM assessment"
    )
    moments = iter(datetime(2019, 1, 1) + timedelta(minutes=i) for i in range(100_000))
    begin = "BEGIN IMMEDIATE" if raw.engine == "sqlite" else "BEGIN"

    def run() -> None:
        params = {"source": source, "when": next(moments)}
        raw.conn.execute(begin)
        raw.conn.execute(raw.sql(insert), params)
        raw.conn.execute(raw.sql(log), params)
        if notify:
            raw.conn.execute("SELECT pg_notify('bench_floor', 'x')")
        raw.conn.execute("COMMIT")

    return run


# -- figures through the services -------------------------------------------------------


def _picks(db: Any) -> list[tuple[int, int]]:
    """(patient, course) of 30 listed patients with a course."""
    from mbctracker.services import patient_list

    rows = patient_list.patient_page(db, limit=120)
    return [(int(r.patient_id), int(r.course_id)) for r in rows if r.course_id][:REPS]


def search(db: Any, raw: Raw) -> list[str]:
    from mbctracker.services import patient_list

    keys, floor = [], []
    for _ in range(2):
        for text in QUERIES:
            for n in range(1, len(text) + 1):
                typed = text[:n]
                floor += timed(_raw_search(raw, typed), 1)

                def key(q: str = typed) -> None:
                    total = patient_list.count_patients(db, q)
                    patient_list.patient_page(db, q, limit=40, matches=total)

                keys += timed(key, 1)
    return [line("search keystroke (count + 40-row page)", keys, floor)]


def switch(db: Any, raw: Raw, picks: list[tuple[int, int]]) -> list[str]:
    from mbctracker.domain.course import PatientId
    from mbctracker.services.patient_view import read_patient_view

    switches, floor = [], []
    for patient, course in picks:
        floor += timed(_raw_course(raw, course), 1)
        switches += timed(lambda p=patient: read_patient_view(db, PatientId(p)), 1)
    return [line("patient switch (patient, courses, timeline in one read)", switches, floor)]


def save(db: Any, raw: Raw, course: int, floor_source: int) -> list[str]:
    from mbctracker.services.assessments import AssessmentInput, record_assessment

    moments = iter(datetime(2026, 10, 31, 8) - timedelta(minutes=i) for i in range(1000))
    saves = timed(
        lambda: record_assessment(db, course, AssessmentInput("PHQ9", [1] * 9, next(moments)))
    )
    floor = timed(_raw_save(raw, floor_source, notify=False))
    return [line("save to chart (record_assessment + its result)", saves, floor)]


SAVER = """
import os, sys, time
from datetime import datetime, timedelta
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.storage import open_database
db = open_database(os.environ["MBCT_BENCH_TARGET"], actor="infusion room")
for line in sys.stdin:
    course, minute = (int(x) for x in line.split())
    when = datetime(2026, 9, 1, 8) + timedelta(minutes=minute)
    start = time.perf_counter()
    record_assessment(db, course, AssessmentInput("PHQ9", [1] * 9, when))
    print(start, time.perf_counter(), flush=True)
db.dispose()
"""


def seen_elsewhere(
    db: Any, target: str, raw: tuple[Raw, Raw], pick: tuple[int, int], source: int
) -> list[str]:
    """Another process saves; this one notices through its watcher and reads the course."""
    from mbctracker.services.timeline import load_timeline
    from mbctracker.storage.watch import watcher_for

    patient, course = pick
    watcher = watcher_for(db.engine)
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVER],
        env={**os.environ, "MBCT_BENCH_TARGET": target},  # the password stays out of argv
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert saver.stdin is not None and saver.stdout is not None
    seen, saves = [], []
    try:
        before = len(load_timeline(db, course).assessments)
        for i in range(REPS + 2):
            saver.stdin.write(f"{course} {i}\n")
            saver.stdin.flush()
            while True:  # a change naming no patient (the saver opening the file) comes first
                _wait(watcher, patient)
                after = len(load_timeline(db, course).assessments)
                if after == before + i + 1:
                    break
            end = time.perf_counter()
            start, saved = (float(x) for x in saver.stdout.readline().split())
            if i >= 2:  # warm-up
                seen.append(end - start)
                saves.append(saved - start)
    finally:
        saver.stdin.close()
        saver.wait(timeout=60)
        watcher.close()
    floor = _raw_seen(raw, source)
    med, _p95 = stats(saves)
    return [
        line("save on another workstation -> seen and read here", seen, floor)
        + f" (of which that save {med:.1f} ms)"
    ]


def _wait(watcher: Any, patient: int) -> None:
    """Until the watcher reports a change touching ``patient`` (socket wait, or polling)."""
    fd = watcher.fileno()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if fd is not None:
            select.select([fd], [], [], 1.0)
        change = watcher.poll()
        if change is not None and change.touches(patient):
            return
    raise RuntimeError("the other workstation's save was not seen within 10 s")


def _raw_seen(raw: tuple[Raw, Raw], source: int) -> list[float]:
    """Floor: a raw insert on one connection, noticed and read on another."""
    writer, reader = raw
    insert = _raw_save(writer, source, notify=writer.engine != "sqlite")
    course = int(reader.rows("SELECT course_id FROM assessment WHERE id = :s", {"s": source})[0][0])
    read = _raw_course(reader, course)
    if reader.engine == "sqlite":
        version = lambda: reader.conn.execute("PRAGMA data_version").fetchone()[0]  # noqa: E731
    else:
        reader.conn.execute("LISTEN bench_floor")
    out = []
    for _ in range(REPS):
        mark = version() if reader.engine == "sqlite" else None
        start = time.perf_counter()
        insert()
        if reader.engine == "sqlite":
            while version() == mark:
                pass
        else:
            while not list(reader.conn.notifies(timeout=1.0, stop_after=1)):
                pass
        read()
        out.append(time.perf_counter() - start)
    return out


# -- the run ------------------------------------------------------------------------------


def _figures(engine: str, target: str, extra: str) -> list[str]:
    from mbctracker.storage import open_database

    db = open_database(target, actor="bench")
    raw, other = Raw(engine, target), Raw(engine, target)
    try:
        picks = _picks(db)
        course = picks[0][1]
        source = int(
            raw.rows("SELECT min(id) FROM assessment WHERE course_id = :c", {"c": picks[-1][1]})[0][
                0
            ]
        )
        out = search(db, raw)
        out += switch(db, raw, picks)
        out += save(db, raw, course, source)
        out += seen_elsewhere(db, extra, (raw, other), picks[1], source)
    finally:
        raw.close()
        other.close()
        db.dispose()
    return out


def _side_by_side(size: int, sqlite_copy: Path, server_url: str) -> list[str]:
    results = {
        "sqlite": _figures("sqlite", str(sqlite_copy), str(sqlite_copy)),
        "postgresql": _figures("postgresql", server_url, server_url),
    }
    lines = [f"--- {size:,} patients: SQLite file | PostgreSQL server ({_load()}) ---"]
    for ours, theirs in zip(results["sqlite"], results["postgresql"], strict=True):
        name, sqlite_part = ours.split(": ", 1)
        lines.append(f"{name}: SQLite {sqlite_part} | PostgreSQL {theirs.split(': ', 1)[1]}")
    return lines


def run() -> list[str]:
    lines = [f"machine: {_load()} at the start"]
    for size in SIZES:
        scratch = Path(tempfile.mkdtemp(prefix="mbct-bench-server-", dir="/tmp"))
        try:
            with _cluster() as (owner_url, cluster):
                if owner_url is None:
                    return [*lines, f"skipped: no PostgreSQL server ({cluster})"]
                sqlite_copy = scratch / "clinic.sqlite3"
                shutil.copyfile(head_db(size), sqlite_copy)  # the saves never touch the cache
                url, loaded = _server_clinic(sqlite_copy, owner_url, cluster)
                lines += loaded
                lines += _side_by_side(size, sqlite_copy, url)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    lines.append(f"machine: {_load()} at the end")
    return lines


if __name__ == "__main__":
    for text in run():
        print(text, flush=True)
