// SQLite through SOCI's sqlite3 backend for the connection, and through the
// native API for statements: SOCI 4.0 types a column by its declared type and
// reads an INTEGER column as a 32-bit int, which would truncate our int64 ids
// and instants; the native API reports each value's own storage class.

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <map>
#include <string>
#include <utility>

#include "storage/internal/errors.hpp"
#include "storage/internal/session.hpp"
#include "storage/internal/sql.hpp"

namespace xzzf::storage::internal {
namespace {

// soci-sqlite3.h declares the C API inside namespace sqlite_api; SQLITE_STATIC
// names this type unqualified.
using sqlite_api::sqlite3_destructor_type;
namespace sq = sqlite_api;

// A prepared statement lent out of the session's cache for one call: reset
// and its bindings cleared when the call is done, so that it holds no read
// lock and points at no caller's memory while it waits in the cache.
class Lent {
 public:
  explicit Lent(sq::sqlite3_stmt* stmt) : stmt_(stmt) {}
  Lent(const Lent&) = delete;
  Lent& operator=(const Lent&) = delete;
  ~Lent() {
    sq::sqlite3_reset(stmt_);
    sq::sqlite3_clear_bindings(stmt_);
  }
  [[nodiscard]] sq::sqlite3_stmt* get() const { return stmt_; }

 private:
  sq::sqlite3_stmt* stmt_;
};

// Finalizes a prepared statement.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sq::sqlite3_finalize(stmt_); }

  sq::sqlite3_stmt** out() { return &stmt_; }
  [[nodiscard]] sq::sqlite3_stmt* get() const { return stmt_; }
  // Gives up ownership.
  sq::sqlite3_stmt* release() { return std::exchange(stmt_, nullptr); }

 private:
  sq::sqlite3_stmt* stmt_ = nullptr;
};

// The native handle. SOCI does not export its backends' type information,
// which UBSan's vptr check would need to verify the downcast.
__attribute__((no_sanitize("vptr"))) sq::sqlite3* native_handle(soci::session& session) {
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

bool only_space(std::string_view s) {
  return trim_statement_end(s).find_first_not_of(" \t\r\n") == std::string_view::npos;
}

class SqliteSession final : public Session {
 public:
  SqliteSession(soci::session& session, const Database::Options& options, bool memory)
      : session_(session), busy_timeout_ms_(options.busy_timeout_ms), memory_(memory) {}
  ~SqliteSession() override { forget_statements(); }
  SqliteSession(const SqliteSession&) = delete;
  SqliteSession& operator=(const SqliteSession&) = delete;

  Result<void> setup() {
    sq::sqlite3* h = handle();
    sq::sqlite3_extended_result_codes(h, 1);
    sq::sqlite3_busy_timeout(h, busy_timeout_ms_);
    if (!memory_) {
      // WAL lets readers run beside the one writer.
      auto mode = query_text("PRAGMA journal_mode = WAL");
      if (!mode) return tl::unexpected(mode.error());
      if (*mode != "wal") {
        return fail(ErrorCode::kDbError, field("detail", "journal_mode 未能设为 WAL：" + *mode));
      }
    }
    for (const char* pragma : {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
      if (auto r = run(pragma); !r) return r;
    }
    return {};
  }

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    auto st = prepare(sql, params);
    if (!st) return tl::unexpected(st.error());
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sq::sqlite3_step((*st)->get());
    if (rc != SQLITE_DONE) return tl::unexpected(spoil(last_error(rc)));
    return static_cast<std::int64_t>(sq::sqlite3_changes64(handle()));
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    auto st = prepare(sql, params);
    if (!st) return tl::unexpected(st.error());
    sq::sqlite3_stmt* stmt = (*st)->get();
    const int columns = sq::sqlite3_column_count(stmt);
    std::vector<Row> rows;
    int rc = SQLITE_ROW;
    while ((rc = sq::sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) values.push_back(column(stmt, c));
      rows.emplace_back(std::move(values));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(spoil(last_error(rc)));
    return rows;
  }

  Result<std::int64_t> insert(std::string_view sql, const Params& params,
                              std::string_view /*id_column: the rowid alias*/) override {
    auto changed = exec(sql, params);
    if (!changed) return changed;
    return static_cast<std::int64_t>(sq::sqlite3_last_insert_rowid(handle()));
  }

  bool broken() override { return false; }

  Result<void> reconnect() override {
    forget_statements();
    try {
      session_.reconnect();
    } catch (const soci::soci_error& e) {
      return fail(ErrorCode::kDbUnavailable, field("detail", e.get_error_message()));
    }
    return setup();
  }

  Result<void> begin(TxKind kind) override {
    clear_spoiled();
    kind_ = kind;
    if (kind == TxKind::kWrite) return run("BEGIN IMMEDIATE");
    // A deferred BEGIN takes its snapshot at the first read and keeps it to
    // the end; query_only refuses writes as PostgreSQL's READ ONLY does.
    if (auto r = run("PRAGMA query_only = ON"); !r) return r;
    auto r = run("BEGIN");
    if (!r) (void)run("PRAGMA query_only = OFF");
    return r;
  }

  Result<void> commit() override {
    auto r = run("COMMIT");
    if (r && kind_ == TxKind::kRead) (void)run("PRAGMA query_only = OFF");
    return r;
  }

  void rollback() noexcept override {
    if (sq::sqlite3_get_autocommit(handle()) == 0) (void)run("ROLLBACK");
    if (kind_ == TxKind::kRead) (void)run("PRAGMA query_only = OFF");
  }

  Result<void> exec_script(std::string_view sql) override {
    char* message = nullptr;
    const std::string text(sql);
    const int rc = sq::sqlite3_exec(handle(), text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    Error e = sqlite_error(sq::sqlite3_extended_errcode(handle()),
                           message != nullptr ? message : sq::sqlite3_errmsg(handle()));
    sq::sqlite3_free(message);
    return tl::unexpected(spoil(std::move(e)));
  }

 private:
  sq::sqlite3* handle() { return native_handle(session_); }

  Error last_error(int rc) { return sqlite_error(rc, sq::sqlite3_errmsg(handle())); }

  // A statement of our own (BEGIN, PRAGMA …), outside the spoiled bookkeeping.
  Result<void> run(const char* sql) {
    auto stmt = cached(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    Lent st(*stmt);
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sq::sqlite3_step(st.get());
    if (rc != SQLITE_DONE) {
      return tl::unexpected(last_error(sq::sqlite3_extended_errcode(handle())));
    }
    return {};
  }

  // The prepared statement for `sql` from the cache, prepared on first use.
  // Preparing costs as much as running a short statement again, and every
  // module sends the same few texts over and over. The cache keeps the
  // kCachedStatements most recently used; SQLite re-prepares a cached
  // statement by itself after a schema change.
  Result<sq::sqlite3_stmt*> cached(std::string_view sql) {
    ++uses_;
    if (auto it = cache_.find(sql); it != cache_.end()) {
      it->second.last_use = uses_;
      return it->second.stmt;
    }
    Statement st;
    const char* tail = nullptr;
    const int rc =
        sq::sqlite3_prepare_v2(handle(), sql.data(), static_cast<int>(sql.size()), st.out(), &tail);
    if (rc != SQLITE_OK) return tl::unexpected(last_error(rc));
    if (st.get() == nullptr) {
      return tl::unexpected(make_error(ErrorCode::kDbError, field("detail", "空语句")));
    }
    if (tail != nullptr && !only_space(std::string_view(
                               tail, static_cast<std::size_t>(sql.data() + sql.size() - tail)))) {
      return tl::unexpected(
          make_error(ErrorCode::kDbError, field("detail", "每次调用只能执行一条语句")));
    }
    if (cache_.size() >= kCachedStatements) {
      auto oldest = cache_.begin();
      for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->second.last_use < oldest->second.last_use) oldest = it;
      }
      sq::sqlite3_finalize(oldest->second.stmt);
      cache_.erase(oldest);
    }
    sq::sqlite3_stmt* stmt = st.release();
    cache_.emplace(std::string(sql), CachedStatement{stmt, uses_});
    return stmt;
  }

  void forget_statements() {
    for (auto& [sql, entry] : cache_) sq::sqlite3_finalize(entry.stmt);
    cache_.clear();
  }

  Result<std::string> query_text(const char* sql) {
    Statement st;
    int rc = sq::sqlite3_prepare_v2(handle(), sql, -1, st.out(), nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(last_error(rc));
    rc = sq::sqlite3_step(st.get());
    if (rc != SQLITE_ROW) return tl::unexpected(last_error(rc));
    const auto* text = sq::sqlite3_column_text(st.get(), 0);
    return std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }

  Result<std::unique_ptr<Lent>> prepare(std::string_view sql, const Params& params) {
    if (auto ok = check_params(params); !ok) return tl::unexpected(spoil(ok.error()));
    auto stmt = cached(sql);
    if (!stmt) return tl::unexpected(spoil(stmt.error()));
    auto st = std::make_unique<Lent>(*stmt);
    const int expected = sq::sqlite3_bind_parameter_count(st->get());
    if (static_cast<std::size_t>(expected) != params.size()) {
      return tl::unexpected(spoil(
          make_error(ErrorCode::kDbError,
                     field("detail", "语句有 " + std::to_string(expected) + " 个占位符，给出 " +
                                         std::to_string(params.size()) + " 个参数"))));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const int bound = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              return sq::sqlite3_bind_null(st->get(), index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sq::sqlite3_bind_int64(st->get(), index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sq::sqlite3_bind_double(st->get(), index, v);
            } else {
              // The parameters outlive the statement: no copy.
              return sq::sqlite3_bind_text64(st->get(), index, v.data(), v.size(), SQLITE_STATIC,
                                             SQLITE_UTF8);
            }
          },
          params[i].variant());
      if (bound != SQLITE_OK) return tl::unexpected(spoil(last_error(bound)));
    }
    return st;
  }

  static Value column(sq::sqlite3_stmt* stmt, int c) {
    switch (sq::sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return Value(static_cast<long long>(sq::sqlite3_column_int64(stmt, c)));
      case SQLITE_FLOAT:
        return Value(sq::sqlite3_column_double(stmt, c));
      case SQLITE_TEXT:
      case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sq::sqlite3_column_blob(stmt, c));
        const auto size = static_cast<std::size_t>(sq::sqlite3_column_bytes(stmt, c));
        return Value(std::string(bytes != nullptr ? bytes : "", size));
      }
      default:
        return Value();
    }
  }

  static constexpr std::size_t kCachedStatements = 128;
  struct CachedStatement {
    sq::sqlite3_stmt* stmt;
    std::uint64_t last_use;
  };

  soci::session& session_;
  int busy_timeout_ms_;
  bool memory_;
  TxKind kind_ = TxKind::kRead;
  std::map<std::string, CachedStatement, std::less<>> cache_;
  std::uint64_t uses_ = 0;
};

}  // namespace

Result<std::unique_ptr<Session>> open_sqlite_session(soci::session& session, const DbUrl& url,
                                                     const Database::Options& options) {
  // SOCI takes a connect string without '=' as the file name itself, which
  // keeps spaces and other bytes as they are.
  std::string connect = url.sqlite_path;
  if (connect.find('=') != std::string::npos) connect = "db=\"" + connect + "\"";
  try {
    session.open(soci::sqlite3, connect);
  } catch (const soci::soci_error& e) {
    return fail(ErrorCode::kDbUnavailable, field("detail", e.get_error_message()));
  }
  auto s = std::make_unique<SqliteSession>(session, options, url.sqlite_path == ":memory:");
  if (auto r = s->setup(); !r) return tl::unexpected(r.error());
  return std::unique_ptr<Session>(std::move(s));
}

}  // namespace xzzf::storage::internal
