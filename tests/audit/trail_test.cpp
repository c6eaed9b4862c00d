#include "audit/trail.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_db.hpp"

namespace xzzf::audit {
namespace {

using storage::Dialect;
using storage::Tx;
using storage::testing::DialectTest;

AuditEvent refusal(std::string path, int status = 404) {
  AuditEvent e;
  e.event = "http.refused";
  e.actor = "anonymous";
  e.remote_addr = "192.0.2.7";
  e.method = "GET";
  e.path = std::move(path);
  e.status = status;
  e.code = "http.not_found";
  e.detail_json = R"({"reason":"no route"})";
  e.request_id = "req-1";
  return e;
}

class TrailTest : public DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }

  std::unique_ptr<storage::Database> db_;
  FakeClock clock_{Instant{1'760'000'000'000'000}};
};

TEST_P(TrailTest, SubmitThenFlushWrites) {
  AuditTrail trail(*db_, clock_);
  for (int i = 0; i < 10; ++i) {
    trail.submit(refusal("/api/x/" + std::to_string(i)));
    clock_.advance(std::chrono::seconds(1));
  }
  trail.flush();
  EXPECT_EQ(trail.written(), 10u);
  EXPECT_EQ(trail.dropped(), 0u);
  auto events = trail.recent(100);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 10u);
  // Newest first, every field back as given, the time from the clock.
  EXPECT_EQ(events->front().path, "/api/x/9");
  EXPECT_EQ(events->back().path, "/api/x/0");
  AuditEvent expected = refusal("/api/x/0");
  expected.at = Instant{1'760'000'000'000'000};
  EXPECT_EQ(events->back(), expected);
}

TEST_P(TrailTest, RecentFiltersAndLimits) {
  AuditTrail trail(*db_, clock_);
  AuditEvent login;
  login.event = "auth.login";
  login.actor = "alice";
  login.actor_user_id = 42;
  for (int i = 0; i < 3; ++i) {
    trail.submit(refusal("/r" + std::to_string(i)));
    clock_.advance(std::chrono::milliseconds(1));
    trail.submit(login);
    clock_.advance(std::chrono::milliseconds(1));
  }
  trail.flush();
  auto logins = trail.recent(10, "auth.login");
  ASSERT_TRUE(logins) << logins.error().message;
  ASSERT_EQ(logins->size(), 3u);
  for (const auto& e : *logins) {
    EXPECT_EQ(e.event, "auth.login");
    EXPECT_EQ(e.actor_user_id, 42);
    EXPECT_EQ(e.status, 0);
    EXPECT_EQ(e.path, "");
  }
  EXPECT_GT((*logins)[0].at, (*logins)[1].at);
  auto two = trail.recent(2);
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].event, "auth.login");
  EXPECT_EQ((*two)[1].path, "/r2");
  auto none = trail.recent(0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(TrailTest, SameInstantNewestIdFirst) {
  AuditTrail trail(*db_, clock_);
  trail.submit(refusal("/first"));
  trail.submit(refusal("/second"));
  trail.flush();
  auto events = trail.recent(2);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].path, "/second");
}

TEST_P(TrailTest, AppendCommitsAndRollsBackWithTheTransaction) {
  AuditTrail trail(*db_, clock_);
  AuditEvent login;
  login.event = "auth.login";
  login.actor = "alice";
  auto rolled_back = db_->write([&](Tx& tx) -> Result<void> {
    if (auto r = trail.append(tx, login); !r) return r;
    return fail(ErrorCode::kIdInvalid, field("text", "x"));
  });
  ASSERT_FALSE(rolled_back);
  auto none = trail.recent(10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  auto committed = db_->write([&](Tx& tx) { return trail.append(tx, login); });
  ASSERT_TRUE(committed) << committed.error().message;
  auto one = trail.recent(10);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().actor, "alice");
  EXPECT_EQ(one->front().at, clock_.now());
}

TEST_P(TrailTest, FullQueueDropsAndCounts) {
  // The writer wakes for a full batch, a flush or the interval: with an hour
  // and a batch larger than the queue, nothing drains until flush().
  AuditTrail trail(
      *db_, clock_,
      {.queue_capacity = 10, .flush_interval = std::chrono::hours(1), .max_batch = 100});
  for (int i = 0; i < 1000; ++i) trail.submit(refusal("/flood"));
  EXPECT_EQ(trail.dropped(), 990u);
  trail.flush();
  EXPECT_EQ(trail.written(), 10u);
  // Room again.
  trail.submit(refusal("/after"));
  trail.flush();
  EXPECT_EQ(trail.written(), 11u);
  EXPECT_EQ(trail.dropped(), 990u);
}

TEST_P(TrailTest, ManyThreadsManyBatches) {
  AuditTrail trail(
      *db_, clock_,
      {.queue_capacity = 100000, .flush_interval = std::chrono::milliseconds(5), .max_batch = 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) trail.submit(refusal("/t" + std::to_string(t)));
    });
  }
  for (auto& th : threads) th.join();
  trail.flush();
  EXPECT_EQ(trail.written(), 1000u);
  auto n = db_->read([](Tx& tx) { return tx.query_one("SELECT COUNT(*) FROM audit_events"); });
  ASSERT_TRUE(n && *n);
  EXPECT_EQ((*n)->i64(0), 1000);
}

TEST_P(TrailTest, DestructorWritesWhatIsQueued) {
  {
    AuditTrail trail(
        *db_, clock_,
        {.queue_capacity = 100, .flush_interval = std::chrono::hours(1), .max_batch = 100});
    for (int i = 0; i < 5; ++i) trail.submit(refusal("/bye"));
  }
  AuditTrail reader(*db_, clock_);
  auto events = reader.recent(10);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 5u);
}

TEST_P(TrailTest, HostileTextIsStoredSafely) {
  AuditTrail trail(*db_, clock_);
  AuditEvent e = refusal(std::string("/a\xff\xfe/b\0c", 8));
  e.remote_addr = std::string(10000, 'x');
  e.detail_json = std::string(200 * 1024, ' ');
  trail.submit(e);
  trail.flush();
  EXPECT_EQ(trail.written(), 1u);
  EXPECT_EQ(trail.dropped(), 0u);
  auto events = trail.recent(1);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().path,
            "/a\xEF\xBF\xBD\xEF\xBF\xBD/b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(events->front().remote_addr.size(), 256u);
  EXPECT_EQ(events->front().detail_json, R"({"truncated":true})");
}

TEST_P(TrailTest, RecentOnEmptyTrail) {
  AuditTrail trail(*db_, clock_);
  trail.flush();
  auto events = trail.recent(10);
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
}

INSTANTIATE_TEST_SUITE_P(Dialects, TrailTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         storage::testing::dialect_name);

// A failed batch stays queued and is written on a later try: SQLite's write
// lock held by another Database makes the writer's BEGIN IMMEDIATE time out.
TEST(TrailRetry, FailedBatchIsRetriedWithoutLoss) {
  storage::testing::TestDatabase test_db(Dialect::kSqlite);
  auto options = storage::testing::TestDatabase::default_options();
  options.busy_timeout_ms = 50;
  auto db = test_db.open_migrated(options);
  auto blocker = test_db.open(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NE(blocker, nullptr);
  FakeClock clock{Instant{1}};
  AuditTrail trail(
      *db, clock,
      {.queue_capacity = 100, .flush_interval = std::chrono::milliseconds(10), .max_batch = 10});

  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    auto r = blocker->write([&](Tx& tx) -> Result<void> {
      if (auto e = tx.exec("CREATE TABLE lock_holder (x INTEGER)"); !e)
        return tl::unexpected(e.error());
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  for (int i = 0; i < 3; ++i) trail.submit(refusal("/locked"));
  trail.flush();  // returns after the failed attempt
  EXPECT_EQ(trail.written(), 0u);
  EXPECT_EQ(trail.dropped(), 0u);

  release = true;
  holder.join();
  trail.flush();
  EXPECT_EQ(trail.written(), 3u);
  EXPECT_EQ(trail.dropped(), 0u);
  auto events = trail.recent(10);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 3u);
}

}  // namespace
}  // namespace xzzf::audit
