"""FHIR figures: export of the whole demo record (Bundle and NDJSON) and an import batch.

Each export runs as the real command in a child process, so the figure includes
start-up and the child's own CPU time and peak memory (streamed: it should stay
flat whatever the clinic's size). The import figure is a 500-response portal
batch into a copy of the 200-patient demo.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import demo_db

MRN_SYSTEM = "urn:mbctracker:mrn"


def run(patients: int = 22481) -> list[str]:
    path = demo_db(patients, seed=7) if patients == 22481 else demo_db(patients)
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt, out in (("fhir", "bundle.json"), ("ndjson", "bulk")):
            target = Path(folder) / out
            lines.append(_export(path, fmt, target, patients))
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        lines.append(_import(Path(folder)))
    return lines


def _export(path: Path, fmt: str, target: Path, patients: int) -> str:
    command = [sys.executable, "-m", "mbctracker", "--db", str(path), "export"]
    command += ["--format", fmt, "--out", str(target)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        return f"export --format {fmt}: failed: {done.stderr.strip()[-200:]}"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    size = (
        sum(f.stat().st_size for f in target.rglob("*"))
        if target.is_dir()
        else target.stat().st_size
    )
    return (
        f"export --format {fmt}, {patients} patients: {wall:.0f} s wall, {cpu:.0f} s CPU, "
        f"peak memory {after.ru_maxrss / 1024:.0f} MB (largest child so far), "
        f"{size / 2**20:.0f} MB written; {done.stdout.strip().splitlines()[-1]}"
    )


def _import(folder: Path) -> str:
    from mbctracker.services.courses import active_course_ids
    from mbctracker.services.fhir.importer import import_document
    from mbctracker.services.timeline import load_timeline
    from mbctracker.storage import open_database

    copy = folder / "import.sqlite3"
    shutil.copy(demo_db(200), copy)
    db = open_database(copy, actor="bench")
    try:
        mrns = [load_timeline(db, c).patient.mrn for c in active_course_ids(db)][:100]
        batch = _batch(mrns, per_patient=5)
        start = time.perf_counter()
        result = import_document(db, json.loads(json.dumps(batch)), mrn_system=MRN_SYSTEM)
        wall = time.perf_counter() - start
    finally:
        db.dispose()
    saved = len(result.saved)
    return f"import of {saved} PHQ-9 QuestionnaireResponses (one transaction): {wall:.1f} s"


def _batch(mrns: list[str], per_patient: int) -> dict[str, object]:
    codes = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
    links = (
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    )
    entries = []
    for n, mrn in enumerate(mrns):
        for k in range(per_patient):
            items = [
                {
                    "linkId": link,
                    "answer": [
                        {
                            "valueCoding": {
                                "system": "http://loinc.org",
                                "code": codes[(n + k + i) % 4],
                            }
                        }
                    ],
                }
                for i, link in enumerate(links)
            ]
            entries.append(
                {
                    "resource": {
                        "resourceType": "QuestionnaireResponse",
                        "id": f"bench-{n}-{k}",
                        "questionnaire": "http://loinc.org/q/44249-1",
                        "status": "completed",
                        "subject": {"identifier": {"system": MRN_SYSTEM, "value": mrn}},
                        "authored": f"2026-10-{1 + k:02d}T08:{n % 60:02d}:00+00:00",
                        "item": items,
                    }
                }
            )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
