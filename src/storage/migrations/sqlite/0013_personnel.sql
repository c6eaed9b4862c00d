-- 0013 enforcement qualification (执法资格): officers, their posts, training,
-- exams and certificates (DOMAIN.md §4; 河南省行政执法条例 第二十条、第二十一条).
--
-- Personal data is never stored in plaintext (privacy/sealer.hpp): the ID
-- number and the phone are sealed, the ID number also digested with the
-- deployment's key so that one person is one officer. The full name is
-- stored as is: officers act in office and show it (亮证执法).
CREATE TABLE officers (
  id INTEGER PRIMARY KEY,
  department_id BIGINT NOT NULL REFERENCES departments (id),
  full_name TEXT NOT NULL,
  id_number_sealed TEXT NOT NULL,
  id_number_digest TEXT NOT NULL UNIQUE,
  id_number_masked TEXT NOT NULL,
  phone_sealed TEXT,
  phone_masked TEXT NOT NULL DEFAULT '',
  -- 在编 (established), 工勤 (service), 劳动合同 (contract), 劳务派遣
  -- (dispatched), 临时 (temporary): only the first may hold a certificate.
  employment TEXT NOT NULL CHECK (employment IN ('established', 'service', 'contract',
                                                 'dispatched', 'temporary')),
  legal_qualification INTEGER NOT NULL DEFAULT 0,  -- 法律职业资格: may be exempted from the exam
  user_id BIGINT UNIQUE REFERENCES users (id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
CREATE INDEX officers_department ON officers (department_id, status);

-- Post history (岗位): one open row per officer, for 定期轮岗.
CREATE TABLE officer_posts (
  id INTEGER PRIMARY KEY,
  officer_id BIGINT NOT NULL REFERENCES officers (id),
  post_id BIGINT NOT NULL REFERENCES posts (id),
  started_on TEXT NOT NULL,
  ended_on TEXT
);
CREATE INDEX officer_posts_officer ON officer_posts (officer_id, started_on);

CREATE TABLE officer_trainings (
  id INTEGER PRIMARY KEY,
  officer_id BIGINT NOT NULL REFERENCES officers (id),
  course TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('public_law', 'special_law', 'other')),
  hours BIGINT NOT NULL CHECK (hours > 0),
  completed_on TEXT NOT NULL,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX officer_trainings_officer ON officer_trainings (officer_id);

-- An exam session and its pass line, taken from the rule set when the
-- session is made (and kept: a later rule does not change a past result).
CREATE TABLE exam_sessions (
  id INTEGER PRIMARY KEY,
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  title TEXT NOT NULL,
  held_on TEXT NOT NULL,
  pass_line BIGINT NOT NULL,
  pass_line_rule_id BIGINT NOT NULL,  -- the rule version (rules.id) it came from
  created_at_us BIGINT NOT NULL
);

CREATE TABLE exam_results (
  session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
  officer_id BIGINT NOT NULL REFERENCES officers (id),
  score BIGINT,                       -- NULL when exempted
  exempted INTEGER NOT NULL DEFAULT 0,  -- 法律职业资格
  passed INTEGER NOT NULL,
  recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (session_id, officer_id)
);
CREATE INDEX exam_results_officer ON exam_results (officer_id, passed);

-- 行政执法证 (enforcement) and 行政执法监督证 (supervision). An application
-- becomes a certificate when the legal office records the number the
-- province issued. sectors and jurisdictions are JSON arrays (执法类别, 区域).
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  officer_id BIGINT NOT NULL REFERENCES officers (id),
  department_id BIGINT NOT NULL REFERENCES departments (id),
  kind TEXT NOT NULL CHECK (kind IN ('enforcement', 'supervision')),
  number TEXT UNIQUE,
  sectors TEXT NOT NULL,
  jurisdictions TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'valid', 'suspended',
                                         'withdrawn', 'revoked', 'expired')),
  issued_on TEXT,
  expires_on TEXT,
  reviewed_on TEXT,  -- the last 年审 passed (or the issue)
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
CREATE INDEX certificates_officer ON certificates (officer_id, status);
CREATE INDEX certificates_department ON certificates (department_id, status);

-- Every change of a certificate, with its reason (also on the record).
CREATE TABLE certificate_events (
  id INTEGER PRIMARY KEY,
  certificate_id BIGINT NOT NULL REFERENCES certificates (id),
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  actor_user_id BIGINT,
  at_us BIGINT NOT NULL
);
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id);

-- The personal data key of this deployment (its key id, not the key): a
-- server started with another key would seal what it cannot read back and
-- miss duplicates, so it refuses to start.
-- One row: the first instance to start sets it, the others compare.
CREATE TABLE privacy_keys (
  slot INTEGER PRIMARY KEY CHECK (slot = 1),
  key_id TEXT NOT NULL,
  created_at_us BIGINT NOT NULL
);

-- The exam's pass line is a rule (qualification.exam_pass_line) counted in
-- points: SQLite cannot alter the unit's CHECK, so rules is rebuilt with its
-- ids (nothing refers to it by key).
CREATE TABLE rules_0013 (
  id INTEGER PRIMARY KEY,
  rule_key TEXT NOT NULL,
  region_code TEXT NOT NULL,
  sector TEXT NOT NULL DEFAULT '',
  value BIGINT NOT NULL CHECK (value >= 0),
  unit TEXT NOT NULL CHECK (unit IN ('fen', 'days', 'working_days', 'persons', 'years',
                                     'points')),
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  norm TEXT NOT NULL,
  article TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  confirmed INTEGER NOT NULL DEFAULT 1,
  shipped_id TEXT UNIQUE,
  reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at_us BIGINT NOT NULL,
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
INSERT INTO rules_0013 SELECT id, rule_key, region_code, sector, value, unit, effective_from,
  effective_to, norm, article, note, confirmed, shipped_id, reason, created_by, created_at_us
  FROM rules;
DROP TABLE rules;
ALTER TABLE rules_0013 RENAME TO rules;
CREATE INDEX rules_line ON rules (rule_key, region_code, sector, effective_from);
