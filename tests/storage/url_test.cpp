#include <gtest/gtest.h>

#include "storage/database.hpp"

namespace xzzf::storage {
namespace {

TEST(DbUrl, SqliteAbsolutePath) {
  auto url = DbUrl::parse("sqlite:///var/lib/xzzf/xzzf.db");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->dialect, Dialect::kSqlite);
  EXPECT_EQ(url->sqlite_path, "/var/lib/xzzf/xzzf.db");
  EXPECT_EQ(url->text, "sqlite:///var/lib/xzzf/xzzf.db");
  EXPECT_EQ(url->redacted(), "sqlite:///var/lib/xzzf/xzzf.db");
}

TEST(DbUrl, SqlitePathIsPercentDecoded) {
  auto url = DbUrl::parse("sqlite:///srv/%E6%89%A7%E6%B3%95%20data/a.db");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->sqlite_path, "/srv/执法 data/a.db");
}

TEST(DbUrl, SqliteMemory) {
  auto url = DbUrl::parse("sqlite::memory:");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->dialect, Dialect::kSqlite);
  EXPECT_EQ(url->sqlite_path, ":memory:");
}

TEST(DbUrl, RefusesBadSqliteUrls) {
  for (const char* text :
       {"sqlite://relative.db", "sqlite://relative/dir/a.db", "sqlite:relative.db",
        "sqlite:/abs.db", "sqlite://", "sqlite:///", "sqlite:///dir/", "sqlite:///a.db?mode=ro",
        "sqlite:///a%2", "sqlite:///a%00b", "sqlite://host/abs.db", "sqlite:///a=b\".db"}) {
    auto url = DbUrl::parse(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kDbUrlInvalid) << text;
  }
}

TEST(DbUrl, RefusesUnknownScheme) {
  for (const char* text : {"mysql://u:p@h/db", "", "xzzf.db", "/abs/path.db", "file:///a.db"}) {
    auto url = DbUrl::parse(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kDbUrlInvalid) << text;
  }
}

TEST(DbUrl, PostgresFull) {
  auto url = DbUrl::parse("postgresql://xzzf:s3cr%40t@db.example:6543/xzzf_prod?sslmode=require");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->dialect, Dialect::kPostgres);
  EXPECT_EQ(url->pg_conninfo,
            "host='db.example' port='6543' dbname='xzzf_prod' user='xzzf' password='s3cr@t' "
            "sslmode='require'");
}

TEST(DbUrl, PostgresAliasAndDefaults) {
  auto url = DbUrl::parse("postgres://localhost/xzzf");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->dialect, Dialect::kPostgres);
  EXPECT_EQ(url->pg_conninfo, "host='localhost' dbname='xzzf'");

  auto bare = DbUrl::parse("postgresql://");
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->pg_conninfo, "");
}

TEST(DbUrl, PostgresSocketDirectoryAndOptions) {
  auto url = DbUrl::parse(
      "postgresql://postgres@/xzzf_test?host=/run/postgresql&options=-csearch_path%3Dt_1");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(
      url->pg_conninfo,
      "dbname='xzzf_test' user='postgres' host='/run/postgresql' options='-csearch_path=t_1'");
}

TEST(DbUrl, PostgresIpv6AndQuoting) {
  auto url = DbUrl::parse("postgresql://o%27brien:a%5Cb@[::1]:5432/d%20b");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->pg_conninfo,
            R"(host='::1' port='5432' dbname='d b' user='o\'brien' password='a\\b')");
}

TEST(DbUrl, RefusesBadPostgresUrls) {
  for (const char* text :
       {"postgresql://h:0/db", "postgresql://h:65536/db", "postgresql://h:port/db",
        "postgresql://h:/db", "postgresql://[::1/db", "postgresql://[::1]x/db",
        "postgresql://h/db?nosuchoption=1", "postgresql://h/db?sslmode", "postgresql://h/a/b",
        "postgresql://u:%zz@h/db", "postgresql://h/db#frag"}) {
    auto url = DbUrl::parse(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kDbUrlInvalid) << text;
  }
}

TEST(DbUrl, ErrorNeverQuotesThePassword) {
  auto url = DbUrl::parse("postgresql://u:topsecret@h/db?nosuchoption=1");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().message.find("topsecret"), std::string::npos) << url.error().message;
}

TEST(DbUrl, RedactedHidesPasswords) {
  auto url = DbUrl::parse("postgresql://xzzf:s3cr%40t@db:5432/xzzf?sslmode=require&password=other");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->redacted(), "postgresql://xzzf:***@db:5432/xzzf?sslmode=require&password=***");

  auto no_password = DbUrl::parse("postgresql://xzzf@db/xzzf");
  ASSERT_TRUE(no_password);
  EXPECT_EQ(no_password->redacted(), "postgresql://xzzf@db/xzzf");

  auto at_in_password = DbUrl::parse("postgres://u:p@ss@h/db");
  ASSERT_TRUE(at_in_password) << at_in_password.error().message;
  EXPECT_EQ(at_in_password->redacted(), "postgres://u:***@h/db");
  EXPECT_NE(at_in_password->pg_conninfo.find("password='p@ss'"), std::string::npos);
}

TEST(DbUrl, UnreachableServerIsUnavailableAndKeepsThePasswordOut) {
  // Nothing listens on port 1 of the loopback: refused at once.
  auto url = DbUrl::parse("postgresql://u:hunter2@127.0.0.1:1/xzzf?connect_timeout=5");
  ASSERT_TRUE(url) << url.error().message;
  Database::Options options;
  options.pool_size = 2;
  auto db = Database::open(*url, options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(db.error().message.find("hunter2"), std::string::npos) << db.error().message;
}

}  // namespace
}  // namespace xzzf::storage
