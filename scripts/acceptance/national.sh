#!/usr/bin/env bash
# Acceptance check of the national commands (docs/national.md), end to end on the demo: the two demo
# associations export, a second, empty installation takes the exports in and rolls them up; a changed export
# is refused. Runs in fresh temporary data dirs; needs finsam installed (./scripts/demo or ./scripts/test did).
set -euo pipefail
cd "$(dirname "$0")/../.."
finsam=${FINSAM:-.venv/bin/finsam}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FINSAM_ENV=dev
unset DATABASE_URL

FINSAM_DATA_DIR=$work/association "$finsam" demo --no-serve >/dev/null
for slug in finnveden sodra-vatterbygden; do
  FINSAM_DATA_DIR=$work/association "$finsam" report national-export --association "$slug" \
    --date 2023-12-31 --format json --output "$work/$slug.json"
done

export FINSAM_DATA_DIR=$work/national
"$finsam" national import "$work/finnveden.json" "$work/sodra-vatterbygden.json" | tee "$work/import.txt"
grep -q "fingeravtryck" "$work/import.txt"
"$finsam" national import "$work/finnveden.json" | grep -q "redan mottagen"

sed 's/"women": \([0-9]\+\)/"women": 1\1/' "$work/finnveden.json" >"$work/changed.json"
if "$finsam" national import "$work/changed.json" 2>"$work/refused.txt"; then
  echo "a changed export was taken in" >&2
  exit 1
fi
grep -q "signaturen stämmer inte" "$work/refused.txt"

"$finsam" national report --date 2023-12-31 --format json >"$work/national.json"
python3 - "$work" <<'PY'
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
national = json.loads((work / "national.json").read_text())
exports = [json.loads((work / f"{slug}.json").read_text()) for slug in ("finnveden", "sodra-vatterbygden")]
values = [e["total"]["participants"]["exited"]["total"] for e in exports]
expected = {"known": sum(v for v in values if v is not None), "hidden": sum(v is None for v in values)}
assert national["national"]["counts"]["exited.total"] == expected, (national["national"]["counts"], expected)
assert [a["name"] for a in national["associations"]] == sorted(e["association"]["name"] for e in exports)
PY
for fmt in xlsx pdf html; do
  "$finsam" national report --date 2023-12-31 --format "$fmt" --output "$work/nationellt.$fmt" 2>/dev/null
  test -s "$work/nationellt.$fmt"
done
echo "national: ok"
