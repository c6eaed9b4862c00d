#include "storage/internal/errors.hpp"

#include <string>

namespace xzzf::storage::internal {
namespace {

// SQLite result codes (sqlite3.h), repeated here so that this file needs no
// SQLite header.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteConstraintForeignKey = kSqliteConstraint | (3 << 8);
constexpr int kSqliteConstraintPrimaryKey = kSqliteConstraint | (6 << 8);
constexpr int kSqliteConstraintUnique = kSqliteConstraint | (8 << 8);

bool mentions_no_space(std::string_view message) {
  return message.find("No space left") != std::string_view::npos ||
         message.find("database or disk is full") != std::string_view::npos;
}

Error db_error(ErrorCode code, std::string_view detail) {
  return make_error(code, field("detail", std::string(detail)));
}

// Messages of class 22 (data exception) quote the offending input, e.g.
// `invalid input syntax for type bigint: "abc"`: drop the quoted parts.
std::string without_quoted(std::string_view message) {
  std::string out;
  bool quoted = false;
  for (char c : message) {
    if (c == '"') {
      if (!quoted) out += "\"…\"";
      quoted = !quoted;
    } else if (!quoted) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Error sqlite_error(int code, std::string_view message) {
  const int primary = code & 0xff;
  if (code == kSqliteConstraintUnique || code == kSqliteConstraintPrimaryKey ||
      code == kSqliteConstraintForeignKey) {
    return db_error(ErrorCode::kDbConflict, message);
  }
  if (primary == kSqliteFull || (primary == kSqliteIoErr && mentions_no_space(message))) {
    return make_error(ErrorCode::kDbDiskFull);
  }
  if (primary == kSqliteBusy || primary == kSqliteLocked || primary == kSqliteCantOpen) {
    return db_error(ErrorCode::kDbUnavailable, message);
  }
  return db_error(ErrorCode::kDbError, message);
}

bool pg_connection_lost(std::string_view sqlstate) {
  // Class 08: connection exception; 57P01-57P03: the server is shutting down
  // or starting; empty: libpq failed before a server answer.
  return sqlstate.empty() || sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

Error pg_error(std::string_view sqlstate, std::string_view message) {
  if (sqlstate == "23505" || sqlstate == "23503" || sqlstate == "40001" || sqlstate == "40P01") {
    return db_error(ErrorCode::kDbConflict, message);
  }
  if (sqlstate == "53100" || mentions_no_space(message)) return make_error(ErrorCode::kDbDiskFull);
  if (pg_connection_lost(sqlstate) || sqlstate == "53300" || sqlstate == "55P03" ||
      sqlstate == "57014") {
    return db_error(ErrorCode::kDbUnavailable, message);
  }
  if (sqlstate.substr(0, 2) == "22") return db_error(ErrorCode::kDbError, without_quoted(message));
  return db_error(ErrorCode::kDbError, message);
}

std::string pg_primary_message(std::string_view text) {
  // libpq prefixes the severity ("ERROR:  ", "FATAL:  "); SOCI adds its own
  // words before that.
  for (std::string_view severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    if (auto at = text.find(severity); at != std::string_view::npos) {
      text.remove_prefix(at + severity.size());
      break;
    }
  }
  if (auto nl = text.find('\n'); nl != std::string_view::npos) text = text.substr(0, nl);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace xzzf::storage::internal
