#pragma once

// SQL text helpers shared by the dialects.

#include <cstddef>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace xzzf::storage::internal {

struct RewrittenSql {
  std::string text;
  std::size_t placeholders = 0;
  bool several_statements = false;  // something follows a ';'
};

// Rewrites each `?` placeholder to SOCI's named form `:p1`, `:p2`, … Question
// marks inside '…' literals, "…" identifiers and comments are left alone.
// Also notes whether the text holds more than one statement.
[[nodiscard]] RewrittenSql rewrite_placeholders(std::string_view sql);

// True for a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*), which may be
// spliced into SQL text (e.g. the id column of insert()).
[[nodiscard]] bool is_identifier(std::string_view name);

// The text without trailing white space and semicolons.
[[nodiscard]] std::string_view trim_statement_end(std::string_view sql);

// Text that both databases store as given: valid UTF-8 without NUL bytes
// (PostgreSQL refuses the one and cannot hold the other; SQLite would take
// both, and a test passing on SQLite only would mislead).
[[nodiscard]] bool is_storable_text(std::string_view text);

// kDbError naming the first parameter that is not storable text, else nothing.
[[nodiscard]] Result<void> check_params(const Params& params);

}  // namespace xzzf::storage::internal
