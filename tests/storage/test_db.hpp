#pragma once

// Databases for tests: every repository-level test runs on SQLite (a
// temporary file in WAL mode) and, when XZZF_TEST_PG_URL is set (scripts/pg.sh
// prints one), on PostgreSQL in a schema of its own that is dropped at the end.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace xzzf::storage::testing {

// One fresh, empty database; removed again by the destructor.
class TestDatabase {
 public:
  // Skips the test (GTEST_SKIP) when `dialect` is PostgreSQL and no server is
  // configured: check skipped() after constructing.
  explicit TestDatabase(Dialect dialect);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] bool skipped() const { return skipped_; }
  [[nodiscard]] const DbUrl& url() const { return url_; }
  // The SQLite file, empty for PostgreSQL.
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

  // A new Database on this test database (several may be open at once).
  [[nodiscard]] std::unique_ptr<Database> open(Database::Options options = default_options()) const;
  // open() and migrate().
  [[nodiscard]] std::unique_ptr<Database> open_migrated(
      Database::Options options = default_options()) const;

  static Database::Options default_options();

 private:
  bool skipped_ = false;
  DbUrl url_;
  std::filesystem::path dir_;
  std::filesystem::path file_;
  std::string schema_;
  std::string base_url_;
};

// The PostgreSQL server of the test run, if any.
[[nodiscard]] std::optional<std::string> pg_url_from_env();

// Parameter names for INSTANTIATE_TEST_SUITE_P: "sqlite", "postgres".
std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info);

// A fixture parameterised by dialect, with a fresh database per test.
class DialectTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<TestDatabase> test_db_;
};

}  // namespace xzzf::storage::testing
