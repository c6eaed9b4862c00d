-- 0001 core: the security audit trail (审计日志). Logins, refusals and views of
-- personal data, which the auditor reads; not the tamper-evident record.
-- Instants are microseconds since the Unix epoch (UTC).

CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

-- Append-only, enforced by the database itself. Statement-level triggers, so
-- that even an UPDATE or DELETE that matches no row is refused, and TRUNCATE
-- (which row triggers do not see) too.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
