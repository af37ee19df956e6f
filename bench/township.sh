#!/usr/bin/env bash
# Files as townships send them, timed side by side:
#
#  D  a township's own file — Chinese headers and labels, GB18030, as
#     `fupin --lang zh export households --encoding gb18030` writes it —
#     re-imported unchanged, against the sqlite3 shell's `.import` of the
#     same file into a plain table keyed by code (A');
#  E  a township's ledger workbook (.xlsx: title, 序号, Chinese headers,
#     typed cells, 合计 row) imported into a file holding its villages and
#     cadres, against pandas.read_excel (openpyxl) only reading it (P).
#
#   bench/township.sh [HOUSEHOLDS_CSV HOUSEHOLDS_XLSX]   default: 300000 100000
#
# Environment: PAIRS (alternating rounds, default 3), OUT (default bench/out).
# E needs python3 with pandas and openpyxl; without them it is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
PAIRS=${PAIRS:-3}
N_CSV=${1:-300000}
N_XLSX=${2:-100000}
mkdir -p "$OUT"

command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }

cargo build --release --quiet --examples
FUPIN=$ROOT/target/release/fupin
GEN=$ROOT/target/release/examples/gen_county
LEDGER=$ROOT/target/release/examples/csv_to_ledger

# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
ratios() { paste <(printf '%s\n' "$@" | head -n "$PAIRS") <(printf '%s\n' "$@" | tail -n "$PAIRS") | awk '{print $2/$1}' | median; }

county() { # N: the county's CSV files, generated once
    local dir=$OUT/county-$1
    [ -f "$dir/households.csv" ] || { rm -rf "$dir"; "$GEN" --households "$1" --out "$dir" >/dev/null 2>&1; }
    echo "$dir"
}

base() { # N DB: a file with everything households refer to
    local dir others
    dir=$(county "$1")
    others=$OUT/others-$1
    rm -rf "$others" && mkdir -p "$others"
    for f in cadres zones towns villages; do cp "$dir/$f.csv" "$others/"; done
    rm -f "$2"
    "$FUPIN" --db "$2" init --county 钟山县 --code 451122 2>/dev/null
    "$FUPIN" --db "$2" import "$others" --quiet >/dev/null
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); fupin $(git rev-parse --short HEAD)"

# D: the township's own GB18030 file, re-imported unchanged.
DB=$OUT/township-$N_CSV.db
base "$N_CSV" "$DB"
"$FUPIN" --db "$DB" import "$(county "$N_CSV")/households.csv" --quiet >/dev/null
ZH=$OUT/township-$N_CSV.csv
"$FUPIN" --db "$DB" --lang zh export households --encoding gb18030 -o "$ZH" 2>/dev/null
A=() D=() MD=()
for i in $(seq "$PAIRS"); do
    rm -f "$OUT/a.db"
    sqlite3 "$OUT/a.db" "CREATE TABLE households(code TEXT PRIMARY KEY, village, head_name, id_number, members, attribute, cause, registered_on, lifted_on, helper, phone, note);"
    read -r t _ < <(measure sqlite3 "$OUT/a.db" ".import --csv --skip 1 $ZH households")
    A+=("$t")
    read -r t m < <(measure "$FUPIN" --db "$DB" import "$ZH" --quiet)
    D+=("$t") MD+=("$m")
    echo "township N=$N_CSV round $i: A' ${A[-1]} s, D ${D[-1]} s (${MD[-1]} KiB)"
done
echo "township N=$N_CSV median: A' $(printf '%s\n' "${A[@]}" | median) s, D $(printf '%s\n' "${D[@]}" | median) s; D/A' $(ratios "${A[@]}" "${D[@]}") (median of paired ratios); peak RSS D $(($(printf '%s\n' "${MD[@]}" | sort -g | tail -1) / 1024)) MiB"
rm -f "$OUT/a.db"

# E: the ledger workbook, first import, against pandas reading it.
XDB=$OUT/ledger-$N_XLSX.db
XLSX=$OUT/ledger-$N_XLSX.xlsx
[ -f "$XLSX" ] || "$LEDGER" "$(county "$N_XLSX")/households.csv" "$XLSX" 2>/dev/null
base "$N_XLSX" "$XDB"
if python3 -c 'import pandas, openpyxl' 2>/dev/null; then
    P=() E=() ME=() MP=()
    for i in $(seq "$PAIRS"); do
        read -r t m < <(measure python3 -c "import pandas; pandas.read_excel('$XLSX', engine='openpyxl')")
        P+=("$t") MP+=("$m")
        cp "$XDB" "$OUT/e.db"
        read -r t m < <(measure "$FUPIN" --db "$OUT/e.db" import "$XLSX" --quiet)
        E+=("$t") ME+=("$m")
        echo "ledger N=$N_XLSX round $i: P ${P[-1]} s (${MP[-1]} KiB), E ${E[-1]} s (${ME[-1]} KiB)"
    done
    echo "ledger N=$N_XLSX median: P $(printf '%s\n' "${P[@]}" | median) s, E $(printf '%s\n' "${E[@]}" | median) s; E/P $(ratios "${P[@]}" "${E[@]}"); peak RSS E $(($(printf '%s\n' "${ME[@]}" | sort -g | tail -1) / 1024)) MiB, P $(($(printf '%s\n' "${MP[@]}" | sort -g | tail -1) / 1024)) MiB"
    # The same workbook again, every row unchanged.
    read -r t m < <(measure "$FUPIN" --db "$OUT/e.db" import "$XLSX" --quiet)
    echo "ledger N=$N_XLSX re-import unchanged: $t s, $((m / 1024)) MiB"
    rm -f "$OUT/e.db"
else
    echo "ledger: python3 with pandas and openpyxl not found; E skipped (pip install pandas openpyxl)"
fi
