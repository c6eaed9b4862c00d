-- 0011 changes to published power items and the decisions behind them.
--
-- A published item is amended, cancelled (取消), delegated down (下放) or
-- transferred to another department through the same review as a new item:
-- power_items.change says which the version under review is, with its target
-- department and authorization; a cancelled item keeps its versions.

-- Authorizations (授权与委托, DOMAIN.md §1): the decisions that say who
-- exercises a power — 下放 to a township (行政处罚法 第二十四条), 相对集中行政处罚权
-- (第十八条第二款), 委托 to an organisation (第二十条). They may be
-- 规范性文件; a basis may not. authorization_items lists the power items a
-- decision covers.
CREATE TABLE authorizations (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

ALTER TABLE power_items DROP CONSTRAINT power_items_status_check;
ALTER TABLE power_items ADD CONSTRAINT power_items_status_check
  CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'published', 'cancelled'));
ALTER TABLE power_items ADD COLUMN change TEXT NOT NULL DEFAULT 'create'
  CHECK (change IN ('create', 'amend', 'cancel', 'delegate', 'transfer'));
UPDATE power_items SET change = 'amend' WHERE version > 1;
ALTER TABLE power_items ADD COLUMN target_department_id BIGINT REFERENCES departments (id);
ALTER TABLE power_items ADD COLUMN authorization_id BIGINT REFERENCES authorizations (id);
ALTER TABLE power_items ADD COLUMN cancelled_on TEXT;

-- The items published before this migration.
INSERT INTO power_public (item_id, department_id, jurisdiction_id, code, name, category, sector,
                          version, snapshot, published_at_us)
SELECT i.id, i.department_id, d.jurisdiction_id, v.snapshot::json ->> 'code',
       v.snapshot::json ->> 'name', v.snapshot::json ->> 'category',
       v.snapshot::json ->> 'sector', i.published_version, v.snapshot, v.saved_at_us
FROM power_items i
JOIN departments d ON d.id = i.department_id
JOIN power_item_versions v ON v.item_id = i.id AND v.version = i.published_version
WHERE i.published_version IS NOT NULL;
