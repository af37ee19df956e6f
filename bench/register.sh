#!/usr/bin/env bash
# What the register's changes cost the reports: `report double-clear --by
# town` and `report progress --step month` on BIG households (default
# 1,000,000) with EVENTS returns to poverty (default 50,000), paired against
# the same commands on the same households without them.
#
#   bench/register.sh
#
# Environment: OUT (work folder, default bench/out, gitignored), ROUNDS
# (default 7), BIG, EVENTS, BASELINE (another fupin binary: its time on the
# households without events is the "without" side), BASELINE_DB (the file
# BASELINE reads, when it cannot open today's schema: the same households,
# imported by it). Prints the medians of
# the per-pair ratios of wall and CPU time (with ÷ without), as
# bench/reports.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
ROUNDS=${ROUNDS:-7}
BIG=${BIG:-1000000}
EVENTS=${EVENTS:-50000}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell" >&2; exit 1; }
command -v bc >/dev/null || { echo "bench: needs bc" >&2; exit 1; }

cargo build --release --quiet --bin fupin --example gen_county
FUPIN=$ROOT/target/release/fupin
GEN=$ROOT/target/release/examples/gen_county

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "fupin $(git rev-parse --short HEAD)"

DATA=$OUT/county-$BIG-451122
[ -f "$DATA/households.csv" ] || "$GEN" --households "$BIG" --code 451122 --out "$DATA" >/dev/null 2>&1
PLAIN=$OUT/register-plain-$BIG.db
STEPS=$OUT/register-steps-$BIG-$EVENTS.db
if [ ! -f "$PLAIN" ]; then
    "$FUPIN" --db "$PLAIN" init --county 钟山县 --code 451122 >/dev/null 2>&1
    "$FUPIN" --db "$PLAIN" import "$DATA" --quiet >/dev/null
    sqlite3 "$PLAIN" "DELETE FROM household_events"
fi
if [ ! -f "$STEPS" ]; then
    cp "$PLAIN" "$STEPS"
    # Households spread over every village return 200 days after their lift.
    sqlite3 "$STEPS" "INSERT INTO household_events (household, event, date, cause)
        SELECT code, 'returned', date(lifted_on, '+200 days'), 'illness' FROM households
         WHERE lifted_on IS NOT NULL AND id % 17 = 0 LIMIT $EVENTS"
fi
echo "households: $(sqlite3 "$PLAIN" 'SELECT count(*) FROM households'), events: $(sqlite3 "$STEPS" 'SELECT count(*) FROM household_events') against $(sqlite3 "$PLAIN" 'SELECT count(*) FROM household_events')"

paired() { # LABEL -- A... -- B...
    local label=$1; shift; shift
    local a=() b=()
    while [ "$1" != "--" ]; do a+=("$1"); shift; done
    shift; b=("$@")
    local walls=() cpus=() was=() wbs=()
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %U %S' -o "$OUT/a.txt" "${a[@]}" >/dev/null
        /usr/bin/time -f '%e %U %S' -o "$OUT/b.txt" "${b[@]}" >/dev/null
        read -r wa ua sa <"$OUT/a.txt"; read -r wb ub sb <"$OUT/b.txt"
        was+=("$wa"); wbs+=("$wb")
        walls+=("$(echo "scale=3; $wa / $wb" | bc)")
        cpus+=("$(echo "scale=3; ($ua + $sa) / ($ub + $sb)" | bc)")
    done
    local mid=$(( (ROUNDS + 1) / 2 ))
    printf '%-44s with %ss, without %ss: wall ratio %s, cpu ratio %s (medians of %d pairs)\n' "$label" \
        "$(printf '%s\n' "${was[@]}" | sort -n | sed -n "${mid}p")" \
        "$(printf '%s\n' "${wbs[@]}" | sort -n | sed -n "${mid}p")" \
        "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
        "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")" "$ROUNDS"
}

BEFORE=${BASELINE:-$FUPIN}
BEFORE_DB=${BASELINE_DB:-$PLAIN}
[ -n "${BASELINE:-}" ] && echo "without: $BASELINE"
for by in town village; do
    paired "double-clear --by $by" \
        -- "$FUPIN" --db "$STEPS" report double-clear --as-of 2019-12-31 --by "$by" --format json \
        -- "$BEFORE" --db "$BEFORE_DB" report double-clear --as-of 2019-12-31 --by "$by" --format json
done
paired "progress --step month" \
    -- "$FUPIN" --db "$STEPS" report progress --from 2014-01-01 --to 2020-12-31 --step month --format json \
    -- "$BEFORE" --db "$BEFORE_DB" report progress --from 2014-01-01 --to 2020-12-31 --step month --format json
