// The pieces of storage/ that need no database: placeholder rewriting, text
// checks, error mapping, Row conversions, the migration list.

#include <gtest/gtest.h>

#include <limits>

#include "storage/database.hpp"
#include "storage/internal/errors.hpp"
#include "storage/internal/sql.hpp"
#include "storage/migrations.hpp"

namespace xzzf::storage {
namespace {

using internal::rewrite_placeholders;

TEST(Placeholders, RewrittenInOrder) {
  auto r = rewrite_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
  EXPECT_EQ(r.text, "SELECT a FROM t WHERE b = :p1 AND c IN (:p2, :p3)");
  EXPECT_EQ(r.placeholders, 3u);
}

TEST(Placeholders, LiteralsIdentifiersAndCommentsUntouched) {
  auto r =
      rewrite_placeholders("SELECT '?', 'it''s ?', \"odd?name\", ? -- what?\n, /* ? */ ? FROM t");
  EXPECT_EQ(r.text, "SELECT '?', 'it''s ?', \"odd?name\", :p1 -- what?\n, /* ? */ :p2 FROM t");
  EXPECT_EQ(r.placeholders, 2u);
}

TEST(Placeholders, UnterminatedLiteralRunsToTheEnd) {
  auto r = rewrite_placeholders("SELECT ? , 'abc ?");
  EXPECT_EQ(r.text, "SELECT :p1 , 'abc ?");
  EXPECT_EQ(r.placeholders, 1u);
}

TEST(Placeholders, CastsKeepTheirColons) {
  auto r = rewrite_placeholders("SELECT ?::bigint");
  EXPECT_EQ(r.text, "SELECT :p1::bigint");
}

TEST(Placeholders, SeveralStatementsNoticed) {
  EXPECT_FALSE(rewrite_placeholders("SELECT 1").several_statements);
  EXPECT_FALSE(rewrite_placeholders("SELECT 1;  \n").several_statements);
  EXPECT_FALSE(rewrite_placeholders("SELECT 1; -- done\n").several_statements);
  EXPECT_FALSE(rewrite_placeholders("SELECT ';x', \";y\" /* ; z */").several_statements);
  EXPECT_TRUE(rewrite_placeholders("SELECT 1; DROP TABLE t").several_statements);
  EXPECT_TRUE(rewrite_placeholders("SELECT 1;'x'").several_statements);
  EXPECT_TRUE(rewrite_placeholders("SELECT 1; ?").several_statements);
}

TEST(SqlText, Identifiers) {
  EXPECT_TRUE(internal::is_identifier("id"));
  EXPECT_TRUE(internal::is_identifier("case_id2"));
  EXPECT_FALSE(internal::is_identifier(""));
  EXPECT_FALSE(internal::is_identifier("2id"));
  EXPECT_FALSE(internal::is_identifier("id; DROP TABLE t"));
}

TEST(SqlText, TrimStatementEnd) {
  EXPECT_EQ(internal::trim_statement_end("INSERT INTO t VALUES (1);\n  "),
            "INSERT INTO t VALUES (1)");
}

TEST(SqlText, StorableText) {
  EXPECT_TRUE(internal::is_storable_text(""));
  EXPECT_TRUE(internal::is_storable_text("永城市 行政执法 😀"));
  EXPECT_FALSE(internal::is_storable_text(std::string("a\0b", 3)));
  EXPECT_FALSE(internal::is_storable_text("\xff"));
  EXPECT_FALSE(internal::is_storable_text("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(internal::is_storable_text("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(internal::is_storable_text("\xe6\x89"));          // cut short
  EXPECT_FALSE(internal::is_storable_text("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(ErrorMapping, Sqlite) {
  EXPECT_EQ(internal::sqlite_error(2067, "UNIQUE constraint failed: t.b").code,
            ErrorCode::kDbConflict);
  EXPECT_EQ(internal::sqlite_error(1555, "PRIMARY KEY").code, ErrorCode::kDbConflict);
  EXPECT_EQ(internal::sqlite_error(787, "FOREIGN KEY constraint failed").code,
            ErrorCode::kDbConflict);
  EXPECT_EQ(internal::sqlite_error(1299, "NOT NULL constraint failed").code, ErrorCode::kDbError);
  EXPECT_EQ(internal::sqlite_error(1811, "append-only").code, ErrorCode::kDbError);
  EXPECT_EQ(internal::sqlite_error(13, "database or disk is full").code, ErrorCode::kDbDiskFull);
  EXPECT_EQ(internal::sqlite_error(778, "disk I/O error: No space left on device").code,
            ErrorCode::kDbDiskFull);
  EXPECT_EQ(internal::sqlite_error(5, "database is locked").code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(internal::sqlite_error(517, "database is locked").code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(internal::sqlite_error(1, "no such table: x").code, ErrorCode::kDbError);
  EXPECT_NE(internal::sqlite_error(1, "no such table: x").message.find("no such table: x"),
            std::string::npos);
}

TEST(ErrorMapping, Postgres) {
  EXPECT_EQ(internal::pg_error("23505", "duplicate key").code, ErrorCode::kDbConflict);
  EXPECT_EQ(internal::pg_error("23503", "foreign key").code, ErrorCode::kDbConflict);
  EXPECT_EQ(internal::pg_error("40001", "could not serialize").code, ErrorCode::kDbConflict);
  EXPECT_EQ(internal::pg_error("53100", "could not extend file").code, ErrorCode::kDbDiskFull);
  EXPECT_EQ(internal::pg_error("58030", "could not write: No space left on device").code,
            ErrorCode::kDbDiskFull);
  EXPECT_EQ(internal::pg_error("08006", "connection failure").code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(internal::pg_error("", "server closed the connection").code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(internal::pg_error("57P01", "terminating connection").code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(internal::pg_error("42P01", "relation does not exist").code, ErrorCode::kDbError);
  auto data = internal::pg_error("22P02", "invalid input syntax for type bigint: \"secret\"");
  EXPECT_EQ(data.code, ErrorCode::kDbError);
  EXPECT_EQ(data.message.find("secret"), std::string::npos) << data.message;
}

TEST(ErrorMapping, PostgresPrimaryMessageDropsDetail) {
  EXPECT_EQ(internal::pg_primary_message(
                "Cannot execute query. Fatal error. ERROR:  duplicate key value violates unique "
                "constraint \"t_b_key\"\nDETAIL:  Key (b)=(secret) already exists.\n"),
            "duplicate key value violates unique constraint \"t_b_key\"");
}

TEST(RowAccess, ConvertsBetweenTextAndNumbers) {
  Row row({Value(42), Value("17"), Value(2.5), Value(std::nullopt), Value(3.0),
           Value("-9223372036854775808"), Value("0.25")});
  EXPECT_EQ(row.size(), 7u);
  EXPECT_EQ(row.i64(0), 42);
  EXPECT_EQ(row.text(0), "42");
  EXPECT_EQ(row.i64(1), 17);
  EXPECT_EQ(row.text(2), "2.5");
  EXPECT_DOUBLE_EQ(row.f64(2), 2.5);
  EXPECT_TRUE(row.is_null(3));
  EXPECT_EQ(row.opt_i64(3), std::nullopt);
  EXPECT_EQ(row.opt_text(3), std::nullopt);
  EXPECT_EQ(row.i64(4), 3);
  EXPECT_EQ(row.i64(5), std::numeric_limits<std::int64_t>::min());
  EXPECT_DOUBLE_EQ(row.f64(6), 0.25);
  EXPECT_DOUBLE_EQ(row.f64(0), 42.0);
}

TEST(RowAccessDeathTest, NullOrNonNumberIsABrokenInvariant) {
  Row row({Value(std::nullopt), Value("abc"), Value(2.5)});
  EXPECT_DEATH((void)row.i64(0), "NULL read as an integer");
  EXPECT_DEATH((void)row.i64(1), "not an integer");
  EXPECT_DEATH((void)row.i64(2), "fraction");
  EXPECT_DEATH((void)row.text(0), "NULL read as text");
  EXPECT_DEATH((void)row.value(9), "out of range");
}

TEST(ValueTypes, OptionalAndBool) {
  std::optional<std::int64_t> none;
  std::optional<std::int64_t> some = 7;
  EXPECT_TRUE(Value(none).is_null());
  EXPECT_EQ(std::get<std::int64_t>(Value(some).variant()), 7);
  EXPECT_EQ(std::get<std::int64_t>(Value(true).variant()), 1);
  EXPECT_EQ(std::get<std::string>(Value(std::string_view("x")).variant()), "x");
}

TEST(Migrations, EmbeddedListsAgree) {
  auto sqlite = migrations_for(Dialect::kSqlite);
  auto postgres = migrations_for(Dialect::kPostgres);
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  ASSERT_TRUE(postgres) << postgres.error().message;
  ASSERT_FALSE(sqlite->empty());
  ASSERT_EQ(sqlite->size(), postgres->size());
  for (std::size_t i = 0; i < sqlite->size(); ++i) {
    EXPECT_EQ((*sqlite)[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ((*sqlite)[i].name, (*postgres)[i].name);
    EXPECT_EQ((*sqlite)[i].checksum, migration_checksum((*sqlite)[i].sql));
  }
  EXPECT_EQ(sqlite->front().name, "core");
}

TEST(Migrations, RefusesBadSets) {
  using embedded::File;
  const std::vector<File> gap = {{"src/storage/migrations/sqlite/0001_core.sql", "x"},
                                 {"src/storage/migrations/sqlite/0003_more.sql", "x"},
                                 {"src/storage/migrations/postgres/0001_core.sql", "x"},
                                 {"src/storage/migrations/postgres/0003_more.sql", "x"}};
  const std::vector<File> missing = {{"src/storage/migrations/sqlite/0001_core.sql", "x"},
                                     {"src/storage/migrations/sqlite/0002_more.sql", "x"},
                                     {"src/storage/migrations/postgres/0001_core.sql", "x"}};
  const std::vector<File> renamed = {{"src/storage/migrations/sqlite/0001_core.sql", "x"},
                                     {"src/storage/migrations/postgres/0001_base.sql", "x"}};
  const std::vector<File> badly_named = {{"src/storage/migrations/sqlite/1_core.sql", "x"},
                                         {"src/storage/migrations/postgres/1_core.sql", "x"}};
  const std::vector<File> unknown_dialect = {{"src/storage/migrations/mysql/0001_core.sql", "x"}};
  for (const auto* files : {&gap, &missing, &renamed, &badly_named, &unknown_dialect}) {
    auto m = migrations_for(Dialect::kSqlite, *files);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::kMigrationFailed);
  }
  const std::vector<File> good = {{"src/storage/migrations/postgres/0001_core.sql", "p"},
                                  {"src/storage/migrations/sqlite/0001_core.sql", "s"}};
  auto m = migrations_for(Dialect::kPostgres, good);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ(m->front().sql, "p");
}

TEST(Migrations, ChecksumIsStableAndSensitive) {
  EXPECT_EQ(migration_checksum(""), "cbf29ce484222325");
  EXPECT_NE(migration_checksum("CREATE TABLE a (x INT);"),
            migration_checksum("CREATE TABLE a (x INT); "));
}

}  // namespace
}  // namespace xzzf::storage
