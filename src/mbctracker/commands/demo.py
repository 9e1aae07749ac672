"""``mbctracker demo``: fill a database with synthetic demo courses."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from ..paths import resolve_db
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--patients", type=int, default=200, help="how many patients (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="anchor date YYYY-MM-DD (default: today), for reproducible files",
    )


def run(args: argparse.Namespace) -> int:
    from ..services.demo import generate_demo, non_demo_refusal
    from ..storage import StorageError, open_database

    explicit = getattr(args, "db", None)
    if not explicit:
        print(
            "mbctracker demo: give --db PATH for the demo database (the demo never writes "
            "into the default clinic database). Nothing was written.",
            file=sys.stderr,
        )
        return 2
    path = resolve_db(explicit)
    refusal = None if isinstance(path, str) else non_demo_refusal(path)  # a server: in _insert
    if refusal is not None:
        print(f"mbctracker demo: {refusal}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        db = open_database(path, actor="demo generator")
        try:
            generate_demo(
                db, patients=args.patients, seed=args.seed, today=args.today, progress=_progress
            )
        finally:
            db.dispose()
    except (StorageError, ValueError) as exc:
        print(f"\nmbctracker demo: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"\n{args.patients} synthetic patients written to {path} in {elapsed:.1f} s")
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r  {done}/{total} patients", end="", file=sys.stderr, flush=True)
