-- 0006 the record's keys are integers, and its lists by scope are indexed.
--
-- SQLite's BIGINT PRIMARY KEY accepts NULL, a fraction or text as given; the
-- append-only triggers of 0005 stop changes and deletions but not such an
-- insert. These refuse it (someone with the file can drop them too: the
-- verifier reads every key as text and reports what it finds).
CREATE TRIGGER record_entries_integer_seq BEFORE INSERT ON record_entries
WHEN typeof(NEW.seq) <> 'integer' OR NEW.seq < 0
BEGIN
  SELECT RAISE(ABORT, 'record_entries.seq must be a non-negative integer');
END;
CREATE TRIGGER record_nodes_integer_key BEFORE INSERT ON record_nodes
WHEN typeof(NEW.level) <> 'integer' OR typeof(NEW.idx) <> 'integer' OR NEW.idx < 0
BEGIN
  SELECT RAISE(ABORT, 'record_nodes (level, idx) must be non-negative integers');
END;
CREATE TRIGGER record_checkpoints_integer_size BEFORE INSERT ON record_checkpoints
WHEN typeof(NEW.size) <> 'integer' OR NEW.size < 1
BEGIN
  SELECT RAISE(ABORT, 'record_checkpoints.size must be a positive integer');
END;

-- The record browser lists a department's or a jurisdiction's entries,
-- newest first.
CREATE INDEX record_entries_department ON record_entries (department_id, seq);
CREATE INDEX record_entries_jurisdiction ON record_entries (jurisdiction_id, seq);
