-- 0003 accounts: users with their fixed roles (an account may hold several; a
-- 三员 role only alone), server-side sessions (only the token's hash is
-- stored), bearer tokens for service accounts, and login failures counted per
-- user name (known or not, so that lockout reveals nothing).

CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,                  -- argon2id (libsodium) string; NULL for service accounts
  must_change_password INTEGER NOT NULL DEFAULT 1,
  password_changed_at_us BIGINT,
  department_id BIGINT REFERENCES departments (id),
  jurisdiction_id BIGINT REFERENCES jurisdictions (id),
  is_service INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);

CREATE TABLE user_roles (
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL,
  granted_by BIGINT REFERENCES users (id),
  granted_at_us BIGINT NOT NULL,
  PRIMARY KEY (user_id, role)
);

CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at_us BIGINT NOT NULL,
  locked_until_us BIGINT
);

CREATE TABLE sessions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 of the cookie value
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at_us BIGINT NOT NULL,
  last_seen_at_us BIGINT NOT NULL,
  ended_at_us BIGINT,
  end_reason TEXT,                     -- 'logout', 'idle', 'password_changed', 'disabled'
  remote_addr TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_us BIGINT NOT NULL,
  last_used_at_us BIGINT,
  revoked_at_us BIGINT
);
