#!/usr/bin/env bash
# Times `fupin import` of a county's households.csv against the sqlite3
# shell's `.import` of the same file into a plain table keyed by code.
#
#   bench/run.sh [N ...]        default: 100000 1000000
#
# Environment: PAIRS (alternating A/B/C rounds, default 3), OUT (work folder,
# default bench/out, gitignored), GEN (a gen_county binary to use instead of
# `cargo run --release --example gen_county`), BASELINE (a second fupin
# binary, e.g. an older release, timed in the same rounds as B0/C0 against
# its own base file).
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

# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

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
    # Each binary gets a base file made by itself (the file records the
    # journal mode it was made with).
    make_base() { # FUPIN BASE
        rm -f "$2"
        "$1" --db "$2" init --county 钟山县 --code 451122 2>/dev/null
        "$1" --db "$2" import "$OTHERS" --quiet >/dev/null
    }
    BASE=$OUT/base-$N.db
    make_base "$FUPIN" "$BASE"
    if [ -n "${BASELINE:-}" ]; then
        BASE0=$OUT/base0-$N.db
        make_base "$BASELINE" "$BASE0"
    fi

    # B then C (or B0 then C0): a first import into a fresh copy holding the
    # other records, then the same file again, unchanged.
    load() { # FUPIN BASE DB; sets LOAD to (B s, B KiB, C s, C KiB)
        rm -f "$3" "$3-wal" "$3-shm"
        cp "$2" "$3"
        LOAD=()
        read -r t m < <(measure "$1" --db "$3" import "$DATA/households.csv" --quiet)
        LOAD+=("$t" "$m")
        read -r t m < <(measure "$1" --db "$3" import "$DATA/households.csv" --quiet)
        LOAD+=("$t" "$m")
    }

    A=() B=() C=() MB=() MC=() B0=() C0=()
    for i in $(seq "$PAIRS"); do
        # A: the sqlite3 shell, fresh file.
        rm -f "$OUT/a.db"
        sqlite3 "$OUT/a.db" "CREATE TABLE households(code TEXT PRIMARY KEY, village, head_name, id_number, members, attribute, cause, registered_on, lifted_on, helper, phone, note);"
        read -r t _ < <(measure sqlite3 "$OUT/a.db" ".import --csv --skip 1 $DATA/households.csv households")
        A+=("$t")
        # The baseline goes first in every other round.
        if [ -n "${BASELINE:-}" ] && [ $((i % 2)) -eq 0 ]; then
            load "$BASELINE" "$BASE0" "$OUT/b0.db"
            B0+=("${LOAD[0]}") C0+=("${LOAD[2]}")
        fi
        load "$FUPIN" "$BASE" "$OUT/b.db"
        B+=("${LOAD[0]}") MB+=("${LOAD[1]}") C+=("${LOAD[2]}") MC+=("${LOAD[3]}")
        if [ -n "${BASELINE:-}" ] && [ $((i % 2)) -eq 1 ]; then
            load "$BASELINE" "$BASE0" "$OUT/b0.db"
            B0+=("${LOAD[0]}") C0+=("${LOAD[2]}")
        fi
        line="N=$N round $i: A ${A[-1]} s, B ${B[-1]} s (${MB[-1]} KiB), C ${C[-1]} s (${MC[-1]} KiB)"
        [ -n "${BASELINE:-}" ] && line="$line, B0 ${B0[-1]} s, C0 ${C0[-1]} s"
        echo "$line"
    done
    a=$(printf '%s\n' "${A[@]}" | median)
    b=$(printf '%s\n' "${B[@]}" | median)
    c=$(printf '%s\n' "${C[@]}" | median)
    rb=$(printf '%s\n' "${A[@]}" | paste - <(printf '%s\n' "${B[@]}") | awk '{print $2/$1}' | median)
    rc=$(printf '%s\n' "${A[@]}" | paste - <(printf '%s\n' "${C[@]}") | awk '{print $2/$1}' | median)
    mb=$(printf '%s\n' "${MB[@]}" | sort -g | tail -1)
    mc=$(printf '%s\n' "${MC[@]}" | sort -g | tail -1)
    echo "N=$N median: A $a s, B $b s, C $c s; B/A $rb, C/A $rc (medians of paired ratios); peak RSS B $((mb / 1024)) MiB, C $((mc / 1024)) MiB"
    if [ -n "${BASELINE:-}" ]; then
        ratio() { paste <(printf '%s\n' "${!1}") <(printf '%s\n' "${!2}") | awk '{print $1/$2}' | median; }
        echo "N=$N baseline: B0 $(printf '%s\n' "${B0[@]}" | median) s, C0 $(printf '%s\n' "${C0[@]}" | median) s; B0/A $(ratio 'B0[@]' 'A[@]'), C0/A $(ratio 'C0[@]' 'A[@]'); B/B0 $(ratio 'B[@]' 'B0[@]'), C/C0 $(ratio 'C[@]' 'C0[@]') (medians of paired ratios)"
    fi
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
    rm -f "$OUT/a.db" "$OUT"/b.db* "$OUT"/b0.db*
done
