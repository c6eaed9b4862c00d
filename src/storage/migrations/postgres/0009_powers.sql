-- 0009 the power and responsibility list (权责清单).
--
-- power_items holds each item's current content; power_item_versions a
-- snapshot (JSON) of every version, kept for the diff; power_item_bases the
-- current bases, each naming the norm version it was checked against, which
-- is the dependency index: a later version that changed or removed the
-- article, or the norm's repeal, puts the item on its department's revision
-- list. power_item_reviews is the review trail (submit, return, approve,
-- publish, amend), every step also on the record.
CREATE TABLE power_items (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
                                         'published')),
  version BIGINT NOT NULL,
  published_version BIGINT,
  last_comment TEXT NOT NULL DEFAULT '',
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  UNIQUE (department_id, code)
);
CREATE INDEX power_items_status ON power_items (department_id, status);

CREATE TABLE power_item_versions (
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  saved_at_us BIGINT NOT NULL,
  PRIMARY KEY (item_id, version)
);

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

CREATE TABLE power_item_reviews (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES power_items (id),
  version BIGINT NOT NULL,
  action TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  actor_user_id BIGINT,
  at_us BIGINT NOT NULL
);
CREATE INDEX power_item_reviews_item ON power_item_reviews (item_id, id);
