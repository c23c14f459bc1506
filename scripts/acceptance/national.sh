#!/usr/bin/env bash
# Acceptance check of the national commands (docs/national.md), end to end on the demo: the two demo
# associations export (schema v2, each validated against it), a second, empty installation takes the exports
# in, and an export of schema v1 from an association on an older finsam; a changed export is refused; the
# roll-up's participant and outcome figures are the sums of what each export published, by orientation from
# the classification. Runs in fresh temporary data dirs; needs finsam installed (./scripts/demo or
# ./scripts/test did).
set -euo pipefail
cd "$(dirname "$0")/../.."
finsam=${FINSAM:-.venv/bin/finsam}
python=$(dirname "$finsam")/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FINSAM_ENV=dev
unset DATABASE_URL
older=src/finsam/national/tests/data/export-v1-exempeldalen.json

FINSAM_DATA_DIR=$work/association "$finsam" demo --no-serve >/dev/null
for slug in finnveden sodra-vatterbygden; do
  FINSAM_DATA_DIR=$work/association "$finsam" report national-export --association "$slug" \
    --date 2023-12-31 --format json --output "$work/$slug.json"
done

export FINSAM_DATA_DIR=$work/national
"$finsam" national import "$work/finnveden.json" "$work/sodra-vatterbygden.json" "$older" | tee "$work/import.txt"
test "$(grep -c "nyckelns fingeravtryck" "$work/import.txt")" -eq 3
"$finsam" national import "$work/finnveden.json" | grep -q "redan mottagen"

sed 's/"women": \([0-9]\+\)/"women": 1\1/' "$work/finnveden.json" >"$work/changed.json"
if "$finsam" national import "$work/changed.json" 2>"$work/refused.txt"; then
  echo "a changed export was taken in" >&2
  exit 1
fi
grep -q "signaturen stämmer inte" "$work/refused.txt"

"$finsam" national report --date 2023-12-31 --format json >"$work/national.json"
"$python" - "$work" "$older" <<'PY'
import json, sys
from pathlib import Path
from jsonschema import Draft202012Validator

work, older = Path(sys.argv[1]), Path(sys.argv[2])
schemas = Path("src/finsam/national/schema")
national = json.loads((work / "national.json").read_text())
exports = [json.loads((work / f"{slug}.json").read_text()) for slug in ("finnveden", "sodra-vatterbygden")]
v1 = json.loads(older.read_text())
for export, schema in [*((e, "export-v2.json") for e in exports), (v1, "export-v1.json")]:
    Draft202012Validator(json.loads((schemas / schema).read_text())).validate(export)
assert {e["schema"] for e in exports} == {"finsam-national-export-v2"} and v1["schema"].endswith("-v1")


def expected(values):
    return {"known": sum(v for v in values if v is not None), "hidden": sum(v is None for v in values)}


exited = [e["total"]["participants"]["exited"]["total"] for e in [*exports, v1]]
assert national["national"]["counts"]["exited.total"] == expected(exited), national["national"]["counts"]
names = sorted(e["association"]["name"] for e in [*exports, v1])
assert [a["name"] for a in national["associations"]] == names
for key, path in [
    ("exited.total", ("exited", "total")),
    ("employment.after.total", ("employment", "after", "total")),
    ("work_or_studies.exited_to.total", ("work_or_studies", "exited_to", "total")),
    ("years_on_support.known.total", ("years_on_support", "known", "total")),
]:
    values = []
    for e in exports:
        value = e["total"]["outcomes"]
        for part in path:
            value = value[part]
        values.append(value)
    assert national["national"]["outcomes"][key] == expected(values), (key, national["national"]["outcomes"])
assert national["without_outcomes"] == [v1["association"]["name"]]
finnveden = exports[0]["total"]["outcomes"]
assert finnveden["exited"]["total"] == 31 and finnveden["years_on_support"]["mean"]["total"] == "5.4"  # seed 001
structural = [
    i["volume"]["total"] for e in exports for i in e["interventions"]
    if i["classification"]["orientation"] == "structural" and i["volume"] is not None
]
orientations = {o["name"]: o for o in national["orientations"]}
assert orientations["Strukturinriktade"]["counts"]["volume.total"] == expected(structural)
assert any(p["name"].endswith("ej angiven") for p in national["precise_orientations"])  # the v1 export's
PY
for fmt in xlsx pdf html; do
  "$finsam" national report --date 2023-12-31 --format "$fmt" --output "$work/nationellt.$fmt" 2>/dev/null
  test -s "$work/nationellt.$fmt"
done
grep -q "Utfall per förbund" "$work/nationellt.html"
echo "national: ok"
