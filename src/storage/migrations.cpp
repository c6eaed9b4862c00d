#include "storage/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace xzzf::storage {
namespace {

constexpr std::string_view kDirectory = "src/storage/migrations/";

tl::unexpected<Error> bad(int version, std::string detail) {
  return fail(ErrorCode::kMigrationFailed, field("version", version),
              field("detail", std::move(detail)));
}

// "0001_core.sql" → {1, "core"}.
std::optional<std::pair<int, std::string>> parse_file_name(std::string_view file) {
  if (file.size() < 10 || !file.ends_with(".sql") || file[4] != '_') return std::nullopt;
  int version = 0;
  auto [ptr, ec] = std::from_chars(file.data(), file.data() + 4, version);
  if (ec != std::errc{} || ptr != file.data() + 4 || version < 1) return std::nullopt;
  std::string_view name = file.substr(5, file.size() - 9);
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return std::nullopt;
  }
  return std::pair{version, std::string(name)};
}

}  // namespace

std::string migration_checksum(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

Result<std::vector<Migration>> migrations_for(Dialect dialect,
                                              const std::vector<embedded::File>& files) {
  // dialect folder → version → migration
  std::map<std::string, std::map<int, Migration>> by_dialect;
  for (const auto& f : files) {
    std::string_view path = f.path;
    if (!path.starts_with(kDirectory))
      return bad(0, "迁移文件不在 " + std::string(kDirectory) + "：" + std::string(path));
    path.remove_prefix(kDirectory.size());
    auto slash = path.find('/');
    if (slash == std::string_view::npos)
      return bad(0, "迁移文件须在方言目录下：" + std::string(f.path));
    std::string folder(path.substr(0, slash));
    if (folder != "sqlite" && folder != "postgres") return bad(0, "未知的方言目录：" + folder);
    auto parsed = parse_file_name(path.substr(slash + 1));
    if (!parsed) return bad(0, "迁移文件名应为 NNNN_name.sql：" + std::string(f.path));
    auto [it, inserted] = by_dialect[folder].emplace(
        parsed->first,
        Migration{parsed->first, parsed->second, f.bytes, migration_checksum(f.bytes)});
    if (!inserted) return bad(parsed->first, "版本号重复：" + std::string(f.path));
  }
  const auto& sqlite = by_dialect["sqlite"];
  const auto& postgres = by_dialect["postgres"];
  int expected = 1;
  for (const auto& [version, m] : sqlite) {
    if (version != expected) return bad(expected, "sqlite 迁移缺少此版本");
    ++expected;
  }
  if (sqlite.size() != postgres.size()) return bad(0, "sqlite 与 postgres 的迁移数目不同");
  for (const auto& [version, m] : sqlite) {
    auto other = postgres.find(version);
    if (other == postgres.end()) return bad(version, "postgres 迁移缺少此版本");
    if (other->second.name != m.name) return bad(version, "两种方言的迁移名称不同");
  }
  const auto& chosen = dialect == Dialect::kSqlite ? sqlite : postgres;
  std::vector<Migration> out;
  out.reserve(chosen.size());
  for (const auto& [version, m] : chosen) out.push_back(m);
  return out;
}

}  // namespace xzzf::storage
