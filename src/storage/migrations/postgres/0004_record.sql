-- 0004 the full-process record (全过程记录): one RFC 9162 Merkle tree per
-- deployment. record_head is its single head row (size = number of entries,
-- algorithm = 'sha256' or 'sm3', fixed while the tree is empty); every append
-- locks it, so sequence numbers are global and gap-free and never come from a
-- SERIAL or identity column (a rollback would leave a gap). record_entries
-- holds each entry's fields with its leaf hash; record_nodes holds the hash of
-- every COMPLETE subtree (level, idx) = leaves [idx·2^level, (idx+1)·2^level),
-- level 0 being the leaf hashes. Hashes are 64 lower-case hex digits.

CREATE TABLE record_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size BIGINT NOT NULL,
  algorithm TEXT NOT NULL CHECK (algorithm IN ('sha256', 'sm3'))
);
INSERT INTO record_head (id, size, algorithm) VALUES (1, 0, 'sha256');

CREATE TABLE record_entries (
  seq BIGINT PRIMARY KEY,              -- 0, 1, 2, … without gaps
  at_us BIGINT NOT NULL,
  actor_user_id BIGINT,
  jurisdiction_id BIGINT,
  department_id BIGINT,
  subject_type TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  payload TEXT NOT NULL,               -- canonical JSON (record/entry.hpp)
  leaf_hash TEXT NOT NULL
);
CREATE INDEX record_entries_subject ON record_entries (subject_type, subject_id);
CREATE INDEX record_entries_actor ON record_entries (actor_user_id, at_us);
CREATE INDEX record_entries_at ON record_entries (at_us);

CREATE TABLE record_nodes (
  level INTEGER NOT NULL,
  idx BIGINT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (level, idx)
);
