#!/usr/bin/env bash
# The people of households, timed side by side:
#
#  R  the national register's person-level export (one row per member, the
#     household's columns repeated; examples/to_register.rs writes it from a
#     generated county) imported into a file holding the county's villages
#     and cadres: households and people in one pass — against A'', the
#     sqlite3 shell's `.import` of the same file into a plain table keyed by
#     the person code;
#  X  the bundled example county imported whole (README's main command), with
#     its 59,123 people and without them (W), in alternating rounds.
#
#   bench/people.sh [HOUSEHOLDS]     default: 265000 (about a million people)
#
# Environment: PAIRS (alternating rounds, default 3), OUT (default bench/out).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
PAIRS=${PAIRS:-3}
N=${1:-265000}
mkdir -p "$OUT"

command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

cargo build --release --quiet --examples
FUPIN=$ROOT/target/release/fupin

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/Mem:/ {print $2}') RAM"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); fupin $(git rev-parse --short HEAD)"

DIR=$OUT/county-$N
[ -f "$DIR/people.csv" ] || { rm -rf "$DIR"; "$ROOT/target/release/examples/gen_county" --households "$N" --out "$DIR" >/dev/null 2>&1; }
REGISTER=$OUT/register-$N.csv
[ -f "$REGISTER" ] || "$ROOT/target/release/examples/to_register" "$DIR" "$REGISTER" 2>/dev/null
PEOPLE=$(($(wc -l <"$REGISTER") - 1))
BASE=$OUT/register-base-$N.db
OTHERS=$OUT/others-$N
rm -rf "$OTHERS" && mkdir -p "$OTHERS"
for f in cadres zones towns villages; do cp "$DIR/$f.csv" "$OTHERS/"; done
rm -f "$BASE"
"$FUPIN" --db "$BASE" init --county 钟山县 --code 451122 2>/dev/null
"$FUPIN" --db "$BASE" import "$OTHERS" --quiet >/dev/null
# The register's columns, the person code the key.
COLUMNS=$(head -1 "$REGISTER" | tr -d '"' | awk -F, '{for (i = 1; i <= NF; i++) printf "%s\"%s\"%s", (i > 1 ? ", " : ""), $i, ($i == "人编号" ? " PRIMARY KEY" : "")}')

A=() R=() MR=()
for i in $(seq "$PAIRS"); do
    rm -f "$OUT/a.db"
    sqlite3 "$OUT/a.db" "CREATE TABLE people($COLUMNS);"
    read -r t _ < <(measure sqlite3 "$OUT/a.db" ".import --csv --skip 1 $REGISTER people")
    A+=("$t")
    cp "$BASE" "$OUT/r.db"
    read -r t m < <(measure "$FUPIN" --db "$OUT/r.db" import "$REGISTER" --quiet)
    R+=("$t") MR+=("$m")
    echo "register $PEOPLE people round $i: A'' ${A[-1]} s, R ${R[-1]} s (${MR[-1]} KiB)"
done
ratio=$(printf '%s\n' "${A[@]}" | paste - <(printf '%s\n' "${R[@]}") | awk '{print $2/$1}' | median)
echo "register $PEOPLE people median: A'' $(printf '%s\n' "${A[@]}" | median) s, R $(printf '%s\n' "${R[@]}" | median) s; R/A'' $ratio (median of paired ratios); peak RSS R $(($(printf '%s\n' "${MR[@]}" | sort -g | tail -1) / 1024)) MiB"
rm -f "$OUT/a.db" "$OUT/r.db"

# X and W: the example county with and without its people.
WITHOUT=$OUT/example-without-people
rm -rf "$WITHOUT" && mkdir -p "$WITHOUT"
cp "$ROOT"/examples/zhongshan/*.csv "$WITHOUT/" && rm "$WITHOUT/people.csv"
example() { # DIR: init and import the folder
    rm -f "$OUT/x.db"
    "$FUPIN" --db "$OUT/x.db" init --county 钟山县 --code 451122 2>/dev/null
    "$FUPIN" --db "$OUT/x.db" import "$1" --quiet
}
X=() W=()
for i in $(seq "$PAIRS"); do
    read -r t _ < <(measure bash -c "$(declare -f example); OUT=$OUT FUPIN=$FUPIN example $WITHOUT")
    W+=("$t")
    read -r t _ < <(measure bash -c "$(declare -f example); OUT=$OUT FUPIN=$FUPIN example $ROOT/examples/zhongshan")
    X+=("$t")
done
echo "example county import: without people $(printf '%s\n' "${W[@]}" | median) s, with $(printf '%s\n' "${X[@]}" | median) s (medians)"
rm -f "$OUT/x.db"
