#pragma once

// Accounts, sessions and tokens as the service and the routes see them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/caller.hpp"
#include "core/page.hpp"
#include "core/time.hpp"

namespace xzzf::auth {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::vector<Role> roles;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> department_name;
  std::optional<std::int64_t> jurisdiction_id;  // the account's own, else its department's
  std::string status = "active";                // active | disabled
  bool must_change_password = true;
  bool locked = false;
  bool is_service = false;
};

// A user as stored, with what only the service may see.
struct UserRecord {
  User user;
  std::optional<std::string> password_hash;
  std::optional<std::int64_t> password_changed_at_us;
  std::optional<std::int64_t> department_jurisdiction_id;
};

struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t last_seen_at_us = 0;
  bool ended = false;
};

struct LoginFailures {
  int failures = 0;
  std::int64_t first_failure_at_us = 0;
  std::optional<std::int64_t> locked_until_us;
};

struct UserQuery {
  std::optional<std::string> q;
  std::optional<std::int64_t> department_id;
  PageRequest page;
};

struct AuditQuery {
  std::optional<std::string> event;
  std::optional<std::string> actor;
  std::optional<Instant> from;  // inclusive
  std::optional<Instant> to;    // exclusive
  PageRequest page;
};

struct AuditItem {
  std::int64_t id = 0;
  Instant at;
  std::string event;
  std::string actor;
  std::optional<std::string> remote_addr;
  std::optional<std::string> method;
  std::optional<std::string> path;
  std::optional<std::int64_t> status;
  std::optional<std::string> code;
  std::optional<std::string> detail;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> jurisdiction_id;
  bool is_service = false;
};

struct UserChanges {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::int64_t>> department_id;  // set (possibly to none)
  std::optional<std::string> status;
};

// Where a request came from, for the audit trail.
struct Origin {
  std::string remote_addr;
  std::string request_id;
  std::string method;
  std::string path;
};

}  // namespace xzzf::auth
