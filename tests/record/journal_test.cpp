// The command path (Journal), stored checkpoints and the Checkpointer, and the
// verifier against every kind of offline edit, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "record/checkpoints.hpp"
#include "record/journal.hpp"
#include "record/log.hpp"
#include "record/verify.hpp"
#include "test_db.hpp"

namespace xzzf::record {
namespace {

using nlohmann::json;
using storage::Database;
using storage::Dialect;
using storage::Tx;
using storage::testing::DialectTest;

class JournalTest : public DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_TRUE(db_);
    auto key = SigningKey::generate();
    ASSERT_TRUE(key);
    key_ = std::make_unique<SigningKey>(std::move(*key));
  }
  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }

  Act act(std::int64_t i) const {
    return Act{
        .actor_user_id = 7,
        .jurisdiction_id = 1,
        .department_id = 2 + i % 3,
        .subject_type = "department",
        .subject_id = i,
        .action = "department.updated",
        .payload = json{{"name", fmt::format("永城市第{}局", i)}, {"sectors", {"市场监管"}}}};
  }

  void record(int n) {
    for (int i = 0; i < n; ++i) {
      auto seq = db_->write([&](Tx& tx) { return journal_.record(tx, act(i)); });
      ASSERT_TRUE(seq) << seq.error().message;
    }
  }

  Result<std::optional<Checkpoint>> sign() {
    return db_->write([&](Tx& tx) { return sign_checkpoint(tx, *key_, clock_.now()); });
  }

  VerifyReport verify(std::vector<Checkpoint> external = {}) {
    VerifyOptions options;
    options.public_key = key_->public_key();
    options.external_checkpoints = std::move(external);
    auto r = verify_record(*db_, options);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : VerifyReport{};
  }

  std::vector<Checkpoint> checkpoints() {
    auto all = db_->read([](Tx& tx) { return all_checkpoints(tx); });
    EXPECT_TRUE(all);
    return all ? *all : std::vector<Checkpoint>{};
  }

  // Offline edits go around our code: first the append-only triggers go.
  void tamper(const std::string& sql) {
    auto done = db_->write([&](Tx& tx) -> Result<bool> {
      if (tx.dialect() == Dialect::kSqlite) {
        for (const char* t :
             {"record_entries_no_update", "record_entries_no_delete", "record_nodes_no_update",
              "record_nodes_no_delete", "record_checkpoints_no_update",
              "record_checkpoints_no_delete", "record_entries_integer_seq",
              "record_nodes_integer_key", "record_checkpoints_integer_size"}) {
          XZZF_CHECK(tx.exec(fmt::format("DROP TRIGGER IF EXISTS {}", t)));
        }
      } else {
        for (const char* t : {"record_entries", "record_nodes", "record_checkpoints"}) {
          XZZF_CHECK(tx.exec(fmt::format("DROP TRIGGER IF EXISTS {}_append_only ON {}", t, t)));
        }
      }
      XZZF_CHECK(tx.exec(sql));
      return true;
    });
    ASSERT_TRUE(done) << done.error().message;
  }

  FakeClock clock_{Instant{1'780'000'000'000'000}};
  Journal journal_{clock_};
  std::unique_ptr<Database> db_;
  std::unique_ptr<SigningKey> key_;
};

TEST_P(JournalTest, RecordsTheActStampedWithTheClock) {
  record(1);
  auto e = db_->read([](Tx& tx) { return RecordLog().entry(tx, 0); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at, clock_.now());
  EXPECT_EQ(e->action, "department.updated");
  EXPECT_EQ(e->department_id, std::optional<std::int64_t>(2));
  EXPECT_EQ(e->payload.at("name"), "永城市第0局");
}

TEST_P(JournalTest, RefusesPersonalDataAndIncompleteActs) {
  Act a = act(1);
  a.payload = json{{"party", {{"phone", "13800000000"}}}};
  auto r = db_->write([&](Tx& tx) { return journal_.record(tx, a); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRecordPersonalData);
  EXPECT_NE(r.error().message.find("phone"), std::string::npos);
  a.payload = json{{"items", json::array({json{{"id_number", "x"}}})}};
  r = db_->write([&](Tx& tx) { return journal_.record(tx, a); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRecordPersonalData);
  a = act(1);
  a.action.clear();
  r = db_->write([&](Tx& tx) { return journal_.record(tx, a); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRecordActInvalid);
  auto size = db_->read([](Tx& tx) { return RecordLog().size(tx); });
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 0U);
}

TEST_P(JournalTest, TheDatabaseRefusesToChangeOrRemoveEntries) {
  record(2);
  auto update = db_->write(
      [](Tx& tx) { return tx.exec("UPDATE record_entries SET action = 'x' WHERE seq = 0"); });
  EXPECT_FALSE(update);
  auto remove = db_->write([](Tx& tx) { return tx.exec("DELETE FROM record_nodes"); });
  EXPECT_FALSE(remove);
  EXPECT_TRUE(verify().ok);
}

TEST_P(JournalTest, Sm3IsChosenWhileTheRecordIsEmptyAndFixedAfterwards) {
  RecordLog log;
  ASSERT_TRUE(db_->write([&](Tx& tx) { return log.choose_algorithm(tx, HashAlgorithm::kSm3); }));
  record(12);
  auto fixed = db_->write([&](Tx& tx) { return log.choose_algorithm(tx, HashAlgorithm::kSha256); });
  ASSERT_FALSE(fixed);
  EXPECT_EQ(fixed.error().code, ErrorCode::kRecordAlgorithmFixed);
  ASSERT_TRUE(db_->write([&](Tx& tx) { return log.choose_algorithm(tx, HashAlgorithm::kSm3); }));
  auto signed_ = sign();
  ASSERT_TRUE(signed_ && *signed_);
  EXPECT_EQ((*signed_)->algorithm, HashAlgorithm::kSm3);
  auto r = verify();
  EXPECT_TRUE(r.ok) << r.message;
  tamper("UPDATE record_entries SET action = 'department.merged' WHERE seq = 6");
  EXPECT_EQ(verify().first_bad_seq, std::optional<std::uint64_t>(6));
}

TEST_P(JournalTest, CheckpointsSignTheStoredRootOncePerSize) {
  auto none = sign();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none) << "nothing to sign for an empty record";
  record(5);
  auto first = sign();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->size, 5U);
  auto root = db_->read([](Tx& tx) { return RecordLog().root(tx, 5); });
  ASSERT_TRUE(root);
  EXPECT_EQ((*first)->root, *root);
  EXPECT_TRUE(verify_checkpoint(**first, key_->public_key()));
  clock_.advance(std::chrono::seconds(10));
  auto again = sign();
  ASSERT_TRUE(again && *again);
  EXPECT_EQ(**again, **first) << "same size: the existing checkpoint, nothing new";
  EXPECT_EQ(checkpoints().size(), 1U);

  auto other = SigningKey::generate();
  ASSERT_TRUE(other);
  record(1);
  auto refused = db_->write([&](Tx& tx) { return sign_checkpoint(tx, *other, clock_.now()); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kRecordKeyMismatch);
}

TEST_P(JournalTest, CheckpointerFollowsThePolicy) {
  auto key = SigningKey::generate();
  ASSERT_TRUE(key);
  Checkpointer checkpointer(*db_, clock_, std::move(*key),
                            {.every_entries = 10, .every = std::chrono::seconds(60)});
  auto tick = [&] {
    auto r = checkpointer.tick();
    EXPECT_TRUE(r) << r.error().message;
    return r && *r;
  };
  EXPECT_FALSE(tick()) << "empty record";
  record(3);
  EXPECT_TRUE(tick()) << "the first entries get a checkpoint at once";
  record(3);
  EXPECT_FALSE(tick()) << "3 new entries, 0 s: not due";
  clock_.advance(std::chrono::seconds(59));
  EXPECT_FALSE(tick());
  clock_.advance(std::chrono::seconds(1));
  EXPECT_TRUE(tick()) << "60 s after the last one";
  record(10);
  EXPECT_TRUE(tick()) << "10 new entries";
  EXPECT_FALSE(tick());
  auto all = checkpoints();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].size, 3U);
  EXPECT_EQ(all[1].size, 6U);
  EXPECT_EQ(all[2].size, 16U);
}

TEST_P(JournalTest, VerifiesACleanRecordWithItsCheckpoints) {
  for (int round = 0; round < 4; ++round) {
    record(37);
    ASSERT_TRUE(sign());
  }
  auto r = verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 148U);
  EXPECT_EQ(r.checkpoints_checked, 4U);
  EXPECT_GT(r.bytes_hashed, 148U * 100U);
  VerifyOptions no_key;
  auto unverified = verify_record(*db_, no_key);
  ASSERT_TRUE(unverified);
  EXPECT_TRUE(unverified->ok);
  EXPECT_TRUE(unverified->checkpoints_unverified);
}

TEST_P(JournalTest, AVerificationStopsWhenCancelled) {
  record(5);
  VerifyOptions options;
  options.cancelled = [] { return true; };
  auto r = verify_record(*db_, options);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok) << "a cancelled run proves nothing";
  EXPECT_EQ(r->problem, "cancelled");
  EXPECT_EQ(r->first_bad_seq, std::nullopt);
}

TEST_P(JournalTest, EditedEntryIsFoundAtItsSequenceNumber) {
  record(40);
  tamper("UPDATE record_entries SET payload = '{\"name\":\"改过的名称\"}' WHERE seq = 23");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "entry_mismatch");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(23));
}

TEST_P(JournalTest, EditedColumnAndNonCanonicalPayloadAreFound) {
  record(20);
  tamper("UPDATE record_entries SET actor_user_id = 8 WHERE seq = 4");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(4));
}

TEST_P(JournalTest, DeletedEntryIsAGap) {
  record(20);
  tamper("DELETE FROM record_entries WHERE seq = 9");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "gap");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(9));
}

TEST_P(JournalTest, ReorderedEntriesAreFound) {
  record(20);
  // Swap the contents of entries 5 and 12, keeping their sequence numbers.
  tamper(
      "UPDATE record_entries SET subject_id = CASE seq WHEN 5 THEN 12 ELSE 5 END "
      "WHERE seq IN (5, 12)");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(5));
}

TEST_P(JournalTest, InsertedEntryBeyondTheHeadIsFound) {
  record(20);
  tamper(
      "INSERT INTO record_entries (seq, at_us, subject_type, subject_id, action, payload, "
      "leaf_hash) VALUES (20, 1, 'user', 1, 'user.created', '{}', 'x')");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "extra_entry");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(20));
}

TEST_P(JournalTest, RowsWithSequenceNumbersOutsideTheTreeAreFound) {
  record(20);
  tamper(
      "INSERT INTO record_entries SELECT -1, at_us, actor_user_id, jurisdiction_id, "
      "department_id, subject_type, subject_id, action, payload, leaf_hash "
      "FROM record_entries WHERE seq = 0");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "extra_entry");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(0));
}

TEST_P(JournalTest, ValuesOfTheWrongTypeAreFindingsNotFailedReads) {
  if (GetParam() != Dialect::kSqlite) GTEST_SKIP() << "PostgreSQL columns refuse such values";
  record(20);
  tamper(
      "INSERT INTO record_entries SELECT 7.5, at_us, actor_user_id, jurisdiction_id, "
      "department_id, subject_type, subject_id, action, payload, leaf_hash "
      "FROM record_entries WHERE seq = 7");
  auto fraction = verify();
  EXPECT_FALSE(fraction.ok);
  EXPECT_EQ(fraction.problem, "invalid_seq");
  EXPECT_EQ(fraction.first_bad_seq, std::optional<std::uint64_t>(8));
  tamper("DELETE FROM record_entries WHERE seq = 7.5");
  tamper("UPDATE record_entries SET at_us = 'yesterday' WHERE seq = 3");
  auto word = verify();
  EXPECT_FALSE(word.ok);
  EXPECT_EQ(word.first_bad_seq, std::optional<std::uint64_t>(3));
  tamper("UPDATE record_entries SET at_us = 1 WHERE seq = 3");
  ASSERT_TRUE(sign());
  tamper("UPDATE record_checkpoints SET size = 'all'");
  auto checkpoint = verify();
  EXPECT_FALSE(checkpoint.ok);
  EXPECT_EQ(checkpoint.problem, "checkpoint_invalid");
}

TEST_P(JournalTest, TheDatabaseRefusesKeysThatAreNotIntegers) {
  if (GetParam() != Dialect::kSqlite) GTEST_SKIP() << "PostgreSQL's column types do this";
  record(3);
  for (const char* value : {"NULL", "1.5", "'条目'", "-2"}) {
    auto inserted = db_->write([&](Tx& tx) {
      return tx.exec(fmt::format(
          "INSERT INTO record_entries SELECT {}, at_us, actor_user_id, jurisdiction_id, "
          "department_id, subject_type, subject_id, action, payload, leaf_hash "
          "FROM record_entries WHERE seq = 0",
          value));
    });
    EXPECT_FALSE(inserted) << value;
  }
}

TEST_P(JournalTest, NullsAndTextAreFindingsOnceTheTriggersAreGone) {
  if (GetParam() != Dialect::kSqlite) GTEST_SKIP() << "PostgreSQL columns refuse such values";
  record(12);
  ASSERT_TRUE(sign());
  tamper(
      "INSERT INTO record_entries SELECT '条目条目条目条目条目条目条目', at_us, actor_user_id, "
      "jurisdiction_id, department_id, subject_type, subject_id, action, payload, leaf_hash "
      "FROM record_entries WHERE seq = 3");
  auto text = verify();
  EXPECT_FALSE(text.ok);
  EXPECT_EQ(text.first_bad_seq, std::optional<std::uint64_t>(12));
  tamper("UPDATE record_entries SET seq = NULL WHERE seq = '条目条目条目条目条目条目条目'");
  auto null_seq = verify();
  EXPECT_FALSE(null_seq.ok);
  EXPECT_EQ(null_seq.problem, "extra_entry");
  tamper("DELETE FROM record_entries WHERE seq IS NULL");
  tamper("UPDATE record_entries SET payload = X'7bff7d' WHERE seq = 5");
  EXPECT_EQ(verify().first_bad_seq, std::optional<std::uint64_t>(5));
  tamper(
      "INSERT INTO record_checkpoints SELECT NULL, root, at_us, algorithm, "
      "signature_algorithm, key_id, signature FROM record_checkpoints");
  auto null_size = verify();
  EXPECT_FALSE(null_size.ok);
  EXPECT_EQ(null_size.problem, "checkpoint_invalid");
}

TEST_P(JournalTest, TamperedLeafAndNodeHashesAreFound) {
  record(32);
  tamper(
      "UPDATE record_entries SET leaf_hash = "
      "'0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 17");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(17));
}

TEST_P(JournalTest, TamperedInteriorNodeIsFoundAtItsFirstLeaf) {
  record(32);
  tamper(
      "UPDATE record_nodes SET hash = "
      "'1111111111111111111111111111111111111111111111111111111111111111' "
      "WHERE level = 2 AND idx = 3");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "node_mismatch");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(12));
}

TEST_P(JournalTest, TruncationIsFoundAgainstCheckpointsKeptOutside) {
  record(30);
  ASSERT_TRUE(sign());
  auto kept = checkpoints();
  tamper("DELETE FROM record_entries WHERE seq >= 25");
  tamper("DELETE FROM record_nodes WHERE (idx + 1) * (1 << level) > 25");
  tamper("DELETE FROM record_checkpoints");
  tamper("UPDATE record_head SET size = 25");
  EXPECT_TRUE(verify().ok) << "without outside copies a clean cut looks whole";
  auto r = verify(kept);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "truncated");
  EXPECT_EQ(r.first_bad_seq, std::optional<std::uint64_t>(25));
}

TEST_P(JournalTest, RewrittenTreeIsFoundAgainstCheckpointsAndTheKey) {
  // Checkpoints at 10, 20, 30; then the tree is rebuilt from entry 14 on with
  // fresh hashes, and the stored checkpoints re-signed with another key.
  for (int i = 0; i < 3; ++i) {
    record(10);
    ASSERT_TRUE(sign());
  }
  auto kept = checkpoints();
  std::vector<Entry> entries;
  RecordLog log;
  for (std::uint64_t seq = 0; seq < 30; ++seq) {
    auto e = db_->read([&](Tx& tx) { return log.entry(tx, seq); });
    ASSERT_TRUE(e);
    if (seq == 14) e->payload["name"] = "改写";
    entries.push_back(std::move(*e));
  }
  tamper("DELETE FROM record_entries");
  tamper("DELETE FROM record_nodes");
  tamper("DELETE FROM record_checkpoints");
  tamper("UPDATE record_head SET size = 0");
  for (auto& e : entries) {
    auto seq = db_->write([&](Tx& tx) { return RecordLog().append(tx, e); });
    ASSERT_TRUE(seq);
  }
  auto other = SigningKey::generate();
  ASSERT_TRUE(other);
  ASSERT_TRUE(db_->write([&](Tx& tx) { return sign_checkpoint(tx, *other, clock_.now()); }));

  VerifyOptions inside_only;
  auto looks_whole = verify_record(*db_, inside_only);
  ASSERT_TRUE(looks_whole);
  EXPECT_TRUE(looks_whole->ok) << "a consistent rewrite passes without the key and the copies";

  auto forged_signature = verify();
  EXPECT_FALSE(forged_signature.ok);
  EXPECT_EQ(forged_signature.problem, "checkpoint_signature");

  VerifyOptions outside;
  outside.public_key = key_->public_key();
  outside.external_checkpoints = kept;
  tamper("DELETE FROM record_checkpoints");
  auto r = verify_record(*db_, outside);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->problem, "checkpoint_mismatch");
  EXPECT_EQ(r->first_bad_seq, std::optional<std::uint64_t>(10))
      << "the fault lies after the last checkpoint that still matches";
}

INSTANTIATE_TEST_SUITE_P(Dialects, JournalTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::record
