#pragma once

// Maps what SQLite and PostgreSQL report to the error catalog: constraint
// violations to kDbConflict, a full disk to kDbDiskFull, a lock that was not
// granted in time or a lost connection to kDbUnavailable, the rest to kDbError.
// The detail is the database's own message, never a bound value.

#include <string_view>

#include "core/result.hpp"

namespace xzzf::storage::internal {

// `code` is an extended SQLite result code (e.g. 2067, SQLITE_CONSTRAINT_UNIQUE).
[[nodiscard]] Error sqlite_error(int code, std::string_view message);

// `sqlstate` is the five-character SQLSTATE; empty when the connection failed
// before the server answered.
[[nodiscard]] Error pg_error(std::string_view sqlstate, std::string_view message);

// The primary message of a libpq error text ("ERROR:  duplicate key … \nDETAIL: …"):
// the first line without its severity, since DETAIL and CONTEXT lines quote
// the values of the row.
[[nodiscard]] std::string pg_primary_message(std::string_view libpq_message);

// True when a PostgreSQL error means the connection is gone or unusable.
[[nodiscard]] bool pg_connection_lost(std::string_view sqlstate);

}  // namespace xzzf::storage::internal
