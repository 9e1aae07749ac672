"""Run every benchmark module present and print its figures."""

from __future__ import annotations

import importlib
import sys

MODULES = (
    "bench_scale",
    "bench_report",
    "bench_fhir",
    "bench_interchange",
    "bench_outcomes",
    "bench_server",
)


def main() -> int:
    for name in MODULES:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"[{name}] not available: {exc}")
            continue
        print(f"[{name}]", flush=True)
        for line in module.run():
            print(f"  {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
