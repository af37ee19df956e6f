#!/usr/bin/env bash
# Times `fupin import` of a county's households.csv against the sqlite3
# shell's `.import` of the same file into a plain table keyed by code.
#
#   bench/run.sh [N ...]        default: 100000 1000000
#
# Environment: PAIRS (alternating A/B/C rounds, default 3), OUT (work folder,
# default bench/out, gitignored), GEN (a gen_county binary to use instead of
# `cargo run --release --example gen_county`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
PAIRS=${PAIRS:-3}
SIZES=("${@:-100000 1000000}")
read -r -a SIZES <<<"${SIZES[*]}"
mkdir -p "$OUT"

command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time) for peak memory" >&2; exit 1; }

cargo build --release --quiet
FUPIN=$ROOT/target/release/fupin

gen() { # N DIR
    if [ -n "${GEN:-}" ]; then
        "$GEN" --households "$1" --out "$2"
    else
        cargo run --release --quiet --example gen_county -- --households "$1" --out "$2"
    fi
}

# Runs a command, prints "seconds peak_kib".
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>>"$OUT/stderr.log"
    cat "$log"
    rm -f "$log"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); fupin $(git rev-parse --short HEAD)"

for N in "${SIZES[@]}"; do
    DATA=$OUT/county-$N
    if [ ! -f "$DATA/households.csv" ]; then
        rm -rf "$DATA"
        gen "$N" "$DATA" >/dev/null 2>&1
    fi
    # Everything the households refer to, imported once outside the timing.
    OTHERS=$OUT/others-$N
    rm -rf "$OTHERS" && mkdir -p "$OTHERS"
    for f in cadres zones towns villages tasks posts dispatches promotions; do
        cp "$DATA/$f.csv" "$OTHERS/"
    done
    BASE=$OUT/base-$N.db
    rm -f "$BASE"
    "$FUPIN" --db "$BASE" init --county 钟山县 --code 451122 2>/dev/null
    "$FUPIN" --db "$BASE" import "$OTHERS" --quiet >/dev/null

    A=() B=() C=() MB=() MC=()
    for i in $(seq "$PAIRS"); do
        # A: the sqlite3 shell, fresh file.
        rm -f "$OUT/a.db"
        sqlite3 "$OUT/a.db" "CREATE TABLE households(code TEXT PRIMARY KEY, village, head_name, id_number, members, attribute, cause, registered_on, lifted_on, helper, phone, note);"
        read -r t _ < <(measure sqlite3 "$OUT/a.db" ".import --csv --skip 1 $DATA/households.csv households")
        A+=("$t")
        # B: fupin into a fresh copy holding the other records.
        cp "$BASE" "$OUT/b.db"
        read -r t m < <(measure "$FUPIN" --db "$OUT/b.db" import "$DATA/households.csv" --quiet)
        B+=("$t") MB+=("$m")
        # C: the same file again, unchanged.
        read -r t m < <(measure "$FUPIN" --db "$OUT/b.db" import "$DATA/households.csv" --quiet)
        C+=("$t") MC+=("$m")
        echo "N=$N round $i: A ${A[-1]} s, B ${B[-1]} s (${MB[-1]} KiB), C ${C[-1]} s (${MC[-1]} KiB)"
    done
    a=$(printf '%s\n' "${A[@]}" | median)
    b=$(printf '%s\n' "${B[@]}" | median)
    c=$(printf '%s\n' "${C[@]}" | median)
    rb=$(printf '%s\n' "${A[@]}" | paste - <(printf '%s\n' "${B[@]}") | awk '{print $2/$1}' | median)
    rc=$(printf '%s\n' "${A[@]}" | paste - <(printf '%s\n' "${C[@]}") | awk '{print $2/$1}' | median)
    mb=$(printf '%s\n' "${MB[@]}" | sort -g | tail -1)
    mc=$(printf '%s\n' "${MC[@]}" | sort -g | tail -1)
    echo "N=$N median: A $a s, B $b s, C $c s; B/A $rb, C/A $rc (medians of paired ratios); peak RSS B $((mb / 1024)) MiB, C $((mc / 1024)) MiB"
    # Reports on the imported file (SPEC §6: each under 200 ms).
    for r in "double-clear --as-of 2019-12-31 --by county" "double-clear --as-of 2019-12-31 --by village" \
        "dispatch --period 2020-03" "teams --as-of 2020-12-31" "tasks --as-of 2020-06-30"; do
        T=()
        for i in $(seq "$PAIRS"); do
            # shellcheck disable=SC2086 # the report and its flags are words
            read -r t _ < <(measure "$FUPIN" --db "$OUT/b.db" report $r --format json)
            T+=("$t")
        done
        echo "N=$N report $r: median $(printf '%s\n' "${T[@]}" | median) s"
    done
    rm -f "$OUT/a.db" "$OUT/b.db"
done
