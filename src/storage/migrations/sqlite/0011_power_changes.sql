-- 0011 changes to published power items and the decisions behind them.
--
-- A published item is amended, cancelled (取消), delegated down (下放) or
-- transferred to another department through the same review as a new item:
-- power_items.change says which the version under review is, with its target
-- department and authorization; a cancelled item keeps its versions.
-- SQLite cannot alter a CHECK constraint: power_items is rebuilt with its
-- ids. Its three child tables are set aside and rebuilt around it, so that
-- no row ever refers to a missing item (foreign keys stay on throughout).
-- Authorizations (授权与委托, DOMAIN.md §1): the decisions that say who
-- exercises a power — 下放 to a township (行政处罚法 第二十四条), 相对集中行政处罚权
-- (第十八条第二款), 委托 to an organisation (第二十条). They may be
-- 规范性文件; a basis may not. authorization_items lists the power items a
-- decision covers.
CREATE TABLE authorizations (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('delegate', 'concentrate', 'entrust')),
  title TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  issuer TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  valid_until TEXT,
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  grantor_department_id BIGINT NOT NULL REFERENCES departments (id),
  grantee_department_id BIGINT REFERENCES departments (id),
  grantee_name TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX authorizations_grantor ON authorizations (grantor_department_id);
CREATE INDEX authorizations_grantee ON authorizations (grantee_department_id);

CREATE TABLE saved_item_versions AS SELECT * FROM power_item_versions;
CREATE TABLE saved_item_bases AS SELECT * FROM power_item_bases;
CREATE TABLE saved_item_reviews AS SELECT * FROM power_item_reviews;
DROP TABLE power_item_versions;
DROP TABLE power_item_bases;
DROP TABLE power_item_reviews;

CREATE TABLE power_items_new (
  id INTEGER PRIMARY KEY,
  department_id BIGINT NOT NULL REFERENCES departments (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('license', 'penalty', 'coercion', 'confirmation',
                                             'payment', 'levy', 'adjudication', 'inspection',
                                             'other')),
  sector TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT '',
  agency_id BIGINT REFERENCES agencies (id),
  post_id BIGINT REFERENCES posts (id),
  responsibility TEXT NOT NULL DEFAULT '',
  time_limit TEXT NOT NULL DEFAULT '',
  liabilities TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  effective_from TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved',
                                         'published', 'cancelled')),
  version BIGINT NOT NULL,
  published_version BIGINT,
  last_comment TEXT NOT NULL DEFAULT '',
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  change TEXT NOT NULL DEFAULT 'create' CHECK (change IN ('create', 'amend', 'cancel', 'delegate',
                                                           'transfer')),
  target_department_id BIGINT REFERENCES departments (id),
  authorization_id BIGINT REFERENCES authorizations (id),
  cancelled_on TEXT,
  UNIQUE (department_id, code)
);
INSERT INTO power_items_new (id, department_id, code, name, category, sector, scope, agency_id,
                             post_id, responsibility, time_limit, liabilities, effective_from,
                             status, version, published_version, last_comment, created_at_us,
                             updated_at_us, change)
SELECT id, department_id, code, name, category, sector, scope, agency_id, post_id, responsibility,
       time_limit, liabilities, effective_from, status, version, published_version, last_comment,
       created_at_us, updated_at_us, CASE WHEN version > 1 THEN 'amend' ELSE 'create' END
FROM power_items;
DROP TABLE power_items;
ALTER TABLE power_items_new RENAME TO power_items;
CREATE INDEX power_items_status ON power_items (department_id, status);


CREATE TABLE power_item_versions (
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  saved_at_us BIGINT NOT NULL,
  PRIMARY KEY (item_id, version)
);
INSERT INTO power_item_versions (item_id, version, status, snapshot, saved_at_us)
SELECT item_id, version, status, snapshot, saved_at_us FROM saved_item_versions;

CREATE TABLE power_item_bases (
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  position BIGINT NOT NULL,
  norm_id BIGINT NOT NULL REFERENCES norms (id),
  norm_version_id BIGINT NOT NULL REFERENCES norm_versions (id),
  article BIGINT NOT NULL,
  sub BIGINT NOT NULL DEFAULT 0,
  paragraph BIGINT NOT NULL DEFAULT 0,
  item BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (item_id, position)
);
CREATE INDEX power_item_bases_norm ON power_item_bases (norm_id, article, sub);
INSERT INTO power_item_bases (item_id, position, norm_id, norm_version_id, article, sub,
                              paragraph, item)
SELECT item_id, position, norm_id, norm_version_id, article, sub, paragraph, item
FROM saved_item_bases;

CREATE TABLE power_item_reviews (
  id INTEGER PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  version BIGINT NOT NULL,
  action TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  actor_user_id BIGINT,
  at_us BIGINT NOT NULL
);
CREATE INDEX power_item_reviews_item ON power_item_reviews (item_id, id);
INSERT INTO power_item_reviews (id, item_id, version, action, comment, actor_user_id, at_us)
SELECT id, item_id, version, action, comment, actor_user_id, at_us FROM saved_item_reviews;

DROP TABLE saved_item_versions;
DROP TABLE saved_item_bases;
DROP TABLE saved_item_reviews;

CREATE TABLE authorization_items (
  authorization_id BIGINT NOT NULL REFERENCES authorizations (id),
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  PRIMARY KEY (authorization_id, item_id)
);
CREATE INDEX authorization_items_item ON authorization_items (item_id);

-- The published list as the portal shows it: one row per item whose
-- published version is in force (an amendment in review leaves this row as
-- it was; a cancelled item has none). snapshot is that version's content.
CREATE TABLE power_public (
  item_id BIGINT PRIMARY KEY REFERENCES power_items (id),
  department_id BIGINT NOT NULL REFERENCES departments (id),
  jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  sector TEXT NOT NULL,
  version BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  published_at_us BIGINT NOT NULL
);
CREATE INDEX power_public_department ON power_public (department_id, category);
CREATE INDEX power_public_category ON power_public (category);

-- The legal office's deadline for a jurisdiction's lists (the notice set
-- 2015-10-31); a setting, not a statute.
CREATE TABLE power_list_deadlines (
  jurisdiction_id BIGINT PRIMARY KEY REFERENCES jurisdictions (id),
  deadline TEXT NOT NULL,
  set_by BIGINT,
  set_at_us BIGINT NOT NULL
);

-- The items published before this migration.
INSERT INTO power_public (item_id, department_id, jurisdiction_id, code, name, category, sector,
                          version, snapshot, published_at_us)
SELECT i.id, i.department_id, d.jurisdiction_id, json_extract(v.snapshot, '$.code'),
       json_extract(v.snapshot, '$.name'), json_extract(v.snapshot, '$.category'),
       json_extract(v.snapshot, '$.sector'), i.published_version, v.snapshot, v.saved_at_us
FROM power_items i
JOIN departments d ON d.id = i.department_id
JOIN power_item_versions v ON v.item_id = i.id AND v.version = i.published_version
WHERE i.published_version IS NOT NULL;
