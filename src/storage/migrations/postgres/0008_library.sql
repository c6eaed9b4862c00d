-- 0008 the legal library (法律法规库): norms, their versions and articles.
--
-- A norm is one law, regulation, rule or normative document through all its
-- versions; a version is its text as adopted or as amended on one date; an
-- article belongs to one version. change says how an article differs from
-- the previous version of its norm (new, changed, none): the power items
-- citing a changed article are flagged for revision. Texts are stored as
-- published, with their source; a text that could not be found is not
-- stored (never invented).
CREATE TABLE norms (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL UNIQUE,
  level TEXT NOT NULL CHECK (level IN ('law', 'admin_regulation', 'local_regulation',
                                       'dept_rule', 'local_gov_rule', 'normative_doc')),
  issuer TEXT NOT NULL DEFAULT '',
  doc_number TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL,
  adopted_on TEXT,
  repealed_on TEXT,
  created_at_us BIGINT NOT NULL
);

CREATE TABLE norm_versions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  norm_id BIGINT NOT NULL REFERENCES norms (id),
  version_date TEXT NOT NULL,
  effective_on TEXT,
  kind TEXT NOT NULL,
  history TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  article_count BIGINT NOT NULL,
  removed_articles TEXT NOT NULL DEFAULT '',  -- labels, separated by '、'
  changed_count BIGINT NOT NULL DEFAULT 0,
  created_at_us BIGINT NOT NULL,
  UNIQUE (norm_id, version_date)
);

CREATE TABLE norm_articles (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version_id BIGINT NOT NULL REFERENCES norm_versions (id),
  number BIGINT NOT NULL,
  sub BIGINT NOT NULL DEFAULT 0,
  label TEXT NOT NULL,
  chapter TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  change TEXT NOT NULL DEFAULT 'none' CHECK (change IN ('none', 'new', 'changed')),
  UNIQUE (version_id, number, sub)
);
