// Migrations on both databases: a fresh database, a re-run, two processes at
// once, an edited migration, a database newer than the binary, the
// append-only audit table.

#include <gtest/gtest.h>

#include <thread>

#include "storage/migrations.hpp"
#include "test_db.hpp"

namespace xzzf::storage {
namespace {

using testing::DialectTest;

int latest_version(Dialect dialect) {
  auto m = migrations_for(dialect);
  EXPECT_TRUE(m);
  return m && !m->empty() ? m->back().version : 0;
}

class MigrateTest : public DialectTest {};

TEST_P(MigrateTest, FreshDatabaseThenIdempotent) {
  auto db = test_db_->open();
  ASSERT_NE(db, nullptr);
  auto before = db->migration_status();
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->current, 0);
  EXPECT_EQ(before->latest, latest_version(GetParam()));

  auto ran = db->migrate();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(*ran, latest_version(GetParam()));
  auto after = db->migration_status();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->current, after->latest);

  auto again = db->migrate();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, 0);

  auto rows = db->read([](Tx& tx) {
    return tx.query(
        "SELECT version, name, checksum, applied_at_us FROM schema_migrations ORDER BY version");
  });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), static_cast<std::size_t>(latest_version(GetParam())));
  EXPECT_EQ((*rows)[0].i64(0), 1);
  EXPECT_EQ((*rows)[0].text(1), "core");
  EXPECT_EQ((*rows)[0].text(2), migrations_for(GetParam())->front().checksum);
  EXPECT_GT((*rows)[0].i64(3), 0);
}

TEST_P(MigrateTest, TwoDatabasesMigratingAtOnce) {
  auto a = test_db_->open();
  auto b = test_db_->open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Result<int> ran_a = 0;
  Result<int> ran_b = 0;
  std::thread ta([&] { ran_a = a->migrate(); });
  std::thread tb([&] { ran_b = b->migrate(); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ran_a) << ran_a.error().message;
  ASSERT_TRUE(ran_b) << ran_b.error().message;
  EXPECT_EQ(*ran_a + *ran_b, latest_version(GetParam()));
  auto status = a->migration_status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, status->latest);
}

TEST_P(MigrateTest, EditedMigrationIsRefused) {
  auto db = test_db_->open_migrated();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->write([](Tx& tx) {
    return tx.exec("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
  }));
  auto ran = db->migrate();
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kMigrationFailed);
}

TEST_P(MigrateTest, NewerDatabaseIsRefused) {
  auto db = test_db_->open_migrated();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->write([](Tx& tx) {
    return tx.exec(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at_us) VALUES (9999, "
        "'future', 'x', 1)");
  }));
  auto ran = db->migrate();
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kMigrationNewerSchema);
  EXPECT_NE(ran.error().message.find("9999"), std::string::npos) << ran.error().message;
  auto status = db->migration_status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, 9999);
}

TEST_P(MigrateTest, AuditEventsAreAppendOnly) {
  auto db = test_db_->open_migrated();
  ASSERT_NE(db, nullptr);
  auto id = db->write([](Tx& tx) {
    return tx.insert("INSERT INTO audit_events (at_us, event, actor) VALUES (?, ?, ?)",
                     {1, "auth.login", "alice"});
  });
  ASSERT_TRUE(id) << id.error().message;

  auto update = db->write([&](Tx& tx) {
    return tx.exec("UPDATE audit_events SET actor = 'mallory' WHERE id = ?", {*id});
  });
  ASSERT_FALSE(update);
  EXPECT_NE(update.error().message.find("append-only"), std::string::npos)
      << update.error().message;
  auto del =
      db->write([&](Tx& tx) { return tx.exec("DELETE FROM audit_events WHERE id = ?", {*id}); });
  ASSERT_FALSE(del);
  auto del_all = db->write([](Tx& tx) { return tx.exec("DELETE FROM audit_events"); });
  ASSERT_FALSE(del_all);
  if (GetParam() == Dialect::kPostgres) {
    auto truncate = db->write([](Tx& tx) { return tx.exec("TRUNCATE audit_events"); });
    ASSERT_FALSE(truncate);
  }
  auto row = db->read([&](Tx& tx) {
    return tx.query_one("SELECT actor, COUNT(*) FROM audit_events GROUP BY actor");
  });
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->text(0), "alice");
  EXPECT_EQ((*row)->i64(1), 1);
}

TEST_P(MigrateTest, AuditEventsDefaults) {
  auto db = test_db_->open_migrated();
  ASSERT_NE(db, nullptr);
  auto row = db->write([](Tx& tx) -> Result<std::optional<Row>> {
    auto id =
        tx.insert("INSERT INTO audit_events (at_us, event) VALUES (?, ?)", {5, "http.refused"});
    if (!id) return tl::unexpected(id.error());
    return tx.query_one("SELECT actor, actor_user_id, status FROM audit_events WHERE id = ?",
                        {*id});
  });
  ASSERT_TRUE(row && *row) << (row ? "" : row.error().message);
  EXPECT_EQ((*row)->text(0), "");
  EXPECT_TRUE((*row)->is_null(1));
  EXPECT_TRUE((*row)->is_null(2));
}

INSTANTIATE_TEST_SUITE_P(Dialects, MigrateTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::dialect_name);

}  // namespace
}  // namespace xzzf::storage
