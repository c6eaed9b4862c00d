#include "test_db.hpp"

#include <cstdlib>
#include <random>

namespace xzzf::storage::testing {
namespace {

std::string random_suffix() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string out;
  for (int i = 0; i < 12; ++i) out.push_back(kAlphabet[pick(gen)]);
  return out;
}

// Runs one statement on `url` outside any test Database.
void admin_exec(const std::string& url, const std::string& sql) {
  auto parsed = DbUrl::parse(url);
  ASSERT_TRUE(parsed) << parsed.error().message;
  Database::Options options;
  options.pool_size = 1;
  auto db = Database::open(*parsed, options);
  ASSERT_TRUE(db) << db.error().message;
  auto r = (*db)->write([&](Tx& tx) -> Result<void> {
    auto e = tx.exec(sql);
    if (!e) return tl::unexpected(e.error());
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
}

}  // namespace

std::optional<std::string> pg_url_from_env() {
  // Read while setting up a test, before it starts any thread.
  const char* url = std::getenv("XZZF_TEST_PG_URL");  // NOLINT(concurrency-mt-unsafe)
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "sqlite" : "postgres";
}

Database::Options TestDatabase::default_options() {
  Database::Options options;
  options.pool_size = 4;
  options.busy_timeout_ms = 10000;
  options.lease_timeout_ms = 30000;
  return options;
}

TestDatabase::TestDatabase(Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    dir_ = std::filesystem::temp_directory_path() / ("xzzf-test-" + random_suffix());
    std::filesystem::create_directories(dir_);
    file_ = dir_ / "test.db";
    auto parsed = DbUrl::parse("sqlite://" + file_.string());
    EXPECT_TRUE(parsed);
    if (parsed) url_ = *parsed;
    return;
  }
  auto base = pg_url_from_env();
  if (!base) {
    skipped_ = true;
    return;
  }
  base_url_ = *base;
  schema_ = "t_" + random_suffix();
  admin_exec(base_url_, "CREATE SCHEMA " + schema_);
  // libpq's options keyword: every pooled connection starts in the schema.
  const char separator = base_url_.find('?') == std::string::npos ? '?' : '&';
  auto parsed = DbUrl::parse(base_url_ + separator + "options=-csearch_path%3D" + schema_);
  EXPECT_TRUE(parsed);
  if (parsed) url_ = *parsed;
}

TestDatabase::~TestDatabase() {
  if (!schema_.empty()) admin_exec(base_url_, "DROP SCHEMA " + schema_ + " CASCADE");
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::unique_ptr<Database> TestDatabase::open(Database::Options options) const {
  auto db = Database::open(url_, options);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return nullptr;
  return std::move(*db);
}

std::unique_ptr<Database> TestDatabase::open_migrated(Database::Options options) const {
  auto db = open(options);
  if (!db) return nullptr;
  auto ran = db->migrate();
  EXPECT_TRUE(ran) << ran.error().message;
  return db;
}

void DialectTest::SetUp() {
  test_db_ = std::make_unique<TestDatabase>(GetParam());
  if (test_db_->skipped()) GTEST_SKIP() << "XZZF_TEST_PG_URL is not set: PostgreSQL case skipped";
}

void DialectTest::TearDown() {
  test_db_.reset();
}

}  // namespace xzzf::storage::testing
