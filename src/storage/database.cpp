#include "storage/database.hpp"

#include <soci/connection-pool.h>
#include <soci/session.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

#include "core/time.hpp"
#include "storage/internal/session.hpp"
#include "storage/migrations.hpp"

namespace xzzf::storage {
namespace {

// The key of the advisory lock that serializes migrations on PostgreSQL
// ("xzzfmigr" in ASCII).
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(8681407452432230770)";

constexpr std::string_view kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
    "applied_at_us BIGINT NOT NULL)";

constexpr int kMaxPoolSize = 1000;

// The Databases on which the calling thread has a transaction open: a second
// one on the same Database would wait for a connection that this thread
// itself holds once the pool runs dry.
thread_local std::vector<const Database*> t_open_transactions;

class OpenTransaction {
 public:
  explicit OpenTransaction(const Database* db) : db_(db) { t_open_transactions.push_back(db); }
  OpenTransaction(const OpenTransaction&) = delete;
  OpenTransaction& operator=(const OpenTransaction&) = delete;
  ~OpenTransaction() {
    auto it = std::find(t_open_transactions.begin(), t_open_transactions.end(), db_);
    if (it != t_open_transactions.end()) t_open_transactions.erase(it);
  }

 private:
  const Database* db_;
};

// Gives a leased slot back to the pool.
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::size_t slot) : pool_(pool), slot_(slot) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { pool_.give_back(slot_); }

 private:
  soci::connection_pool& pool_;
  std::size_t slot_;
};

// Database over a soci::connection_pool, one internal::Session per slot.
class PooledDatabase final : public Database {
 public:
  PooledDatabase(DbUrl url, const Options& options, std::size_t size)
      : url_(std::move(url)), options_(options), pool_(size) {}

  Result<void> connect() {
    for (std::size_t i = 0; i < sessions_capacity(); ++i) {
      auto s = url_.dialect == Dialect::kSqlite
                   ? internal::open_sqlite_session(pool_.at(i), url_, options_)
                   : internal::open_pg_session(pool_.at(i), url_);
      if (!s) return tl::unexpected(s.error());
      sessions_.push_back(std::move(*s));
    }
    return {};
  }

  [[nodiscard]] Dialect dialect() const override { return url_.dialect; }

  Result<void> ping() override {
    return read([](Tx& tx) -> Result<void> {
      auto r = tx.query("SELECT 1");
      if (!r) return tl::unexpected(r.error());
      return {};
    });
  }

  Result<int> migrate() override;
  Result<MigrationStatus> migration_status() override;

 protected:
  Result<void> transact(TxKind kind, const std::function<bool(Tx&)>& body) override {
    return on_session(kind, [&](internal::Session& s) { return body(s); });
  }

 private:
  std::size_t sessions_capacity() const {
    return url_.sqlite_path == ":memory:" ? 1 : static_cast<std::size_t>(options_.pool_size);
  }

  Result<void> on_session(TxKind kind, const std::function<bool(internal::Session&)>& body);

  DbUrl url_;
  Options options_;
  // SQLite has one writer at a time: writers of this process queue here, in
  // order and without holding a connection, instead of polling the file lock
  // in SQLite's busy handler. BEGIN IMMEDIATE still guards against other
  // processes.
  std::timed_mutex sqlite_writer_;
  // Declared before sessions_, which refer to its sessions and so go first.
  soci::connection_pool pool_;
  std::vector<std::unique_ptr<internal::Session>> sessions_;
};

Result<void> PooledDatabase::on_session(TxKind kind,
                                        const std::function<bool(internal::Session&)>& body) {
  if (std::find(t_open_transactions.begin(), t_open_transactions.end(), this) !=
      t_open_transactions.end()) {
    return fail(ErrorCode::kDbError, field("detail", "同一线程在事务中又开启了事务"));
  }
  std::unique_lock writer(sqlite_writer_, std::defer_lock);
  if (kind == TxKind::kWrite && url_.dialect == Dialect::kSqlite &&
      !writer.try_lock_for(std::chrono::milliseconds(options_.busy_timeout_ms))) {
    return fail(ErrorCode::kDbUnavailable,
                field("detail", fmt::format("{} 毫秒内未能获得写锁", options_.busy_timeout_ms)));
  }
  std::size_t slot = 0;
  if (!pool_.try_lease(slot, options_.lease_timeout_ms)) {
    return fail(
        ErrorCode::kDbUnavailable,
        field("detail", fmt::format("{} 毫秒内没有空闲的数据库连接", options_.lease_timeout_ms)));
  }
  Lease lease(pool_, slot);
  OpenTransaction open(this);
  internal::Session& s = *sessions_[slot];

  // A connection that broke in an earlier transaction, or while idle (the
  // server restarted), is reopened before use; BEGIN is retried once on a
  // fresh connection since nothing has happened yet.
  if (s.broken()) {
    spdlog::warn("storage: reconnecting to {}", url_.redacted());
    if (auto r = s.reconnect(); !r) return r;
  }
  auto begun = s.begin(kind);
  if (!begun && s.broken()) {
    spdlog::warn("storage: connection lost, reconnecting to {}", url_.redacted());
    if (auto r = s.reconnect(); !r) return r;
    begun = s.begin(kind);
  }
  if (!begun) {
    s.rollback();
    return begun;
  }

  bool ok = false;
  try {
    ok = body(s);
  } catch (...) {
    s.rollback();
    throw;
  }
  if (s.spoiled()) {
    Error e = *s.spoiled();
    s.rollback();
    return tl::unexpected(std::move(e));
  }
  if (!ok) {
    s.rollback();
    return {};
  }
  if (auto committed = s.commit(); !committed) {
    s.rollback();
    return committed;
  }
  return {};
}

Result<int> PooledDatabase::migrate() {
  auto migrations = migrations_for(url_.dialect);
  if (!migrations) return tl::unexpected(migrations.error());
  const int latest = migrations->empty() ? 0 : migrations->back().version;

  // One transaction per migration: lock, look at what is applied, apply the
  // next one. Another process migrating at the same time waits on the lock
  // and then finds the work done.
  int ran = 0;
  for (;;) {
    std::optional<Error> failure;
    const Migration* applied_now = nullptr;
    auto status = on_session(TxKind::kWrite, [&](internal::Session& s) {
      auto note = [&](Error e) {
        failure = std::move(e);
        return false;
      };
      if (url_.dialect == Dialect::kPostgres) {
        if (auto r = s.exec(kMigrationLock); !r) return note(r.error());
      }
      if (auto r = s.exec(kCreateSchemaMigrations); !r) return note(r.error());
      auto rows = s.query("SELECT version, checksum FROM schema_migrations ORDER BY version");
      if (!rows) return note(rows.error());
      std::set<int> applied;
      for (const Row& row : *rows) {
        const auto version = static_cast<int>(row.i64(0));
        if (version > latest) {
          return note(make_error(ErrorCode::kMigrationNewerSchema, field("found", version),
                                 field("supported", latest)));
        }
        if (version < 1) {
          return note(make_error(ErrorCode::kMigrationFailed, field("version", version),
                                 field("detail", "schema_migrations 中有无效的版本号")));
        }
        // Versions run from 1 without gaps (migrations_for checks).
        const Migration& m = (*migrations)[static_cast<std::size_t>(version - 1)];
        if (row.text(1) != m.checksum) {
          return note(make_error(ErrorCode::kMigrationFailed, field("version", version),
                                 field("detail", "已执行的迁移文件被修改过（校验值不符）")));
        }
        applied.insert(version);
      }
      auto next = std::find_if(migrations->begin(), migrations->end(),
                               [&](const Migration& m) { return !applied.contains(m.version); });
      if (next == migrations->end()) return true;
      if (auto r = s.exec_script(next->sql); !r) {
        return note(make_error(ErrorCode::kMigrationFailed, field("version", next->version),
                               field("detail", r.error().message)));
      }
      auto recorded = s.exec(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at_us) "
          "VALUES (?, ?, ?, ?)",
          {next->version, next->name, next->checksum, SystemClock().now().micros});
      if (!recorded) return note(recorded.error());
      applied_now = &*next;
      return true;
    });
    if (failure) return tl::unexpected(std::move(*failure));
    if (!status) return tl::unexpected(status.error());
    if (applied_now == nullptr) return ran;
    spdlog::info("storage: applied migration {:04}_{}", applied_now->version, applied_now->name);
    ++ran;
  }
}

Result<MigrationStatus> PooledDatabase::migration_status() {
  auto migrations = migrations_for(url_.dialect);
  if (!migrations) return tl::unexpected(migrations.error());
  MigrationStatus out;
  out.latest = migrations->empty() ? 0 : migrations->back().version;
  auto current = read([&](Tx& tx) -> Result<int> {
    auto exists =
        tx.query_one(url_.dialect == Dialect::kSqlite
                         ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'schema_migrations'"
                         : "SELECT COUNT(*) FROM pg_catalog.pg_class c JOIN "
                           "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
                           "c.relname = 'schema_migrations' AND n.nspname = current_schema()");
    if (!exists) return tl::unexpected(exists.error());
    if ((*exists)->i64(0) == 0) return 0;
    auto max = tx.query_one("SELECT MAX(version) FROM schema_migrations");
    if (!max) return tl::unexpected(max.error());
    return static_cast<int>((*max)->opt_i64(0).value_or(0));
  });
  if (!current) return tl::unexpected(current.error());
  out.current = *current;
  return out;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const DbUrl& url, const Options& options) {
  if (options.pool_size < 1 || options.pool_size > kMaxPoolSize) {
    return fail(ErrorCode::kConfigInvalid, field("key", "db.pool_size"),
                field("detail", fmt::format("应为 1 至 {}", kMaxPoolSize)));
  }
  if (options.busy_timeout_ms < 0) {
    return fail(ErrorCode::kConfigInvalid, field("key", "db.busy_timeout_ms"),
                field("detail", "不能为负"));
  }
  if (options.lease_timeout_ms < 0) {
    return fail(ErrorCode::kConfigInvalid, field("key", "db.lease_timeout_ms"),
                field("detail", "不能为负"));
  }
  const std::size_t size =
      url.sqlite_path == ":memory:" ? 1 : static_cast<std::size_t>(options.pool_size);
  auto db = std::make_unique<PooledDatabase>(url, options, size);
  if (auto r = db->connect(); !r) return tl::unexpected(r.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace xzzf::storage
