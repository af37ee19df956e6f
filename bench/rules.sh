#!/usr/bin/env bash
# What the register check and the exit report cost on BIG households
# (default 1,000,000, about 3.8 million people) with an assessment of 2020
# each: `check --year 2020` with every rule, `report exits` for the year's
# exits and for every lifted household, each paired in turn against the
# sqlite3 shell reading the same rows in the same order (the floor of any
# pass over them), with peak memory.
#
#   bench/rules.sh
#
# Environment: OUT (work folder, default bench/out, gitignored), ROUNDS
# (default 5), BIG. Prints the medians of the per-pair ratios of wall time
# (fupin ÷ sqlite3) and fupin's peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
ROUNDS=${ROUNDS:-5}
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

DATA=$OUT/county-$BIG-451122-assessed
[ -f "$DATA/households.csv" ] || "$GEN" --households "$BIG" --code 451122 --out "$DATA" >/dev/null 2>&1
DB=$OUT/rules-$BIG.db
if [ ! -f "$DB" ]; then
    "$FUPIN" --db "$DB" init --county 钟山县 --code 451122 >/dev/null 2>&1
    "$FUPIN" --db "$DB" import "$DATA" --quiet >/dev/null
    # A county generated before the assessments were: one year per
    # household, meeting the standards once lifted, and the people covered.
    [ -f "$DATA/assessments.csv" ] || sqlite3 "$DB" "DELETE FROM assessments;
        INSERT INTO assessments (household, year, income, wage_income, transfer_income, dibao_paid,
                                 food_secure, clothing_secure, dilapidated, safe_water, electricity)
        SELECT code, 2020,
               CASE WHEN lifted_on <= '2020-12-31' THEN 420000 + abs(random()) % 400000 ELSE 300000 END,
               abs(random()) % 3000000, 50000, CASE WHEN attribute = 'low_income' THEN 120000 END,
               1, 1, 0, 1, 1
          FROM households;
        UPDATE people SET medical_insurance = 1, serious_illness_insurance = 1;"
fi
echo "households: $(sqlite3 "$DB" 'SELECT count(*) FROM households'), people: $(sqlite3 "$DB" 'SELECT count(*) FROM people'), assessments of 2020: $(sqlite3 "$DB" 'SELECT count(*) FROM assessments WHERE year = 2020')"

# The rows a pass reads, in its order, read by the shell.
PEOPLE="SELECT count(*), sum(length(x)) FROM (SELECT p.household||p.code||p.name||p.id_number||p.relation
    ||ifnull(p.gender,'')||ifnull(p.birth_on,'')||ifnull(p.schooling,'')||ifnull(p.health,'')
    ||ifnull(p.labour,'')||ifnull(p.work,'')||ifnull(p.work_months,'')||ifnull(p.medical_insurance,'')
    ||ifnull(p.dibao,'')||ifnull(p.disability_certificate,'') AS x FROM people p
    WHERE (p.joined_on IS NULL OR p.joined_on <= '2020-12-31') AND (p.left_on IS NULL OR p.left_on > '2020-12-31')
    ORDER BY p.household)"
HOUSEHOLDS="SELECT count(*), sum(length(h.code||v.town||t.name||h.village||v.name||h.head_name||h.id_number
    ||h.members||ifnull(h.attribute,'')||ifnull(h.cause,'')||h.registered_on||ifnull(h.lifted_on,'')))
    FROM households h JOIN villages v ON v.code = h.village JOIN towns t ON t.code = v.town
    WHERE h.registered_on <= '2020-12-31' ORDER BY h.code"
YEARS="SELECT count(*), sum(ifnull(income,0)+ifnull(wage_income,0)) FROM assessments WHERE year = 2020"
printf '%s;\n%s;\n%s;\n' "$HOUSEHOLDS" "$PEOPLE" "$YEARS" > "$OUT/rules-floor.sql"
# A year's exits read by index: the households lifted in 2020, their people and year.
# Each read the cheapest way found: the lift dates from the covering index
# households_status, then the rows by rowid.
cat > "$OUT/exits-floor.sql" <<SQL
SELECT count(*), sum(length(h.code||v.town||t.name||h.village||v.name||h.head_name||h.id_number
    ||h.members||ifnull(h.attribute,'')||ifnull(h.cause,'')||h.registered_on||ifnull(h.lifted_on,'')))
    FROM households h JOIN villages v ON v.code = h.village JOIN towns t ON t.code = v.town
    WHERE h.id IN (SELECT id FROM households INDEXED BY households_status WHERE lifted_on BETWEEN '2020-01-01' AND '2020-12-31');
SELECT count(*), sum(length(p.name||ifnull(p.schooling,'')||ifnull(p.medical_insurance,'')))
  FROM households h INDEXED BY households_status JOIN people p ON p.household = h.code
 WHERE h.lifted_on BETWEEN '2020-01-01' AND '2020-12-31';
SELECT count(*), sum(a.income) FROM households h INDEXED BY households_status JOIN assessments a ON a.household = h.code AND a.year = 2020
 WHERE h.lifted_on BETWEEN '2020-01-01' AND '2020-12-31';
SQL

paired() { # LABEL -- A... -- B...
    local label=$1; shift; shift
    local a=() b=()
    while [ "$1" != "--" ]; do a+=("$1"); shift; done
    shift; b=("$@")
    local walls=() was=() wbs=() mems=()
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %M' -o "$OUT/a.txt" "${a[@]}" >/dev/null 2>&1 || true
        /usr/bin/time -f '%e %M' -o "$OUT/b.txt" "${b[@]}" >/dev/null 2>&1 || true
        read -r wa ma <"$OUT/a.txt"; read -r wb _ <"$OUT/b.txt"
        was+=("$wa"); wbs+=("$wb"); mems+=("$ma")
        walls+=("$(echo "scale=3; $wa / $wb" | bc)")
    done
    local mid=$(( (ROUNDS + 1) / 2 ))
    printf '%-36s fupin %ss, sqlite3 %ss: wall ratio %s; fupin peak %s MiB (medians of %d pairs)\n' "$label" \
        "$(printf '%s\n' "${was[@]}" | sort -n | sed -n "${mid}p")" \
        "$(printf '%s\n' "${wbs[@]}" | sort -n | sed -n "${mid}p")" \
        "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
        "$(( $(printf '%s\n' "${mems[@]}" | sort -n | sed -n "${mid}p") / 1024 ))" "$ROUNDS"
}

echo "findings: $("$FUPIN" --db "$DB" check --year 2020 --format json 2>/dev/null | grep -m1 '"suspects"' | tr -dc 0-9) suspects"
paired "check --year 2020 (24 rules)" \
    -- "$FUPIN" --db "$DB" check --year 2020 --format json -o "$OUT/check.json" \
    -- sh -c "sqlite3 '$DB' < '$OUT/rules-floor.sql'"
paired "check --rule A01 --year 2020" \
    -- "$FUPIN" --db "$DB" check --rule A01 --year 2020 --format json -o "$OUT/check.json" \
    -- sh -c "sqlite3 '$DB' < '$OUT/rules-floor.sql'"
paired "report exits --year 2020 --by village" \
    -- "$FUPIN" --db "$DB" report exits --year 2020 --by village --format json -o "$OUT/exits.json" \
    -- sh -c "sqlite3 '$DB' < '$OUT/exits-floor.sql'"
paired "report exits --all-lifted --by village" \
    -- "$FUPIN" --db "$DB" report exits --year 2020 --all-lifted --by village --format json -o "$OUT/exits.json" \
    -- sh -c "sqlite3 '$DB' < '$OUT/rules-floor.sql'"
