-- fupin database schema.
--
-- An append-only history of versions. Each line `-- @version N: …` starts
-- the step that takes a file from version N - 1 to N; a new file runs every
-- step, an older file the steps it lacks, and PRAGMA user_version records
-- how far a file has come. A step that has shipped is never edited or
-- removed: a change is a new step at the end. Steps run in one transaction
-- with foreign keys off, so that a step may rebuild a table (SQLite cannot
-- change a column's CHECK in place), and every foreign key is checked
-- before the transaction commits.
--
-- Every record has a natural key (a code, or a composite for posts, dispatches,
-- visits and promotions) that users type; references use those keys, so the
-- file stays readable with the sqlite3 shell and exports need no joins.
-- Dates are ISO text (YYYY-MM-DD), so text comparison orders them; a date
-- column accepts only what date() gives back unchanged (NULL included),
-- which rejects other shapes and months or days out of range, at about two
-- thirds of the cost per row of a GLOB pattern.
-- Enumerations hold canonical English codes; labels in Chinese live in the
-- binary. CHECKs on enumerations are written with OR, not IN (...): IN builds
-- a temporary index on every insert and slows bulk imports measurably.
-- Uniqueness on large tables is expressed with named indexes (not inline
-- UNIQUE) so that a bulk load into an empty table may drop and rebuild them.

-- @version 1: the 2020 core

CREATE TABLE county (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL CHECK (length(code) > 0),
    name TEXT NOT NULL CHECK (length(name) > 0)
);

CREATE TABLE cadres (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL CHECK (length(code) > 0),
    name   TEXT NOT NULL CHECK (length(name) > 0),
    gender TEXT CHECK (gender IS NULL OR gender = 'male' OR gender = 'female'),
    unit   TEXT,
    level  TEXT CHECK (level IS NULL OR level = 'county' OR level = 'town' OR level = 'village'),
    phone  TEXT
);
CREATE UNIQUE INDEX cadres_code ON cadres(code);
CREATE INDEX cadres_name ON cadres(name);

CREATE TABLE zones (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL CHECK (length(code) > 0),
    name      TEXT NOT NULL CHECK (length(name) > 0),
    commander TEXT REFERENCES cadres(code),
    deputy    TEXT REFERENCES cadres(code)
);
CREATE UNIQUE INDEX zones_code ON zones(code);
CREATE INDEX zones_commander ON zones(commander);
CREATE INDEX zones_deputy ON zones(deputy);

CREATE TABLE towns (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL CHECK (length(code) > 0),
    name TEXT NOT NULL CHECK (length(name) > 0),
    zone TEXT REFERENCES zones(code)
);
CREATE UNIQUE INDEX towns_code ON towns(code);
CREATE INDEX towns_zone ON towns(zone);

CREATE TABLE villages (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL CHECK (length(code) > 0),
    name          TEXT NOT NULL CHECK (length(name) > 0),
    town          TEXT NOT NULL REFERENCES towns(code),
    kind          TEXT NOT NULL DEFAULT 'village' CHECK (kind = 'village' OR kind = 'community'),
    population    INTEGER CHECK (population IS NULL OR population >= 0),
    poor_village  INTEGER NOT NULL DEFAULT 0 CHECK (poor_village = 0 OR poor_village = 1),
    registered_on TEXT CHECK (registered_on IS date(registered_on)),
    lifted_on     TEXT CHECK (lifted_on IS date(lifted_on)),
    CHECK (poor_village = 1 OR (registered_on IS NULL AND lifted_on IS NULL)),
    CHECK (poor_village = 0 OR registered_on IS NOT NULL),
    CHECK (lifted_on IS NULL OR lifted_on >= registered_on)
);
CREATE UNIQUE INDEX villages_code ON villages(code);
CREATE INDEX villages_town ON villages(town);
CREATE INDEX villages_name ON villages(name);

CREATE TABLE households (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL CHECK (length(code) > 0),
    village       TEXT NOT NULL REFERENCES villages(code),
    head_name     TEXT NOT NULL CHECK (length(head_name) > 0),
    id_number     TEXT NOT NULL CHECK (length(id_number) = 18),
    members       INTEGER NOT NULL CHECK (members >= 1),
    attribute     TEXT NOT NULL DEFAULT 'general'
                  CHECK (attribute = 'general' OR attribute = 'low_income' OR attribute = 'extreme_poverty'),
    cause         TEXT CHECK (cause IS NULL OR cause = 'illness' OR cause = 'disability' OR cause = 'schooling'
                  OR cause = 'disaster' OR cause = 'lack_of_land' OR cause = 'lack_of_water'
                  OR cause = 'lack_of_skills' OR cause = 'lack_of_labour' OR cause = 'lack_of_funds'
                  OR cause = 'poor_transport' OR cause = 'lack_of_motivation' OR cause = 'other'),
    registered_on TEXT NOT NULL CHECK (registered_on IS date(registered_on)),
    lifted_on     TEXT CHECK (lifted_on IS date(lifted_on) AND lifted_on >= registered_on),
    helper        TEXT REFERENCES cadres(code),
    phone         TEXT,
    note          TEXT
);
CREATE UNIQUE INDEX households_code ON households(code);
CREATE UNIQUE INDEX households_id_number ON households(id_number);
-- Covers the double-clear report: every figure per village comes from the
-- index alone, without touching the table.
CREATE INDEX households_status ON households(village, registered_on, lifted_on, members);
CREATE INDEX households_helper ON households(helper);

CREATE TABLE tasks (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL CHECK (length(code) > 0),
    title     TEXT NOT NULL CHECK (length(title) > 0),
    level     TEXT NOT NULL CHECK (level = 'county' OR level = 'town'),
    village   TEXT REFERENCES villages(code),
    town      TEXT NOT NULL REFERENCES towns(code),
    leader    TEXT REFERENCES cadres(code),
    team      TEXT,
    listed_on TEXT NOT NULL CHECK (listed_on IS date(listed_on)),
    due_on    TEXT CHECK (due_on IS date(due_on) AND due_on >= listed_on),
    done_on   TEXT CHECK (done_on IS date(done_on) AND done_on >= listed_on),
    note      TEXT
);
CREATE UNIQUE INDEX tasks_code ON tasks(code);
CREATE INDEX tasks_village ON tasks(village);
CREATE INDEX tasks_town ON tasks(town);
CREATE INDEX tasks_leader ON tasks(leader);

CREATE TABLE posts (
    id         INTEGER PRIMARY KEY,
    cadre      TEXT NOT NULL REFERENCES cadres(code),
    role       TEXT NOT NULL CHECK (role = 'team_leader' OR role = 'first_secretary' OR role = 'team_member'
               OR role = 'info_officer' OR role = 'party_secretary' OR role = 'committee_director'
               OR role = 'commando'),
    town       TEXT REFERENCES towns(code),
    village    TEXT REFERENCES villages(code),
    task       TEXT REFERENCES tasks(code),
    started_on TEXT NOT NULL CHECK (started_on IS date(started_on)),
    ended_on   TEXT CHECK (ended_on IS date(ended_on) AND ended_on >= started_on),
    -- exactly one place
    CHECK ((town IS NOT NULL) + (village IS NOT NULL) + (task IS NOT NULL) = 1),
    -- commandos serve on a task; every other role at a town or village
    CHECK ((role = 'commando') = (task IS NOT NULL))
);
CREATE UNIQUE INDEX posts_key ON posts(cadre, role, ifnull(town, ''), ifnull(village, ''), ifnull(task, ''), started_on);
CREATE INDEX posts_village ON posts(village, role);
CREATE INDEX posts_town ON posts(town);
CREATE INDEX posts_task ON posts(task);

CREATE TABLE dispatches (
    id              INTEGER PRIMARY KEY,
    task            TEXT NOT NULL REFERENCES tasks(code),
    held_on         TEXT NOT NULL CHECK (held_on IS date(held_on)),
    chaired_by      TEXT REFERENCES cadres(code),
    progress        INTEGER NOT NULL CHECK (progress >= 0 AND progress <= 100),
    problems_found  INTEGER NOT NULL DEFAULT 0 CHECK (problems_found >= 0),
    problems_solved INTEGER NOT NULL DEFAULT 0 CHECK (problems_solved >= 0),
    note            TEXT
);
CREATE UNIQUE INDEX dispatches_key ON dispatches(task, held_on);
CREATE INDEX dispatches_chaired_by ON dispatches(chaired_by);

CREATE TABLE visits (
    id         INTEGER PRIMARY KEY,
    cadre      TEXT NOT NULL REFERENCES cadres(code),
    visited_on TEXT NOT NULL CHECK (visited_on IS date(visited_on)),
    village    TEXT REFERENCES villages(code),
    household  TEXT REFERENCES households(code),
    note       TEXT,
    CHECK ((village IS NOT NULL) + (household IS NOT NULL) = 1)
);
CREATE UNIQUE INDEX visits_key ON visits(cadre, visited_on, ifnull(village, ''), ifnull(household, ''));
CREATE INDEX visits_village ON visits(village);
CREATE INDEX visits_household ON visits(household);

CREATE TABLE promotions (
    id          INTEGER PRIMARY KEY,
    cadre       TEXT NOT NULL REFERENCES cadres(code),
    promoted_on TEXT NOT NULL CHECK (promoted_on IS date(promoted_on)),
    post        TEXT NOT NULL CHECK (length(post) > 0),
    note        TEXT
);
CREATE UNIQUE INDEX promotions_key ON promotions(cadre, promoted_on);

-- The audit trail: one row per change of one record.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    command TEXT NOT NULL,
    entity  TEXT NOT NULL,
    key     TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action = 'insert' OR action = 'update' OR action = 'delete'),
    old     TEXT,
    new     TEXT
);
CREATE INDEX audit_record ON audit(entity, key);
CREATE INDEX audit_at ON audit(at);

-- @version 2: the causes of poverty the national system added later
-- (marriage 因婚, funeral 因丧, accident 因意外事故, unstable work
-- 因务工就业不稳, unsafe housing 因安全住房, unsafe drinking water 因安全饮水)
-- SQLite's procedure for a changed table: create the new table, copy the
-- rows (ids kept), drop the old table, rename the new one, recreate the
-- indexes. Other tables refer to households by name, so their foreign keys
-- hold on to the renamed table.
CREATE TABLE households_v2 (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL CHECK (length(code) > 0),
    village       TEXT NOT NULL REFERENCES villages(code),
    head_name     TEXT NOT NULL CHECK (length(head_name) > 0),
    id_number     TEXT NOT NULL CHECK (length(id_number) = 18),
    members       INTEGER NOT NULL CHECK (members >= 1),
    attribute     TEXT NOT NULL DEFAULT 'general'
                  CHECK (attribute = 'general' OR attribute = 'low_income' OR attribute = 'extreme_poverty'),
    cause         TEXT CHECK (cause IS NULL OR cause = 'illness' OR cause = 'disability' OR cause = 'schooling'
                  OR cause = 'disaster' OR cause = 'lack_of_land' OR cause = 'lack_of_water'
                  OR cause = 'lack_of_skills' OR cause = 'lack_of_labour' OR cause = 'lack_of_funds'
                  OR cause = 'poor_transport' OR cause = 'lack_of_motivation' OR cause = 'other'
                  OR cause = 'marriage' OR cause = 'funeral' OR cause = 'accident'
                  OR cause = 'unstable_work' OR cause = 'unsafe_housing' OR cause = 'unsafe_drinking_water'),
    registered_on TEXT NOT NULL CHECK (registered_on IS date(registered_on)),
    lifted_on     TEXT CHECK (lifted_on IS date(lifted_on) AND lifted_on >= registered_on),
    helper        TEXT REFERENCES cadres(code),
    phone         TEXT,
    note          TEXT
);
INSERT INTO households_v2 (id, code, village, head_name, id_number, members, attribute, cause,
                           registered_on, lifted_on, helper, phone, note)
     SELECT id, code, village, head_name, id_number, members, attribute, cause,
            registered_on, lifted_on, helper, phone, note
       FROM households;
DROP TABLE households;
ALTER TABLE households_v2 RENAME TO households;
CREATE UNIQUE INDEX households_code ON households(code);
CREATE UNIQUE INDEX households_id_number ON households(id_number);
CREATE INDEX households_status ON households(village, registered_on, lifted_on, members);
CREATE INDEX households_helper ON households(helper);

-- @version 3: the people of each household (家庭成员), as the national
-- register keeps them. A person's gender and birth date are the ones the ID
-- number holds (GB 11643: characters 7–14 the birth date, the 17th odd for
-- a man), and the CHECKs hold them to it, so they are never two facts that
-- disagree. A household has at most one head (户主); fupin keeps the head's
-- name and ID number the household's head_name and id_number.
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL CHECK (length(code) > 0),
    household   TEXT NOT NULL REFERENCES households(code),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    id_number   TEXT NOT NULL CHECK (length(id_number) = 18),
    relation    TEXT NOT NULL
                CHECK (relation = 'head' OR relation = 'spouse' OR relation = 'son' OR relation = 'daughter'
                OR relation = 'daughter_in_law' OR relation = 'son_in_law' OR relation = 'grandson'
                OR relation = 'granddaughter' OR relation = 'father' OR relation = 'mother'
                OR relation = 'parent_in_law' OR relation = 'grandparent' OR relation = 'sibling'
                OR relation = 'other'),
    gender      TEXT NOT NULL CHECK (gender = CASE CAST(substr(id_number, 17, 1) AS INTEGER) % 2
                                              WHEN 1 THEN 'male' ELSE 'female' END),
    birth_on    TEXT NOT NULL CHECK (birth_on IS date(birth_on) AND birth_on =
                substr(id_number, 7, 4) || '-' || substr(id_number, 11, 2) || '-' || substr(id_number, 13, 2)),
    ethnicity   TEXT,
    education   TEXT,
    schooling   TEXT,
    health      TEXT,
    labour      TEXT,
    work        TEXT,
    work_months INTEGER CHECK (work_months IS NULL OR (work_months >= 0 AND work_months <= 12)),
    note        TEXT
);
CREATE UNIQUE INDEX people_code ON people(code);
CREATE UNIQUE INDEX people_id_number ON people(id_number);
CREATE INDEX people_household ON people(household, relation);
CREATE UNIQUE INDEX people_head ON people(household) WHERE relation = 'head';

-- @version 4: changes that can be undone, and households found by name
-- Every audit row names the change it belongs to: the id of that change's
-- first row. A command typed by a clerk is one change; an import is one
-- change for all its files, so `fupin revert` undoes it as a whole. The rows
-- of a revert name the change they undid in `reverts`, so a change is not
-- undone twice and `fupin undo` steps back past it. `record` is the changed
-- record's id in its table (the ID that lists show for dispatches, visits,
-- posts and promotions), so a removed record comes back under its own id.
-- Rows written before this version are grouped by their time, actor and
-- command, which is what one command wrote.
ALTER TABLE audit ADD COLUMN change INTEGER;
ALTER TABLE audit ADD COLUMN reverts INTEGER;
ALTER TABLE audit ADD COLUMN record INTEGER;
UPDATE audit SET change = g.first
  FROM (SELECT id, min(id) OVER (PARTITION BY at, actor, command) AS first FROM audit) AS g
 WHERE g.id = audit.id;
CREATE INDEX audit_change ON audit(change);
CREATE INDEX audit_actor ON audit(actor, change);
CREATE INDEX audit_reverts ON audit(reverts) WHERE reverts IS NOT NULL;
-- `household show 钱七` and `fupin find` look households up by the head's
-- name; without this each lookup reads every household.
CREATE INDEX households_head_name ON households(head_name);

-- @version 5: monitoring against a return to poverty (防返贫动态监测, 2021
-- on). One row per household and identification: a household monitored
-- again after its risks were eliminated is a new row, and the partial index
-- monitoring_open keeps it from being monitored twice at once. `code` is
-- the household's code 户编号: a registered household's (whose village,
-- head, ID number and members the row repeats, kept equal on every write)
-- or an ordinary farming household's own (一般农户), so it is no foreign
-- key. The risks are the five columns of the national ledger, filled from
-- the first; the measures are several codes joined by ';'. Elimination is a
-- date and a method, both or neither, not before the identification.
CREATE TABLE monitoring (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL CHECK (length(code) > 0),
    identified_on  TEXT NOT NULL CHECK (identified_on IS date(identified_on)),
    village        TEXT NOT NULL REFERENCES villages(code),
    head_name      TEXT NOT NULL CHECK (length(head_name) > 0),
    id_number      TEXT NOT NULL CHECK (length(id_number) = 18),
    members        INTEGER NOT NULL CHECK (members >= 1),
    household_type TEXT NOT NULL CHECK (household_type = 'lifted' OR household_type = 'ordinary'),
    category       TEXT NOT NULL
                   CHECK (category = 'unstable_lifted' OR category = 'edge' OR category = 'sudden_hardship'),
    risk1          TEXT NOT NULL CHECK (risk1 = 'illness' OR risk1 = 'disability' OR risk1 = 'schooling'
                   OR risk1 = 'disaster' OR risk1 = 'accident' OR risk1 = 'unstable_work'
                   OR risk1 = 'failed_business' OR risk1 = 'unsafe_housing'
                   OR risk1 = 'unsafe_drinking_water' OR risk1 = 'lack_of_labour' OR risk1 = 'other'),
    risk2          TEXT CHECK (risk2 IS NULL OR risk2 = 'illness' OR risk2 = 'disability' OR risk2 = 'schooling'
                   OR risk2 = 'disaster' OR risk2 = 'accident' OR risk2 = 'unstable_work'
                   OR risk2 = 'failed_business' OR risk2 = 'unsafe_housing'
                   OR risk2 = 'unsafe_drinking_water' OR risk2 = 'lack_of_labour' OR risk2 = 'other'),
    risk3          TEXT CHECK (risk3 IS NULL OR (risk2 IS NOT NULL AND (risk3 = 'illness' OR risk3 = 'disability'
                   OR risk3 = 'schooling' OR risk3 = 'disaster' OR risk3 = 'accident' OR risk3 = 'unstable_work'
                   OR risk3 = 'failed_business' OR risk3 = 'unsafe_housing'
                   OR risk3 = 'unsafe_drinking_water' OR risk3 = 'lack_of_labour' OR risk3 = 'other'))),
    risk4          TEXT CHECK (risk4 IS NULL OR (risk3 IS NOT NULL AND (risk4 = 'illness' OR risk4 = 'disability'
                   OR risk4 = 'schooling' OR risk4 = 'disaster' OR risk4 = 'accident' OR risk4 = 'unstable_work'
                   OR risk4 = 'failed_business' OR risk4 = 'unsafe_housing'
                   OR risk4 = 'unsafe_drinking_water' OR risk4 = 'lack_of_labour' OR risk4 = 'other'))),
    risk5          TEXT CHECK (risk5 IS NULL OR (risk4 IS NOT NULL AND (risk5 = 'illness' OR risk5 = 'disability'
                   OR risk5 = 'schooling' OR risk5 = 'disaster' OR risk5 = 'accident' OR risk5 = 'unstable_work'
                   OR risk5 = 'failed_business' OR risk5 = 'unsafe_housing'
                   OR risk5 = 'unsafe_drinking_water' OR risk5 = 'lack_of_labour' OR risk5 = 'other'))),
    elimination    TEXT CHECK (elimination IS NULL OR elimination = 'assisted' OR elimination = 'natural'),
    eliminated_on  TEXT CHECK (eliminated_on IS date(eliminated_on) AND eliminated_on >= identified_on),
    measures       TEXT CHECK (measures IS NULL OR length(measures) > 0),
    helper         TEXT REFERENCES cadres(code),
    note           TEXT,
    CHECK ((elimination IS NULL) = (eliminated_on IS NULL)),
    CHECK (risk2 IS NULL OR risk2 <> risk1)
);
CREATE UNIQUE INDEX monitoring_key ON monitoring(code, identified_on);
CREATE UNIQUE INDEX monitoring_open ON monitoring(code) WHERE eliminated_on IS NULL;
CREATE INDEX monitoring_village ON monitoring(village, identified_on);
CREATE INDEX monitoring_helper ON monitoring(helper);

-- @version 6: the register as it changes (动态调整). A household's
-- registered_on and lifted_on stay its first registration and first lift;
-- what happened after is a row here, dated: a return to poverty (返贫, with
-- its cause), a lift after a return, a removal (剔除: wrongly identified,
-- or 清退) or a natural decrease (自然减少: the last member died, the
-- household moved out of the county or merged into another). A household's
-- status on a date is its last step on or before that date, its first two
-- dates included; fupin checks each new row against the steps before and
-- after it. Households without rows here, nearly all of them, are counted
-- from their two dates alone, as before.
CREATE TABLE household_events (
    id        INTEGER PRIMARY KEY,
    household TEXT NOT NULL REFERENCES households(code),
    event     TEXT NOT NULL
              CHECK (event = 'returned' OR event = 'lifted' OR event = 'removed' OR event = 'left'),
    date      TEXT NOT NULL CHECK (date IS date(date)),
    cause     TEXT CHECK (cause IS NULL OR (event = 'returned' AND (cause = 'illness' OR cause = 'disability'
              OR cause = 'schooling' OR cause = 'disaster' OR cause = 'lack_of_land' OR cause = 'lack_of_water'
              OR cause = 'lack_of_skills' OR cause = 'lack_of_labour' OR cause = 'lack_of_funds'
              OR cause = 'poor_transport' OR cause = 'lack_of_motivation' OR cause = 'other'
              OR cause = 'marriage' OR cause = 'funeral' OR cause = 'accident'
              OR cause = 'unstable_work' OR cause = 'unsafe_housing' OR cause = 'unsafe_drinking_water'))),
    reason    TEXT CHECK (CASE event
                  WHEN 'removed' THEN reason IS NOT NULL
                       AND (reason = 'wrong_identification' OR reason = 'cleared' OR reason = 'other')
                  WHEN 'left' THEN reason IS NOT NULL
                       AND (reason = 'died' OR reason = 'moved_out' OR reason = 'merged' OR reason = 'other')
                  ELSE reason IS NULL END),
    note      TEXT
);
CREATE UNIQUE INDEX household_events_key ON household_events(household, date, event);
CREATE INDEX household_events_date ON household_events(date);
-- People join a household (born, married in, moved in) and leave it (died,
-- married out, moved out); a person who left is kept, with the date and the
-- reason, both or neither.
ALTER TABLE people ADD COLUMN joined_on TEXT CHECK (joined_on IS date(joined_on));
ALTER TABLE people ADD COLUMN joined_reason TEXT
    CHECK (joined_reason IS NULL OR joined_reason = 'born' OR joined_reason = 'married_in'
           OR joined_reason = 'moved_in' OR joined_reason = 'other');
ALTER TABLE people ADD COLUMN left_on TEXT CHECK (left_on IS date(left_on));
ALTER TABLE people ADD COLUMN left_reason TEXT
    CHECK (left_reason IS NULL OR left_reason = 'died' OR left_reason = 'married_out'
           OR left_reason = 'moved_out' OR left_reason = 'other');

-- @version 7: households looked up by name without an index of their own
-- households_head_name (version 4) cost every first import of a large file
-- its longest index build (0.35-0.47 s of a 1M-household load, 16 MB of
-- the file, written twice through the log) and served only an exact
-- lookup by the head's name (`household show 钱七`), which reads the
-- table instead: 0.14 s at 1M households, a few milliseconds for a county.
-- `fupin find` and `--name` search inside names and never used it.
DROP INDEX IF EXISTS households_head_name;

-- @version 8: the proof of each exit (一超过、两不愁、三保障). One row per
-- household and year: its per-capita net income and the parts it is made
-- of, the allowances received, and whether food, clothing, housing, water
-- and electricity were secure. Amounts are whole fen (分): 4,523.50 yuan is
-- 452350, exact in sums and comparisons. The standards are the income line
-- a year's exits are held to (and, from 2021, the monitoring line), in
-- yuan, and the incidence (per cent) under which a poor village may exit;
-- a year without a row takes the national figure fupin knows, so the
-- table holds only what a province set itself. People gain their cover
-- (medical, serious-illness and pension insurance), their 低保, their
-- disability certificate (the ID number and two digits) and where they work.
CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    household       TEXT NOT NULL REFERENCES households(code),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2013 AND 2100),
    income          INTEGER,
    wage_income     INTEGER,
    business_income INTEGER,
    property_income INTEGER,
    transfer_income INTEGER,
    business_costs  INTEGER,
    dibao_paid      INTEGER CHECK (dibao_paid IS NULL OR dibao_paid >= 0),
    tekun_paid      INTEGER CHECK (tekun_paid IS NULL OR tekun_paid >= 0),
    food_secure     INTEGER CHECK (food_secure IS NULL OR food_secure = 0 OR food_secure = 1),
    clothing_secure INTEGER CHECK (clothing_secure IS NULL OR clothing_secure = 0 OR clothing_secure = 1),
    dilapidated     INTEGER CHECK (dilapidated IS NULL OR dilapidated = 0 OR dilapidated = 1),
    housing_grade   TEXT CHECK (housing_grade IS NULL OR housing_grade = 'a' OR housing_grade = 'b'
                    OR housing_grade = 'c' OR housing_grade = 'd'),
    safe_water      INTEGER CHECK (safe_water IS NULL OR safe_water = 0 OR safe_water = 1),
    electricity     INTEGER CHECK (electricity IS NULL OR electricity = 0 OR electricity = 1),
    note            TEXT
);
CREATE UNIQUE INDEX assessments_key ON assessments(household, year);
CREATE INDEX assessments_year ON assessments(year, household);
CREATE TABLE standards (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL CHECK (year BETWEEN 2013 AND 2100),
    income_line     INTEGER NOT NULL CHECK (income_line > 0),
    monitoring_line INTEGER CHECK (monitoring_line IS NULL OR monitoring_line > 0),
    incidence_line  INTEGER CHECK (incidence_line IS NULL OR incidence_line BETWEEN 1 AND 100),
    note            TEXT
);
CREATE UNIQUE INDEX standards_year ON standards(year);
ALTER TABLE people ADD COLUMN work_place TEXT;
ALTER TABLE people ADD COLUMN medical_insurance INTEGER
    CHECK (medical_insurance IS NULL OR medical_insurance = 0 OR medical_insurance = 1);
ALTER TABLE people ADD COLUMN serious_illness_insurance INTEGER
    CHECK (serious_illness_insurance IS NULL OR serious_illness_insurance = 0 OR serious_illness_insurance = 1);
ALTER TABLE people ADD COLUMN pension_insurance INTEGER
    CHECK (pension_insurance IS NULL OR pension_insurance = 0 OR pension_insurance = 1);
ALTER TABLE people ADD COLUMN dibao INTEGER CHECK (dibao IS NULL OR dibao = 0 OR dibao = 1);
ALTER TABLE people ADD COLUMN disability_certificate TEXT
    CHECK (disability_certificate IS NULL OR length(disability_certificate) = 20);

-- @version 9: monitoring records from lists that do not say everything.
-- The 2022 已脱贫人口名单 names a household as monitored (its category,
-- when identified, whether and when eliminated) but neither its risk nor
-- how the risk was eliminated. Such a record keeps 'not_stated' (未注明)
-- as its first risk, then alone, and as its method, for the township to
-- complete (`fupin check`, rule G01); nothing is guessed. The table is
-- rebuilt (SQLite cannot change a CHECK in place) with its rows and ids,
-- as version 2 rebuilt households; nothing refers to it by foreign key.
CREATE TABLE monitoring_v9 (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL CHECK (length(code) > 0),
    identified_on  TEXT NOT NULL CHECK (identified_on IS date(identified_on)),
    village        TEXT NOT NULL REFERENCES villages(code),
    head_name      TEXT NOT NULL CHECK (length(head_name) > 0),
    id_number      TEXT NOT NULL CHECK (length(id_number) = 18),
    members        INTEGER NOT NULL CHECK (members >= 1),
    household_type TEXT NOT NULL CHECK (household_type = 'lifted' OR household_type = 'ordinary'),
    category       TEXT NOT NULL
                   CHECK (category = 'unstable_lifted' OR category = 'edge' OR category = 'sudden_hardship'),
    risk1          TEXT NOT NULL CHECK (risk1 = 'illness' OR risk1 = 'disability' OR risk1 = 'schooling'
                   OR risk1 = 'disaster' OR risk1 = 'accident' OR risk1 = 'unstable_work'
                   OR risk1 = 'failed_business' OR risk1 = 'unsafe_housing'
                   OR risk1 = 'unsafe_drinking_water' OR risk1 = 'lack_of_labour' OR risk1 = 'other'
                   OR risk1 = 'not_stated'),
    risk2          TEXT CHECK (risk2 IS NULL OR risk2 = 'illness' OR risk2 = 'disability' OR risk2 = 'schooling'
                   OR risk2 = 'disaster' OR risk2 = 'accident' OR risk2 = 'unstable_work'
                   OR risk2 = 'failed_business' OR risk2 = 'unsafe_housing'
                   OR risk2 = 'unsafe_drinking_water' OR risk2 = 'lack_of_labour' OR risk2 = 'other'),
    risk3          TEXT CHECK (risk3 IS NULL OR (risk2 IS NOT NULL AND (risk3 = 'illness' OR risk3 = 'disability'
                   OR risk3 = 'schooling' OR risk3 = 'disaster' OR risk3 = 'accident' OR risk3 = 'unstable_work'
                   OR risk3 = 'failed_business' OR risk3 = 'unsafe_housing'
                   OR risk3 = 'unsafe_drinking_water' OR risk3 = 'lack_of_labour' OR risk3 = 'other'))),
    risk4          TEXT CHECK (risk4 IS NULL OR (risk3 IS NOT NULL AND (risk4 = 'illness' OR risk4 = 'disability'
                   OR risk4 = 'schooling' OR risk4 = 'disaster' OR risk4 = 'accident' OR risk4 = 'unstable_work'
                   OR risk4 = 'failed_business' OR risk4 = 'unsafe_housing'
                   OR risk4 = 'unsafe_drinking_water' OR risk4 = 'lack_of_labour' OR risk4 = 'other'))),
    risk5          TEXT CHECK (risk5 IS NULL OR (risk4 IS NOT NULL AND (risk5 = 'illness' OR risk5 = 'disability'
                   OR risk5 = 'schooling' OR risk5 = 'disaster' OR risk5 = 'accident' OR risk5 = 'unstable_work'
                   OR risk5 = 'failed_business' OR risk5 = 'unsafe_housing'
                   OR risk5 = 'unsafe_drinking_water' OR risk5 = 'lack_of_labour' OR risk5 = 'other'))),
    elimination    TEXT CHECK (elimination IS NULL OR elimination = 'assisted' OR elimination = 'natural'
                   OR elimination = 'not_stated'),
    eliminated_on  TEXT CHECK (eliminated_on IS date(eliminated_on) AND eliminated_on >= identified_on),
    measures       TEXT CHECK (measures IS NULL OR length(measures) > 0),
    helper         TEXT REFERENCES cadres(code),
    note           TEXT,
    CHECK ((elimination IS NULL) = (eliminated_on IS NULL)),
    CHECK (risk2 IS NULL OR risk2 <> risk1),
    CHECK (risk1 <> 'not_stated' OR risk2 IS NULL)
);
INSERT INTO monitoring_v9 (id, code, identified_on, village, head_name, id_number, members, household_type,
                           category, risk1, risk2, risk3, risk4, risk5, elimination, eliminated_on,
                           measures, helper, note)
     SELECT id, code, identified_on, village, head_name, id_number, members, household_type,
            category, risk1, risk2, risk3, risk4, risk5, elimination, eliminated_on,
            measures, helper, note
       FROM monitoring;
DROP TABLE monitoring;
ALTER TABLE monitoring_v9 RENAME TO monitoring;
CREATE UNIQUE INDEX monitoring_key ON monitoring(code, identified_on);
CREATE UNIQUE INDEX monitoring_open ON monitoring(code) WHERE eliminated_on IS NULL;
CREATE INDEX monitoring_village ON monitoring(village, identified_on);
CREATE INDEX monitoring_helper ON monitoring(helper);

-- @version 10: a household's members on any date follow its people. The
-- people who joined or left (a few in a hundred) by the last of their two
-- dates, so a report as of a date reads only those whose dates come after
-- it. Partial, so a bulk load keeps it up row by row instead of scanning
-- the whole table to rebuild it.
CREATE INDEX people_changes
    ON people(max(ifnull(joined_on, ''), ifnull(left_on, '')), household, joined_on, left_on)
    WHERE joined_on IS NOT NULL OR left_on IS NOT NULL;

-- @version 11: each household event keeps its household's rowid beside its
-- code, kept by the triggers below. Reports read every event before they
-- count (the status of a household on a date is its last step), and
-- joining 50,000 events to `households_code` for the rowid was most of that
-- read at a province's size. The code stays the reference; the rowid is a
-- copy that readers may find NULL (then they look the code up). A step that
-- rebuilds `households` or `household_events` must recreate these triggers.
ALTER TABLE household_events ADD COLUMN household_id INTEGER;
UPDATE household_events
   SET household_id = (SELECT h.id FROM households h WHERE h.code = household_events.household);
CREATE TRIGGER household_events_rowid_insert AFTER INSERT ON household_events
BEGIN
    UPDATE household_events SET household_id = (SELECT h.id FROM households h WHERE h.code = NEW.household)
     WHERE id = NEW.id;
END;
CREATE TRIGGER household_events_rowid_update AFTER UPDATE OF household ON household_events
BEGIN
    UPDATE household_events SET household_id = (SELECT h.id FROM households h WHERE h.code = NEW.household)
     WHERE id = NEW.id;
END;
CREATE TRIGGER households_rowid_update AFTER UPDATE OF id, code ON households
BEGIN
    UPDATE household_events SET household_id = NULL WHERE household = OLD.code;
    UPDATE household_events SET household_id = NEW.id WHERE household = NEW.code;
END;
CREATE TRIGGER households_rowid_delete AFTER DELETE ON households
BEGIN
    UPDATE household_events SET household_id = NULL WHERE household = OLD.code;
END;
