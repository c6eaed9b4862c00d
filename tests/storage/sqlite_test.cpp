// What holds for SQLite only: its pragmas, BEGIN IMMEDIATE, the busy timeout,
// a full disk, the in-memory database.

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>

#include "test_db.hpp"

namespace xzzf::storage {
namespace {

using testing::TestDatabase;

TEST(Sqlite, PragmasOnEveryPooledConnection) {
  TestDatabase test_db(Dialect::kSqlite);
  Database::Options options = TestDatabase::default_options();
  options.pool_size = 3;
  auto db = test_db.open(options);
  ASSERT_NE(db, nullptr);
  // Three reads that wait for each other hold three distinct connections.
  std::latch all_in(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto r = db->read([&](Tx& tx) -> Result<void> {
        all_in.arrive_and_wait();
        auto mode = tx.query_one("PRAGMA journal_mode");
        auto sync = tx.query_one("PRAGMA synchronous");
        auto fk = tx.query_one("PRAGMA foreign_keys");
        auto busy = tx.query_one("PRAGMA busy_timeout");
        if (!mode || !sync || !fk || !busy)
          return fail(ErrorCode::kDbError, field("detail", "pragma"));
        EXPECT_EQ((*mode)->text(0), "wal");
        EXPECT_EQ((*sync)->i64(0), 2);  // FULL
        EXPECT_EQ((*fk)->i64(0), 1);
        EXPECT_EQ((*busy)->i64(0), options.busy_timeout_ms);
        return {};
      });
      EXPECT_TRUE(r) << r.error().message;
    });
  }
  for (auto& t : threads) t.join();
}

// Two threads increment a counter by reading it and writing it back plus one,
// 200 times each, through `first` and `second` (the same Database, or two
// Databases on one file as two processes would be).
void increment_race(Database& first, Database& second) {
  ASSERT_TRUE(first.write([](Tx& tx) -> Result<void> {
    if (auto r = tx.exec("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)"); !r) {
      return tl::unexpected(r.error());
    }
    if (auto r = tx.exec("INSERT INTO counter (id, n) VALUES (1, 0)"); !r) {
      return tl::unexpected(r.error());
    }
    return {};
  }));
  std::atomic<int> errors{0};
  auto increment = [&](Database& db) {
    for (int i = 0; i < 200; ++i) {
      auto r = db.write([](Tx& tx) -> Result<void> {
        // With a deferred BEGIN both threads could read the same value, and
        // the later writer would meet SQLITE_BUSY.
        auto row = tx.query_one("SELECT n FROM counter WHERE id = 1");
        if (!row) return tl::unexpected(row.error());
        auto w = tx.exec("UPDATE counter SET n = ? WHERE id = 1", {(*row)->i64(0) + 1});
        if (!w) return tl::unexpected(w.error());
        return {};
      });
      if (!r) {
        ADD_FAILURE() << r.error().message;
        ++errors;
      }
    }
  };
  std::thread a([&] { increment(first); });
  std::thread b([&] { increment(second); });
  a.join();
  b.join();
  EXPECT_EQ(errors, 0);
  auto n = first.read([](Tx& tx) { return tx.query_one("SELECT n FROM counter WHERE id = 1"); });
  ASSERT_TRUE(n && *n);
  EXPECT_EQ((*n)->i64(0), 400);
}

TEST(Sqlite, ReadModifyWriteFromTwoThreads) {
  TestDatabase test_db(Dialect::kSqlite);
  auto db = test_db.open();
  ASSERT_NE(db, nullptr);
  increment_race(*db, *db);
}

TEST(Sqlite, BeginImmediateBetweenTwoDatabases) {
  TestDatabase test_db(Dialect::kSqlite);
  auto a = test_db.open();
  auto b = test_db.open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  increment_race(*a, *b);
}

TEST(Sqlite, WriterWaitsThenReportsUnavailable) {
  TestDatabase test_db(Dialect::kSqlite);
  Database::Options options = TestDatabase::default_options();
  options.busy_timeout_ms = 100;
  auto holder_db = test_db.open(options);
  auto db = test_db.open(options);
  ASSERT_NE(holder_db, nullptr);
  ASSERT_NE(db, nullptr);
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    auto r = holder_db->write([&](Tx& tx) -> Result<void> {
      if (auto e = tx.exec("CREATE TABLE t (x INTEGER)"); !e) return tl::unexpected(e.error());
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto start = std::chrono::steady_clock::now();
  auto r = db->write([](Tx& tx) { return tx.exec("CREATE TABLE u (x INTEGER)"); });
  const auto waited = std::chrono::steady_clock::now() - start;
  // Readers are not blocked by the writer (WAL).
  auto read = db->read([](Tx& tx) { return tx.query("SELECT COUNT(*) FROM sqlite_master"); });
  release = true;
  holder.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDbUnavailable);
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  EXPECT_TRUE(read) << read.error().message;
  // Once the lock is free the same Database writes.
  auto again = db->write([](Tx& tx) { return tx.exec("CREATE TABLE u (x INTEGER)"); });
  EXPECT_TRUE(again) << again.error().message;
}

TEST(Sqlite, PathWithSpacesAndEquals) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("xzzf test=dir " + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "a b.db";
  auto url = DbUrl::parse("sqlite://" + file.string());
  ASSERT_TRUE(url) << url.error().message;
  {
    auto db = Database::open(*url, TestDatabase::default_options());
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_TRUE((*db)->ping());
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  std::filesystem::remove_all(dir);
}

TEST(Sqlite, MissingDirectoryIsUnavailable) {
  auto url = DbUrl::parse("sqlite:///nonexistent-xzzf-dir/sub/a.db");
  ASSERT_TRUE(url);
  auto db = Database::open(*url, TestDatabase::default_options());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kDbUnavailable);
}

TEST(Sqlite, OptionsAreChecked) {
  auto url = DbUrl::parse("sqlite::memory:");
  ASSERT_TRUE(url);
  Database::Options options;
  options.pool_size = 0;
  auto db = Database::open(*url, options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kConfigInvalid);
}

TEST(Sqlite, MemoryDatabaseIsSharedByItsOneConnection) {
  auto url = DbUrl::parse("sqlite::memory:");
  ASSERT_TRUE(url);
  auto db = Database::open(*url, TestDatabase::default_options());
  ASSERT_TRUE(db) << db.error().message;
  auto ran = (*db)->migrate();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_GE(*ran, 1);
  // Seen from other threads: the same database, not one per connection.
  std::thread other([&] {
    auto n =
        (*db)->read([](Tx& tx) { return tx.query_one("SELECT COUNT(*) FROM schema_migrations"); });
    ASSERT_TRUE(n && *n);
    EXPECT_GE((*n)->i64(0), 1);
  });
  other.join();
}

// A real full disk: a 1 MiB tmpfs. Needs root and a kernel that lets us mount.
TEST(Sqlite, FullDiskIsReportedAsDiskFull) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  const auto dir =
      std::filesystem::temp_directory_path() / ("xzzf-full-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") != 0) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "cannot mount a tmpfs here";
  }
  {
    auto url = DbUrl::parse("sqlite://" + (dir / "full.db").string());
    ASSERT_TRUE(url);
    auto db = Database::open(*url, TestDatabase::default_options());
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->write([](Tx& tx) { return tx.exec("CREATE TABLE blobs (x TEXT)"); }));
    const std::string chunk(64 * 1024, 'x');
    Error last;
    bool failed = false;
    for (int i = 0; i < 64 && !failed; ++i) {
      auto r = (*db)->write(
          [&](Tx& tx) { return tx.exec("INSERT INTO blobs (x) VALUES (?)", {chunk}); });
      if (!r) {
        failed = true;
        last = r.error();
      }
    }
    ASSERT_TRUE(failed) << "1 MiB never filled up";
    EXPECT_EQ(last.code, ErrorCode::kDbDiskFull) << last.message;
    // What was committed before is still readable.
    auto n = (*db)->read([](Tx& tx) { return tx.query_one("SELECT COUNT(*) FROM blobs"); });
    EXPECT_TRUE(n) << n.error().message;
  }
  ::umount(dir.c_str());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace xzzf::storage
