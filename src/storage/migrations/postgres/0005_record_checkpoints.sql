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
-- can drop them: that is what `xzzf record verify` and the checkpoints kept
-- outside the database are for.)
CREATE FUNCTION record_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER record_entries_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON record_entries
  FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_nodes_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON record_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_checkpoints_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON record_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();
