#pragma once

// The one door to the database. Database owns a pool of connections (SOCI) to
// SQLite or PostgreSQL; every module reads and writes through read()/write(),
// which run a function inside one transaction on one pooled connection:
// committed when the function returns a value, rolled back when it returns an
// error or throws. On SQLite a write transaction begins with BEGIN IMMEDIATE so
// that writers queue on the lock instead of failing with SQLITE_BUSY; every
// connection runs in WAL mode with synchronous=FULL and foreign keys on. A
// connection that the server dropped is reopened before its next use.
// Database errors come back as catalog codes: kDbConflict (unique or foreign
// key), kDbDiskFull, kDbUnavailable (lock not granted in time, no free
// connection, server gone), kDbError (the rest); no exception leaves storage/
// except one thrown by the caller's own function, which is rethrown after the
// rollback.
//
// Database is safe to use from many threads; a Tx belongs to the thread running
// the function and must not escape it. Only storage/ includes SOCI, SQLite or
// libpq headers: other modules see Tx, Value and Row only.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace xzzf::storage {

enum class Dialect : std::uint8_t { kSqlite, kPostgres };

// A parsed database URL:
//   sqlite:///abs/path.db      a file (the path must be absolute; percent-decoded)
//   sqlite::memory:            a private in-memory database (one connection: for tests)
//   postgresql://user:pass@host:port/db?sslmode=require&host=/socket/dir
//                              (also postgres://); every query option is a libpq
//                              keyword, e.g. options=-csearch_path%3Dt_1 to choose
//                              a schema
struct DbUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string sqlite_path;  // absolute, or ":memory:", for kSqlite
  std::string pg_conninfo;  // libpq keyword='value' string, for kPostgres
  std::string text;         // as given

  [[nodiscard]] static Result<DbUrl> parse(std::string_view url);
  // The URL with any password replaced by "***", for logs and messages.
  [[nodiscard]] std::string redacted() const;
};

// A bound parameter or a fetched column value.
class Value {
 public:
  using Variant = std::variant<std::monostate, std::int64_t, double, std::string>;

  Value() = default;
  Value(std::nullopt_t) {}                                  // NOLINT(google-explicit-constructor)
  Value(int v) : v_(std::int64_t{v}) {}                     // NOLINT(google-explicit-constructor)
  Value(long v) : v_(std::int64_t{v}) {}                    // NOLINT(google-explicit-constructor)
  Value(long long v) : v_(static_cast<std::int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Value(bool v) : v_(std::int64_t{v ? 1 : 0}) {}            // NOLINT(google-explicit-constructor)
  Value(double v) : v_(v) {}                                // NOLINT(google-explicit-constructor)
  Value(std::string v) : v_(std::move(v)) {}                // NOLINT(google-explicit-constructor)
  Value(std::string_view v) : v_(std::string(v)) {}         // NOLINT(google-explicit-constructor)
  Value(const char* v) : v_(std::string(v)) {}              // NOLINT(google-explicit-constructor)
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
    if (v) *this = Value(*v);
  }

  [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  [[nodiscard]] const Variant& variant() const { return v_; }

 private:
  Variant v_;
};

// One fetched row. Accessors convert between integer and text where the
// database reported the other (SQLite types columns loosely); a NULL read by a
// non-optional accessor, or text that is not a number, is a broken invariant
// of the schema and aborts with a message.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] bool is_null(std::size_t i) const;
  [[nodiscard]] std::int64_t i64(std::size_t i) const;
  [[nodiscard]] std::optional<std::int64_t> opt_i64(std::size_t i) const;
  [[nodiscard]] double f64(std::size_t i) const;
  [[nodiscard]] std::string text(std::size_t i) const;
  [[nodiscard]] std::optional<std::string> opt_text(std::size_t i) const;
  [[nodiscard]] const Value& value(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// A LIKE pattern that matches `text` anywhere in a column, with the wildcards
// percent and underscore and the backslash in `text` taken literally. Use it as
// `col LIKE ? ESCAPE '\\'` in C++ source (the same on both databases).
[[nodiscard]] std::string like_contains(std::string_view text);

// One open transaction. SQL uses `?` placeholders (outside quoted literals and
// comments); every value is bound, never spliced into the text. One statement
// per call.
//
// A statement that fails spoils the transaction (PostgreSQL aborts it): return
// its error. If the function returns a value anyway, the transaction is still
// rolled back and the statement's error is what read()/write() return. To
// tolerate a duplicate, say so in SQL (INSERT … ON CONFLICT DO NOTHING).
class Tx {
 public:
  virtual ~Tx() = default;
  [[nodiscard]] virtual Dialect dialect() const = 0;
  // Executes a statement; returns the number of rows it changed.
  [[nodiscard]] virtual Result<std::int64_t> exec(std::string_view sql,
                                                  const Params& params = {}) = 0;
  [[nodiscard]] virtual Result<std::vector<Row>> query(std::string_view sql,
                                                       const Params& params = {}) = 0;
  // The first row, or nullopt when there is none.
  [[nodiscard]] Result<std::optional<Row>> query_one(std::string_view sql,
                                                     const Params& params = {});
  // INSERT … and the new row's id (the statement must not end in RETURNING;
  // this adds it on PostgreSQL and uses last_insert_rowid() on SQLite).
  [[nodiscard]] virtual Result<std::int64_t> insert(std::string_view sql, const Params& params = {},
                                                    std::string_view id_column = "id") = 0;
};

enum class TxKind : std::uint8_t { kRead, kWrite };

struct MigrationStatus {
  int current = 0;  // highest applied version, 0 for an empty database
  int latest = 0;   // highest version this binary knows
};

class Database {
 public:
  struct Options {
    int pool_size = 8;             // connections; 1 for sqlite::memory: whatever is set
    int busy_timeout_ms = 5000;    // SQLite: how long a writer waits for the write lock
    int lease_timeout_ms = 30000;  // how long a transaction waits for a free connection
  };

  virtual ~Database() = default;

  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const DbUrl& url,
                                                              const Options& options);

  [[nodiscard]] virtual Dialect dialect() const = 0;

  // Runs `fn(Tx&) -> Result<T>` in one transaction (see the class comment).
  // read() sees one consistent snapshot (PostgreSQL: REPEATABLE READ READ ONLY)
  // and refuses writes. A thread must not open a transaction on a Database
  // while it holds one there (that can deadlock the pool): it gets kDbError.
  template <typename F>
  auto write(F&& fn) -> std::invoke_result_t<F, Tx&> {
    return run<std::invoke_result_t<F, Tx&>>(TxKind::kWrite, std::forward<F>(fn));
  }
  template <typename F>
  auto read(F&& fn) -> std::invoke_result_t<F, Tx&> {
    return run<std::invoke_result_t<F, Tx&>>(TxKind::kRead, std::forward<F>(fn));
  }

  // A trivial query on a pooled connection: is the database answering?
  [[nodiscard]] virtual Result<void> ping() = 0;

  // Applies every embedded migration newer than the database's version, each in
  // its own transaction, and returns how many ran. Safe when several processes
  // start at once. Refuses a database newer than this binary.
  [[nodiscard]] virtual Result<int> migrate() = 0;
  [[nodiscard]] virtual Result<MigrationStatus> migration_status() = 0;

 protected:
  // Runs `body` in a transaction; commits when it returns true.
  // Errors of the database itself (busy, disk full, lost connection) come back
  // as the Error; `body` reports its own outcome through its captured result.
  [[nodiscard]] virtual Result<void> transact(TxKind kind,
                                              const std::function<bool(Tx&)>& body) = 0;

 private:
  template <typename R, typename F>
  R run(TxKind kind, F&& fn) {
    std::optional<R> out;
    auto status = transact(kind, [&](Tx& tx) {
      out.emplace(fn(tx));
      return out->has_value();
    });
    if (!status) return tl::unexpected(status.error());
    return std::move(*out);
  }
};

}  // namespace xzzf::storage
