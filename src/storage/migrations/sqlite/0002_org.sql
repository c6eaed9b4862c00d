-- 0002 organization: jurisdictions (行政区划, townships included), departments
-- with their enforcement sectors (执法领域), agencies (内设机构), posts (岗位),
-- enforcement subjects (执法主体), and the history of changes with their
-- effective dates (机构改革: rename, merge). Dates are 'YYYY-MM-DD' text in
-- Asia/Shanghai; instants are microseconds since the Unix epoch (UTC).

CREATE TABLE jurisdictions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,           -- 行政区划代码, e.g. 411481 (townships: 9 or 12 digits)
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
  parent_id BIGINT REFERENCES jurisdictions (id),
  created_at_us BIGINT NOT NULL
);
CREATE INDEX jurisdictions_parent ON jurisdictions (parent_id);

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  code TEXT NOT NULL UNIQUE,           -- the department's own code, e.g. 411481-SCJG
  name TEXT NOT NULL,                  -- 永城市市场监督管理局
  short_name TEXT NOT NULL DEFAULT '', -- 永市监 (used in document numbers)
  is_legal_office INTEGER NOT NULL DEFAULT 0,  -- 司法局（行政执法协调监督）
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'abolished')),
  merged_into_id BIGINT REFERENCES departments (id),
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX departments_jurisdiction ON departments (jurisdiction_id);

-- 执法领域 of a department: codes from the fixed list in org/ (market, ecology, …).
CREATE TABLE department_sectors (
  department_id BIGINT NOT NULL REFERENCES departments (id),
  sector TEXT NOT NULL,
  PRIMARY KEY (department_id, sector)
);

CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  department_id BIGINT NOT NULL REFERENCES departments (id),
  name TEXT NOT NULL,                  -- 执法稽查科
  duties TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'abolished')),
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  created_at_us BIGINT NOT NULL,
  UNIQUE (department_id, name)
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  department_id BIGINT NOT NULL REFERENCES departments (id),
  agency_id BIGINT REFERENCES agencies (id),
  name TEXT NOT NULL,                  -- 执法岗, 法制审核岗 …
  is_enforcement INTEGER NOT NULL DEFAULT 0,  -- 执法岗位: holders may be certified
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'abolished')),
  created_at_us BIGINT NOT NULL,
  UNIQUE (department_id, name)
);

-- 执法主体: confirmed and published by the city government (河南省行政执法条例
-- 第十三条); an entrusted organisation acts in the name of the entrusting
-- agency (第十四条).
CREATE TABLE subjects (
  id INTEGER PRIMARY KEY,
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  department_id BIGINT REFERENCES departments (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('statutory', 'authorized', 'entrusted')),  -- 法定/授权/受委托
  entrusted_by_department_id BIGINT REFERENCES departments (id),
  basis TEXT NOT NULL DEFAULT '',      -- the law or decision it rests on
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'revoked')),
  confirmation_document TEXT,          -- 确认文件文号, e.g. 永政〔2016〕12号
  confirmed_on TEXT,
  revoked_on TEXT,
  revocation_reason TEXT,
  published INTEGER NOT NULL DEFAULT 0,
  published_at_us BIGINT,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
CREATE INDEX subjects_department ON subjects (department_id);
CREATE INDEX subjects_public ON subjects (published, status);

-- Every change of the organization, with the date it takes effect.
CREATE TABLE org_changes (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,                -- 'jurisdiction', 'department', 'agency', 'post', 'subject'
  entity_id BIGINT NOT NULL,
  change TEXT NOT NULL,                -- 'create', 'rename', 'merge', 'abolish', 'confirm', 'revoke', 'publish', …
  effective_date TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  actor_user_id BIGINT,
  at_us BIGINT NOT NULL
);
CREATE INDEX org_changes_entity ON org_changes (entity, entity_id);
