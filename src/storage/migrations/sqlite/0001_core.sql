-- 0001 core: the security audit trail (审计日志). Logins, refusals and views of
-- personal data, which the auditor reads; not the tamper-evident record.
-- Instants are microseconds since the Unix epoch (UTC).

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at_us BIGINT NOT NULL,
  event TEXT NOT NULL,                 -- 'http.refused', 'auth.login', …
  actor_user_id BIGINT,
  actor TEXT NOT NULL DEFAULT '',      -- user name, or 'anonymous'
  remote_addr TEXT,
  method TEXT,
  path TEXT,
  status INTEGER,
  code TEXT,                           -- error catalog code
  detail TEXT,                         -- JSON text
  request_id TEXT
);

CREATE INDEX audit_events_at_us ON audit_events (at_us);
CREATE INDEX audit_events_event ON audit_events (event, at_us);

-- Append-only, enforced by the database itself: no code path of ours (nor a
-- stray statement in a console) can change or remove an event.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
