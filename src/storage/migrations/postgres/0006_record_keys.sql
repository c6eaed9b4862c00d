-- 0006 the record's lists by scope are indexed. (The integer keys that the
-- SQLite version of this migration enforces with triggers are enforced here
-- by the column types and NOT NULL primary keys themselves.)
CREATE INDEX record_entries_department ON record_entries (department_id, seq);
CREATE INDEX record_entries_jurisdiction ON record_entries (jurisdiction_id, seq);
