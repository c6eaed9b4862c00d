-- 0010 search (检索): the index of search/index.hpp, one definition of a match.
--
-- search_docs holds each document's fields, normalized (NFKC + case folding)
-- and joined with a line feed, per document family (kind, e.g. power_item).
-- search_fts indexes that text by trigrams for queries of 3 or more
-- characters: an external-content FTS5 table kept in step by the triggers
-- below, without positions (detail=none: the query ANDs its trigrams and
-- checks every candidate against search_docs.text), case-sensitive because
-- the text is folded already. search_grams holds every distinct unigram and
-- bigram of a document for queries of 1 or 2 characters, for which the
-- trigram tokenizer finds nothing. search_docs has an INTEGER PRIMARY KEY of
-- its own because FTS5 refers to rows by rowid, which VACUUM may renumber
-- otherwise.
CREATE TABLE search_docs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  doc_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (kind, doc_id)
);

CREATE VIRTUAL TABLE search_fts USING fts5 (
  text,
  content = 'search_docs',
  content_rowid = 'id',
  tokenize = 'trigram case_sensitive 1',
  detail = none
);

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE search_grams (
  kind TEXT NOT NULL,
  gram TEXT NOT NULL,
  doc_id BIGINT NOT NULL,
  PRIMARY KEY (kind, gram, doc_id)
) WITHOUT ROWID;
