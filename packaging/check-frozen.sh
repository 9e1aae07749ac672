#!/bin/sh
# Run the frozen app the way a clinic would on its first day: version, a demo database,
# a PDF summary. Fails (non-zero) if any step fails or the PDF is not a PDF.
set -eu
app="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$app" --version
# the Spanish window needs the app's catalogue and Qt's own (standard buttons)
for qm in mbctracker_es.qm qtbase_es.qm; do
  find "$(dirname "$app")" -name "$qm" | grep -q . || { echo "frozen app lacks $qm" >&2; exit 1; }
done
"$app" demo --db "$work/demo.sqlite3" --patients 3 --seed 1
"$app" report --db "$work/demo.sqlite3" --all-active --out-dir "$work/reports"
count=$(find "$work/reports" -name '*.pdf' | wc -l)
[ "$count" -ge 1 ] || { echo "frozen report wrote no PDF" >&2; exit 1; }
for pdf in "$work"/reports/*.pdf; do
  head -c 5 "$pdf" | grep -q '%PDF-' || { echo "$pdf is not a PDF" >&2; exit 1; }
done
"$app" outcomes --db "$work/demo.sqlite3" --json "$work/outcomes.json" --pdf "$work/outcomes.pdf"
grep -q '"definitions_version"' "$work/outcomes.json" || { echo "frozen outcomes wrote no JSON" >&2; exit 1; }
echo "frozen app OK: $count PDF(s) written, outcomes run"
