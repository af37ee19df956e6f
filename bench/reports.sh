#!/usr/bin/env bash
# Times the prefecture roll-up and the progress report.
#
#   bench/reports.sh
#
#   - roll-up: COUNTIES county files of PER households each (default 100
#     and 15,000), `report double-clear --db-dir DIR --by county` and
#     `--by town`, teams and dispatch;
#   - progress: one county of BIG households (default 1,000,000),
#     `report progress --step month` over 2014–2020 (84 periods), by county
#     and by town, against `report double-clear` on the same file.
#
# Environment: OUT (work folder, default bench/out, gitignored), ROUNDS
# (default 5), COUNTIES, PER, BIG. Times are GNU time's wall clock; the
# median and the extremes of the rounds are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
ROUNDS=${ROUNDS:-5}
COUNTIES=${COUNTIES:-100}
PER=${PER:-15000}
BIG=${BIG:-1000000}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell" >&2; exit 1; }
command -v bc >/dev/null || { echo "bench: needs bc" >&2; exit 1; }

cargo build --release --quiet --bin fupin --example gen_county
FUPIN=$ROOT/target/release/fupin
GEN=$ROOT/target/release/examples/gen_county

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "fupin $(git rev-parse --short HEAD)"

county() { # N CODE DB
    local data=$OUT/county-$1-$2
    [ -f "$data/households.csv" ] || "$GEN" --households "$1" --code "$2" --out "$data" >/dev/null 2>&1
    if [ ! -f "$3" ]; then
        "$FUPIN" --db "$3" init --county "县$2" --code "$2" >/dev/null 2>&1
        "$FUPIN" --db "$3" import "$data" --quiet >/dev/null
    fi
}

# Median, minimum and maximum wall time of ROUNDS runs of a command.
timed() { # LABEL CMD...
    local label=$1; shift
    local times=()
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null
        times+=("$(cut -d' ' -f1 "$OUT/time.txt")")
    done
    local rss; rss=$(cut -d' ' -f2 "$OUT/time.txt")
    printf '%-58s median %ss  (min %ss, max %ss)  peak RSS %d MiB\n' "$label" \
        "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")" \
        "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" \
        "$((rss / 1024))"
}

# Two commands in turn, ROUNDS pairs: the median of the per-pair ratios of
# wall and of CPU time (user + system), steadier than absolute times on a
# shared machine.
paired() { # LABEL -- A... -- B...
    local label=$1; shift; shift
    local a=() b=()
    while [ "$1" != "--" ]; do a+=("$1"); shift; done
    shift; b=("$@")
    local walls=() cpus=()
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %U %S' -o "$OUT/a.txt" "${a[@]}" >/dev/null
        /usr/bin/time -f '%e %U %S' -o "$OUT/b.txt" "${b[@]}" >/dev/null
        read -r wa ua sa <"$OUT/a.txt"; read -r wb ub sb <"$OUT/b.txt"
        walls+=("$(echo "scale=3; $wa / $wb" | bc)")
        cpus+=("$(echo "scale=3; ($ua + $sa) / ($ub + $sb)" | bc)")
    done
    printf '%-58s wall ratio %s  cpu ratio %s (medians of %d pairs)\n' "$label" \
        "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")" \
        "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")" "$ROUNDS"
}

# The roll-up: one county generated and imported, copied under other
# division codes (a county file per code, as a city office receives them).
DIR=$OUT/prefecture-$COUNTIES-$PER
if [ ! -f "$DIR/.complete" ]; then
    rm -rf "$DIR" && mkdir -p "$DIR"
    county "$PER" 451100 "$OUT/seed-$PER.db"
    for i in $(seq 1 "$COUNTIES"); do
        code=$((450000 + i))
        cp "$OUT/seed-$PER.db" "$DIR/$code.db"
        sqlite3 "$DIR/$code.db" "UPDATE county SET code = '$code', name = '县$code'" 
    done
    touch "$DIR/.complete"
fi
echo "roll-up: $COUNTIES files of $PER households"
timed "double-clear --by county" "$FUPIN" report double-clear --db-dir "$DIR" --as-of 2019-12-31 --by county
timed "double-clear --by town" "$FUPIN" report double-clear --db-dir "$DIR" --as-of 2019-12-31 --by town
timed "teams --by county" "$FUPIN" report teams --db-dir "$DIR" --as-of 2019-12-31 --by county
timed "dispatch" "$FUPIN" report dispatch --db-dir "$DIR" --period 202003B
timed "double-clear --format xlsx (one file, 1 county)" "$FUPIN" --db "$DIR/450001.db" report double-clear --as-of 2019-12-31 --format xlsx -o "$OUT/one.xlsx"

# Progress on a province-sized county.
BIGDB=$OUT/progress-$BIG.db
county "$BIG" 451122 "$BIGDB"
echo "progress: $BIG households"
timed "double-clear --by county (one date, for scale)" "$FUPIN" --db "$BIGDB" report double-clear --as-of 2019-12-31 --by county
timed "progress --step year (7 periods)" "$FUPIN" --db "$BIGDB" report progress --from 2014-01-01 --to 2020-12-31 --step year --format json
timed "progress --step month (84 periods)" "$FUPIN" --db "$BIGDB" report progress --from 2014-01-01 --to 2020-12-31 --step month --format json
timed "progress --step month --by town" "$FUPIN" --db "$BIGDB" report progress --from 2014-01-01 --to 2020-12-31 --step month --by town --format json
paired "progress --step month ÷ double-clear (one date)" -- "$FUPIN" --db "$BIGDB" report progress --from 2014-01-01 --to 2020-12-31 --step month --format json -- "$FUPIN" --db "$BIGDB" report double-clear --as-of 2019-12-31 --by county --format json
timed "progress --step month, html with the chart" "$FUPIN" --db "$BIGDB" report progress --from 2014-01-01 --to 2020-12-31 --step month --format html
