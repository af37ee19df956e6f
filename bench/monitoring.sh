#!/usr/bin/env bash
# Times `report monitoring` on a province-sized file: BIG households
# (default 1,000,000) and the monitoring ledger gen_county writes beside
# them (about 2 % of households: some 20,000 monitored households).
#
#   bench/monitoring.sh
#
# The county is generated and imported once (its people left out: the
# report does not read them) into OUT (default bench/out, gitignored).
# Environment: OUT, ROUNDS (default 7), BIG. Times are GNU time's wall
# clock; the median and the extremes of the rounds are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
ROUNDS=${ROUNDS:-7}
BIG=${BIG:-1000000}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }

cargo build --release --quiet --bin fupin --example gen_county
FUPIN=$ROOT/target/release/fupin
GEN=$ROOT/target/release/examples/gen_county

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "fupin $(git rev-parse --short HEAD)"

DATA=$OUT/monitoring-$BIG
DB=$OUT/monitoring-$BIG.db
if [ ! -f "$DATA/monitoring.csv" ]; then
    rm -rf "$DATA"
    "$GEN" --households "$BIG" --out "$DATA" >/dev/null
    rm -f "$DATA/people.csv"
fi
if [ ! -f "$DB" ]; then
    "$FUPIN" --db "$DB" init --county 县 --code 451122 >/dev/null 2>&1
    "$FUPIN" --db "$DB" import "$DATA" --quiet >/dev/null
fi
"$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by county --format json >"$OUT/monitoring.json"
echo "file: $BIG households, $(($(wc -l <"$DATA/monitoring.csv") - 1)) monitoring records," \
     "$(grep -m1 '"households_monitored"' "$OUT/monitoring.json" | tr -dc 0-9) under monitoring on 2022-12-31"

timed() { # LABEL CMD...
    local label=$1; shift
    local times=()
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null
        times+=("$(cut -d' ' -f1 "$OUT/time.txt")")
    done
    local rss; rss=$(cut -d' ' -f2 "$OUT/time.txt")
    printf '%-52s median %ss  (min %ss, max %ss)  peak RSS %d MiB\n' "$label" \
        "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")" \
        "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" \
        "$((rss / 1024))"
}

timed "monitoring --by county (json)" "$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by county --format json
timed "monitoring --by town (table)" "$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by town
timed "monitoring --by village (json, 7,100+ rows)" "$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by village --format json
timed "monitoring --by town --format html" "$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by town --format html
timed "monitoring --by town --format xlsx" "$FUPIN" --db "$DB" report monitoring --as-of 2022-12 --by town --format xlsx -o "$OUT/monitoring.xlsx"
timed "fupin --version (process start, for scale)" "$FUPIN" --version
