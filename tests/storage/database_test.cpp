// Transactions, binding and error mapping, on SQLite and (when configured)
// PostgreSQL.

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>

#include "test_db.hpp"

namespace xzzf::storage {
namespace {

using testing::DialectTest;

class DatabaseTest : public DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open();
    ASSERT_NE(db_, nullptr);
    // Id columns in each dialect's form, as migrations write them.
    const std::string id = GetParam() == Dialect::kSqlite
                               ? "INTEGER PRIMARY KEY"
                               : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    auto r = db_->write([&](Tx& tx) -> Result<void> {
      if (auto e = tx.exec("CREATE TABLE items (id " + id +
                           ", name TEXT NOT NULL UNIQUE, n BIGINT, x DOUBLE PRECISION, note TEXT)");
          !e) {
        return tl::unexpected(e.error());
      }
      if (auto e = tx.exec("CREATE TABLE tags (id " + id +
                           ", item_id BIGINT NOT NULL REFERENCES items (id), tag TEXT NOT NULL)");
          !e) {
        return tl::unexpected(e.error());
      }
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }

  std::int64_t count_items() {
    auto n = db_->read([](Tx& tx) -> Result<std::int64_t> {
      auto row = tx.query_one("SELECT COUNT(*) FROM items");
      if (!row) return tl::unexpected(row.error());
      return (*row)->i64(0);
    });
    EXPECT_TRUE(n) << n.error().message;
    return n.value_or(-1);
  }

  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, Ping) {
  auto r = db_->ping();
  EXPECT_TRUE(r) << r.error().message;
  EXPECT_EQ(db_->dialect(), GetParam());
}

TEST_P(DatabaseTest, CommitsWhenTheFunctionReturnsAValue) {
  auto id = db_->write([](Tx& tx) {
    return tx.insert("INSERT INTO items (name, n) VALUES (?, ?)", {"a", 1});
  });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, 0);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseTest, RollsBackWhenTheFunctionReturnsAnError) {
  auto r = db_->write([](Tx& tx) -> Result<int> {
    auto id = tx.insert("INSERT INTO items (name) VALUES (?)", {"a"});
    if (!id) return tl::unexpected(id.error());
    return fail(ErrorCode::kIdInvalid, field("text", "x"));
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIdInvalid);
  EXPECT_EQ(count_items(), 0);
}

TEST_P(DatabaseTest, RollsBackAndRethrowsWhenTheFunctionThrows) {
  EXPECT_THROW((void)db_->write([](Tx& tx) -> Result<void> {
    (void)tx.insert("INSERT INTO items (name) VALUES (?)", {"a"});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count_items(), 0);
  // The connection went back to the pool in a usable state.
  auto id =
      db_->write([](Tx& tx) { return tx.insert("INSERT INTO items (name) VALUES (?)", {"b"}); });
  EXPECT_TRUE(id) << id.error().message;
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseTest, AFailedStatementSpoilsTheTransaction) {
  auto r = db_->write([](Tx& tx) -> Result<int> {
    (void)tx.insert("INSERT INTO items (name) VALUES (?)", {"a"});
    auto bad = tx.exec("INSERT INTO no_such_table VALUES (1)");
    EXPECT_FALSE(bad);
    return 1;  // ignores the failure
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbError);
  EXPECT_EQ(count_items(), 0);
}

TEST_P(DatabaseTest, ExecReturnsChangedRows) {
  auto r = db_->write([](Tx& tx) -> Result<std::int64_t> {
    for (const char* name : {"a", "b", "c"}) {
      auto id = tx.insert("INSERT INTO items (name, n) VALUES (?, ?)", {name, 5});
      if (!id) return tl::unexpected(id.error());
    }
    return tx.exec("UPDATE items SET n = n + 1 WHERE name <> ?", {"b"});
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 2);
}

TEST_P(DatabaseTest, InsertReturnsIncreasingIds) {
  auto ids = db_->write([](Tx& tx) -> Result<std::pair<std::int64_t, std::int64_t>> {
    auto a = tx.insert("INSERT INTO items (name) VALUES (?);", {"a"});
    if (!a) return tl::unexpected(a.error());
    auto b = tx.insert("INSERT INTO items (name) VALUES (?)", {"b"});
    if (!b) return tl::unexpected(b.error());
    return std::pair{*a, *b};
  });
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_LT(ids->first, ids->second);
  auto names = db_->read(
      [&](Tx& tx) { return tx.query_one("SELECT name FROM items WHERE id = ?", {ids->second}); });
  ASSERT_TRUE(names && *names);
  EXPECT_EQ((**names).text(0), "b");
}

TEST_P(DatabaseTest, ParametersAreBoundNeverSpliced) {
  const std::string hostile = "x'); DROP TABLE items; --";
  const std::string quotes = "it's \"quoted\" ? :p1 $1 \\ 执法";
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    auto a = tx.insert("INSERT INTO items (name, note) VALUES (?, ?)", {hostile, quotes});
    if (!a) return tl::unexpected(a.error());
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  auto row = db_->read([&](Tx& tx) {
    return tx.query_one("SELECT name, note, '?' FROM items WHERE name = ?", {hostile});
  });
  ASSERT_TRUE(row) << row.error().message;
  ASSERT_TRUE(*row);
  EXPECT_EQ((*row)->text(0), hostile);
  EXPECT_EQ((*row)->text(1), quotes);
  EXPECT_EQ((*row)->text(2), "?");
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseTest, QuestionMarkInLiteralIsNotAPlaceholder) {
  auto row = db_->read([](Tx& tx) { return tx.query_one("SELECT 'why?', ? , 'a''?'", {7}); });
  ASSERT_TRUE(row) << row.error().message;
  ASSERT_TRUE(*row);
  EXPECT_EQ((*row)->text(0), "why?");
  EXPECT_EQ((*row)->i64(1), 7);
  EXPECT_EQ((*row)->text(2), "a'?");
}

TEST_P(DatabaseTest, WrongParameterCountIsAnError) {
  auto r = db_->read([](Tx& tx) { return tx.query("SELECT ? + ?", {1}); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbError);
}

// A search for "50%" or "a_b" finds those characters, not every row (LIKE
// wildcards in user input are taken literally), on both databases.
TEST_P(DatabaseTest, LikeContainsTakesWildcardsLiterally) {
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    for (const char* name : {"罚款50%以内", "罚款500元", "a_b", "axb", "c\\d"}) {
      auto a = tx.insert("INSERT INTO items (name) VALUES (?)", {name});
      if (!a) return tl::unexpected(a.error());
    }
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  auto names = [&](std::string_view q) {
    std::vector<std::string> out;
    auto rows = db_->read([&](Tx& tx) {
      return tx.query("SELECT name FROM items WHERE name LIKE ? ESCAPE '\\' ORDER BY name",
                      {like_contains(q)});
    });
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) {
      for (const auto& row : *rows) out.push_back(row.text(0));
    }
    return out;
  };
  EXPECT_EQ(names("50%"), std::vector<std::string>{"罚款50%以内"});
  EXPECT_EQ(names("a_b"), std::vector<std::string>{"a_b"});
  EXPECT_EQ(names("c\\d"), std::vector<std::string>{"c\\d"});
  EXPECT_EQ(names("罚款").size(), 2U);
}

TEST_P(DatabaseTest, NullRoundTrip) {
  std::optional<std::int64_t> no_n;
  std::optional<std::string> no_note;
  auto id = db_->write([&](Tx& tx) {
    return tx.insert("INSERT INTO items (name, n, x, note) VALUES (?, ?, ?, ?)",
                     {"a", no_n, std::nullopt, no_note});
  });
  ASSERT_TRUE(id) << id.error().message;
  auto row = db_->read(
      [&](Tx& tx) { return tx.query_one("SELECT n, x, note FROM items WHERE id = ?", {*id}); });
  ASSERT_TRUE(row && *row);
  EXPECT_TRUE((*row)->is_null(0));
  EXPECT_TRUE((*row)->is_null(1));
  EXPECT_EQ((*row)->opt_text(2), std::nullopt);
  EXPECT_EQ((*row)->opt_i64(0), std::nullopt);
  auto nulls = db_->read([](Tx& tx) {
    return tx.query_one("SELECT COUNT(*) FROM items WHERE n IS NULL AND note IS NULL");
  });
  ASSERT_TRUE(nulls && *nulls);
  EXPECT_EQ((*nulls)->i64(0), 1);
}

TEST_P(DatabaseTest, Int64ExtremesAndDoubles) {
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    for (auto [name, n] :
         {std::pair{"lo", lo}, std::pair{"hi", hi}, std::pair{"big", std::int64_t{1} << 40}}) {
      auto id = tx.insert("INSERT INTO items (name, n, x) VALUES (?, ?, ?)", {name, n, 0.1});
      if (!id) return tl::unexpected(id.error());
    }
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  auto rows = db_->read([](Tx& tx) { return tx.query("SELECT name, n, x FROM items ORDER BY n"); });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].i64(1), lo);
  EXPECT_EQ((*rows)[1].i64(1), std::int64_t{1} << 40);
  EXPECT_EQ((*rows)[2].i64(1), hi);
  EXPECT_DOUBLE_EQ((*rows)[2].f64(2), 0.1);
  // An expression column, which SQLite types loosely.
  auto expr = db_->read(
      [&](Tx& tx) { return tx.query_one("SELECT MAX(n), MIN(n), COUNT(*), ? FROM items", {hi}); });
  ASSERT_TRUE(expr && *expr);
  EXPECT_EQ((*expr)->i64(0), hi);
  EXPECT_EQ((*expr)->i64(1), lo);
  EXPECT_EQ((*expr)->i64(2), 3);
  EXPECT_EQ((*expr)->i64(3), hi);
}

TEST_P(DatabaseTest, Ids64Bit) {
  // Ids beyond 32 bits: an id column read as a 32-bit int would truncate.
  const std::int64_t big = (std::int64_t{1} << 40) + 7;
  auto r = db_->write([&](Tx& tx) -> Result<std::int64_t> {
    if (GetParam() == Dialect::kSqlite)
      return tx.exec("INSERT INTO items (id, name) VALUES (?, 'x')", {big});
    return tx.exec("INSERT INTO items (id, name) OVERRIDING SYSTEM VALUE VALUES (?, 'x')", {big});
  });
  ASSERT_TRUE(r) << r.error().message;
  auto row = db_->read([](Tx& tx) { return tx.query_one("SELECT id FROM items"); });
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->i64(0), big);
}

TEST_P(DatabaseTest, UnicodeText) {
  const std::string text = "永城市市场监督管理局 永市监罚〔2025〕12号 😀";
  auto id =
      db_->write([&](Tx& tx) { return tx.insert("INSERT INTO items (name) VALUES (?)", {text}); });
  ASSERT_TRUE(id) << id.error().message;
  auto row =
      db_->read([&](Tx& tx) { return tx.query_one("SELECT name FROM items WHERE id = ?", {*id}); });
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->text(0), text);
}

TEST_P(DatabaseTest, InvalidTextIsRefusedOnBoth) {
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\xff\xfe")}) {
    auto r =
        db_->write([&](Tx& tx) { return tx.insert("INSERT INTO items (name) VALUES (?)", {bad}); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kDbError);
  }
  EXPECT_EQ(count_items(), 0);
}

TEST_P(DatabaseTest, UniqueViolationIsAConflictWithoutTheValue) {
  const std::string secret = "secret-value-42";
  auto first = db_->write(
      [&](Tx& tx) { return tx.insert("INSERT INTO items (name) VALUES (?)", {secret}); });
  ASSERT_TRUE(first) << first.error().message;
  auto second = db_->write(
      [&](Tx& tx) { return tx.insert("INSERT INTO items (name) VALUES (?)", {secret}); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kDbConflict);
  EXPECT_EQ(second.error().message.find(secret), std::string::npos) << second.error().message;
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseTest, ForeignKeyViolationIsAConflict) {
  auto r = db_->write([](Tx& tx) {
    return tx.insert("INSERT INTO tags (item_id, tag) VALUES (?, ?)", {999, "t"});
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbConflict);
}

TEST_P(DatabaseTest, OnConflictDoNothingToleratesADuplicate) {
  auto r = db_->write([](Tx& tx) -> Result<std::int64_t> {
    auto a = tx.exec("INSERT INTO items (name) VALUES (?) ON CONFLICT DO NOTHING", {"a"});
    if (!a) return a;
    return tx.exec("INSERT INTO items (name) VALUES (?) ON CONFLICT DO NOTHING", {"a"});
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 0);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseTest, ReadRefusesWrites) {
  auto r = db_->read([](Tx& tx) { return tx.exec("INSERT INTO items (name) VALUES ('a')"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(count_items(), 0);
  // The connection is writable again afterwards.
  auto w = db_->write([](Tx& tx) { return tx.exec("INSERT INTO items (name) VALUES ('a')"); });
  EXPECT_TRUE(w) << w.error().message;
}

TEST_P(DatabaseTest, ReadSeesOneSnapshot) {
  ASSERT_TRUE(db_->write([](Tx& tx) { return tx.exec("INSERT INTO items (name) VALUES ('a')"); }));
  std::atomic<bool> wrote{false};
  auto r = db_->read([&](Tx& tx) -> Result<std::pair<std::int64_t, std::int64_t>> {
    auto before = tx.query_one("SELECT COUNT(*) FROM items");
    if (!before) return tl::unexpected(before.error());
    std::thread writer([&] {
      auto w =
          db_->write([](Tx& wtx) { return wtx.exec("INSERT INTO items (name) VALUES ('b')"); });
      EXPECT_TRUE(w) << w.error().message;
      wrote = true;
    });
    writer.join();
    auto after = tx.query_one("SELECT COUNT(*) FROM items");
    if (!after) return tl::unexpected(after.error());
    return std::pair{(*before)->i64(0), (*after)->i64(0)};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(wrote);
  EXPECT_EQ(r->first, 1);
  EXPECT_EQ(r->second, 1);
  EXPECT_EQ(count_items(), 2);
}

TEST_P(DatabaseTest, NestedTransactionOnOneThreadIsRefused) {
  auto r = db_->write([&](Tx&) -> Result<int> {
    auto inner = db_->read([](Tx& tx) { return tx.query("SELECT 1"); });
    if (!inner) return tl::unexpected(inner.error());
    return 1;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbError);
}

TEST_P(DatabaseTest, OneStatementPerCall) {
  auto r = db_->write(
      [](Tx& tx) { return tx.exec("INSERT INTO items (name) VALUES ('a'); DELETE FROM items"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(count_items(), 0);
}

TEST_P(DatabaseTest, LeaseTimesOutWhenThePoolIsBusy) {
  Database::Options options = testing::TestDatabase::default_options();
  options.pool_size = 1;
  options.lease_timeout_ms = 100;
  auto db = test_db_->open(options);
  ASSERT_NE(db, nullptr);
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    auto r = db->read([&](Tx&) -> Result<int> {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return 1;
    });
    EXPECT_TRUE(r);
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto r = db->read([](Tx& tx) { return tx.query("SELECT 1"); });
  release = true;
  holder.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbUnavailable);
}

TEST_P(DatabaseTest, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = db_->write([&](Tx& tx) {
          return tx.insert("INSERT INTO items (name) VALUES (?)",
                           {std::to_string(t) + "-" + std::to_string(i)});
        });
        if (!r) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count_items(), kThreads * kEach);
}

TEST_P(DatabaseTest, ReconnectsAfterTheConnectionWasDropped) {
  if (GetParam() != Dialect::kPostgres) GTEST_SKIP() << "PostgreSQL only";
  Database::Options options = testing::TestDatabase::default_options();
  options.pool_size = 1;
  auto db = test_db_->open(options);
  ASSERT_NE(db, nullptr);
  auto backend_pid = [&]() -> std::int64_t {
    auto pid = db->read([](Tx& tx) { return tx.query_one("SELECT pg_backend_pid()"); });
    EXPECT_TRUE(pid && *pid) << (pid ? "" : pid.error().message);
    return pid && *pid ? (*pid)->i64(0) : -1;
  };
  auto terminate = [&](std::int64_t pid) {
    auto r = db_->write(
        [&](Tx& tx) { return tx.query_one("SELECT pg_terminate_backend(?, 5000)", {pid}); });
    ASSERT_TRUE(r && *r) << (r ? "" : r.error().message);
    EXPECT_EQ((*r)->i64(0), 1);
  };

  // Dropped while idle in the pool: the next transaction reconnects.
  const std::int64_t first = backend_pid();
  terminate(first);
  const std::int64_t second = backend_pid();
  EXPECT_NE(second, first);

  // Dropped in the middle of a transaction: that one fails as unavailable,
  // the next one runs on a new connection.
  auto r = db->write([&](Tx& tx) -> Result<int> {
    terminate(second);
    auto q = tx.query("SELECT 1");
    if (!q) return tl::unexpected(q.error());
    return 1;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbUnavailable) << r.error().message;
  const std::int64_t third = backend_pid();
  EXPECT_NE(third, second);
  EXPECT_GT(third, 0);
}

TEST_P(DatabaseTest, PostgresColumnTypesConvert) {
  if (GetParam() != Dialect::kPostgres) GTEST_SKIP() << "PostgreSQL only";
  auto row = db_->read([](Tx& tx) {
    return tx.query_one(
        "SELECT true, 2.50::numeric(10,2), 7::int4, 3::int2, 'x'::varchar(4), "
        "'2025-03-01 08:09:10+00'::timestamptz AT TIME ZONE 'UTC', '2025-03-01'::date, ?::bigint",
        {std::int64_t{1} << 50});
  });
  ASSERT_TRUE(row && *row) << (row ? "" : row.error().message);
  EXPECT_EQ((*row)->i64(0), 1);
  EXPECT_DOUBLE_EQ((*row)->f64(1), 2.5);
  EXPECT_EQ((*row)->i64(2), 7);
  EXPECT_EQ((*row)->i64(3), 3);
  EXPECT_EQ((*row)->text(4), "x");
  EXPECT_EQ((*row)->text(5), "2025-03-01 08:09:10");
  EXPECT_EQ((*row)->text(6).substr(0, 10), "2025-03-01");
  EXPECT_EQ((*row)->i64(7), std::int64_t{1} << 50);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DatabaseTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::dialect_name);

}  // namespace
}  // namespace xzzf::storage
