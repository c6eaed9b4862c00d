-- 0007 rule sets and the statutory calendar.
--
-- rules: every version of every statutory value xzzf applies (two officers,
-- hearing and major-penalty thresholds, day counts …) with the article it
-- comes from. A version holds for [effective_from, effective_to); a "line" is
-- (rule_key, region_code, sector), and versions of one line never overlap.
-- region_code is the 行政区划代码 of the level that set the value ('000000' for
-- national law), so that shipped provincial values need no jurisdiction row;
-- sector is '' for every sector, or the 执法领域 code of a national sector
-- standard (国务院部门规定) that overrides the province for that sector.
-- Amounts in fen, day counts as their unit says. Rows are never deleted: a
-- version is ended by setting effective_to, and every change is on the record.
CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  rule_key TEXT NOT NULL,
  region_code TEXT NOT NULL,
  sector TEXT NOT NULL DEFAULT '',
  value BIGINT NOT NULL CHECK (value >= 0),
  unit TEXT NOT NULL CHECK (unit IN ('fen', 'days', 'working_days', 'persons', 'years')),
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  norm TEXT NOT NULL,                    -- 《中华人民共和国行政处罚法》
  article TEXT NOT NULL,                 -- 第五十一条
  note TEXT NOT NULL DEFAULT '',
  confirmed INTEGER NOT NULL DEFAULT 1,  -- 0: the source text could not be confirmed; the note says so
  shipped_id TEXT UNIQUE,                -- id in xzzf's shipped rule data; NULL for an amendment
  reason TEXT NOT NULL DEFAULT '',       -- why a legal office changed it
  created_by BIGINT,                     -- the account that acted (no key, like every actor column)
  created_at_us BIGINT NOT NULL,
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
CREATE INDEX rules_line ON rules (rule_key, region_code, sector, effective_from);

-- A jurisdiction's own days off or working days, on top of the national
-- calendar (the national one is data compiled into the binary). A removed day
-- keeps its row with removed_at_us set.
CREATE TABLE calendar_days (
  id INTEGER PRIMARY KEY,
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL,
  created_by BIGINT,                     -- the account that acted (no key, like every actor column)
  created_at_us BIGINT NOT NULL,
  removed_by BIGINT,
  removed_at_us BIGINT
);
CREATE UNIQUE INDEX calendar_days_current ON calendar_days (jurisdiction_id, day)
  WHERE removed_at_us IS NULL;
