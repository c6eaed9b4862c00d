-- 0005 signed checkpoints of the full-process record (全过程记录), and the
-- record made append-only by the database itself.
--
-- A checkpoint is a tree size with the root of the tree of that size and the
-- time it was taken, signed by the deployment's key (record/checkpoint.hpp).
-- One checkpoint per size: signing the same size again adds nothing. Roots and
-- signatures are lower-case hex.

CREATE TABLE record_checkpoints (
  size BIGINT PRIMARY KEY,
  root TEXT NOT NULL,
  at_us BIGINT NOT NULL,
  algorithm TEXT NOT NULL,             -- hash: 'sha256' | 'sm3'
  signature_algorithm TEXT NOT NULL,   -- 'ed25519' | 'sm2'
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);

-- No code path of ours changes or removes an entry, a node or a checkpoint;
-- the triggers make a stray statement fail too. (Someone with the database
-- file can drop them: that is what `xzzf record verify` and the checkpoints
-- kept outside the database are for.)
CREATE TRIGGER record_entries_no_update BEFORE UPDATE ON record_entries
BEGIN
  SELECT RAISE(ABORT, 'record_entries is append-only');
END;
CREATE TRIGGER record_entries_no_delete BEFORE DELETE ON record_entries
BEGIN
  SELECT RAISE(ABORT, 'record_entries is append-only');
END;
CREATE TRIGGER record_nodes_no_update BEFORE UPDATE ON record_nodes
BEGIN
  SELECT RAISE(ABORT, 'record_nodes is append-only');
END;
CREATE TRIGGER record_nodes_no_delete BEFORE DELETE ON record_nodes
BEGIN
  SELECT RAISE(ABORT, 'record_nodes is append-only');
END;
CREATE TRIGGER record_checkpoints_no_update BEFORE UPDATE ON record_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'record_checkpoints is append-only');
END;
CREATE TRIGGER record_checkpoints_no_delete BEFORE DELETE ON record_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'record_checkpoints is append-only');
END;
