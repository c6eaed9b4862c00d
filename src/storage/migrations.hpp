#pragma once

// The schema migrations compiled into the binary: numbered files
// src/storage/migrations/<sqlite|postgres>/NNNN_name.sql, embedded by
// cmake/embed.cmake. Both dialects carry the same versions with the same
// names. A file may hold several statements (triggers included) and runs in
// one transaction together with its schema_migrations row, so it must not
// contain BEGIN or COMMIT itself. A shipped file is never edited: its checksum
// is recorded when applied and checked at every start.

#include <string>
#include <string_view>
#include <vector>

#include "core/embedded.hpp"
#include "storage/database.hpp"

namespace xzzf::embedded {
// Generated from the files of src/storage/migrations/ (storage/CMakeLists.txt).
const std::vector<File>& migration_files();
}  // namespace xzzf::embedded

namespace xzzf::storage {

struct Migration {
  int version = 0;
  std::string name;      // "core" for 0001_core.sql
  std::string_view sql;  // the file's bytes, embedded
  std::string checksum;  // of the bytes; hex
};

// The migrations of one dialect, by version, from `files` (the embedded ones
// by default). Refuses a badly named file, a gap in the numbers, or dialects
// that disagree on versions or names (kMigrationFailed).
[[nodiscard]] Result<std::vector<Migration>> migrations_for(
    Dialect dialect, const std::vector<embedded::File>& files = embedded::migration_files());

// The checksum recorded for a migration's bytes (64-bit FNV-1a, hex): enough
// to notice an edit, which is all it is for.
[[nodiscard]] std::string migration_checksum(std::string_view bytes);

}  // namespace xzzf::storage
