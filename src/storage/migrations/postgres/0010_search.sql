-- 0010 search (检索): the index of search/index.hpp, one definition of a match.
--
-- search_docs holds each document's fields, normalized (NFKC + case folding)
-- and joined with a line feed, per document family (kind, e.g. power_item),
-- with two GIN indexes:
--   - pg_trgm's trigrams of the text, for queries of 3 or more characters
--     (text LIKE '%…%', exact; the cluster must be initialised with a UTF-8
--     locale such as C.UTF-8, or pg_trgm extracts nothing from Chinese);
--   - chars, the distinct characters of the text as code points
--     (search::chars(): the unigrams of search::grams()), for queries of 1
--     character (exact) and of 2 (both characters, then LIKE on the text),
--     which no trigram can serve.
-- SQLite's table of every unigram and bigram, (kind, gram, doc_id) rows, took
-- 1.4 GB for 100,000 items here; these arrays and their index a fraction.
-- Both indexes without GIN's pending list (fastupdate = off): every query
-- would otherwise read the whole list until VACUUM merges it, and the planner
-- plans around it.
--
-- pg_trgm is a trusted extension: the database owner may create it. Where it
-- exists already it may live in a schema outside the search_path (tests run
-- in a schema of their own), so the operator class is named with the
-- extension's schema.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_docs (
  kind TEXT NOT NULL,
  doc_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  chars INTEGER[] NOT NULL,
  PRIMARY KEY (kind, doc_id)
);

CREATE INDEX search_docs_chars ON search_docs USING gin (chars) WITH (fastupdate = off);

DO $$
DECLARE
  trgm_schema TEXT;
BEGIN
  SELECT n.nspname INTO STRICT trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX search_docs_trgm ON search_docs '
                 'USING gin (text %I.gin_trgm_ops) WITH (fastupdate = off)', trgm_schema);
END
$$;
