#include "record/log.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "record/entry.hpp"
#include "record/hash.hpp"
#include "record/merkle.hpp"
#include "test_db.hpp"

namespace xzzf::record {
namespace {

using nlohmann::json;
using storage::Database;
using storage::Dialect;
using storage::Tx;
using storage::testing::DialectTest;

// ------------------------------------------------------------ canonical bytes

TEST(RecordEntry, CanonicalBytesExactFormat) {
  Entry e{.seq = 7,
          .at = Instant{1700000000000001},
          .actor_user_id = 42,
          .jurisdiction_id = std::nullopt,
          .department_id = -3,
          .subject_type = "case",
          .subject_id = 9,
          .action = "create",
          .payload = json{{"b", json::array({1, -2, true, nullptr})}, {"a", "x\"\\\n\x01"}}};
  auto bytes = canonical_bytes(e);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, R"({"action":"create","actor_user_id":42,"at_us":1700000000000001,)"
                    R"("department_id":-3,"jurisdiction_id":null,)"
                    R"("payload":{"a":"x\"\\\n\u0001","b":[1,-2,true,null]},)"
                    R"("seq":7,"subject_id":9,"subject_type":"case"})");
}

TEST(RecordEntry, KeyOrderIndependentOfInsertionOrder) {
  json first = json::object();
  first["zeta"] = 1;
  first["alpha"] = json{{"y", 2}, {"x", 3}};
  first["中文"] = "甲";
  first["Mid"] = nullptr;
  json second = json::object();
  second["Mid"] = nullptr;
  second["中文"] = "甲";
  second["alpha"] = json{{"x", 3}, {"y", 2}};
  second["zeta"] = 1;
  auto a = canonical_json(first);
  auto b = canonical_json(second);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  // Unsigned byte order: upper case before lower case before any CJK key.
  EXPECT_EQ(*a, R"({"Mid":null,"alpha":{"x":3,"y":2},"zeta":1,"中文":"甲"})");
}

TEST(RecordEntry, ChineseTextStaysUtf8) {
  Entry e{.subject_type = "案件",
          .action = "立案",
          .payload = json{{"案由", "未按规定公示食品经营许可证"}}};
  auto bytes = canonical_bytes(e);
  ASSERT_TRUE(bytes);
  EXPECT_NE(bytes->find("\"案由\":\"未按规定公示食品经营许可证\""), std::string::npos) << *bytes;
  EXPECT_NE(bytes->find("\"subject_type\":\"案件\""), std::string::npos);
  EXPECT_EQ(bytes->find("\\u"), std::string::npos);
}

TEST(RecordEntry, FloatsAndBadUtf8Refused) {
  for (const json& payload : {json{{"amount", 1.5}}, json{{"list", json::array({1, 2.0})}},
                              json(0.25), json{{"deep", json{{"x", json{{"y", -1e10}}}}}}}) {
    Entry e{.payload = payload};
    auto bytes = canonical_bytes(e);
    ASSERT_FALSE(bytes) << payload.dump();
    EXPECT_EQ(bytes.error().code, ErrorCode::kJsonWrongType);
  }
  Entry bad_text{.action = std::string("\xE4\xB8", 2)};
  EXPECT_FALSE(canonical_bytes(bad_text));
  Entry bad_key{.payload = json{{std::string("\xC0\xAF"), 1}}};
  EXPECT_FALSE(canonical_bytes(bad_key));
  Entry surrogate{.payload = json{{"s", std::string("\xED\xA0\x80")}}};
  EXPECT_FALSE(canonical_bytes(surrogate));
  // Large integers of either sign stay integers.
  Entry big{.payload = json{{"u", std::uint64_t{18446744073709551615ULL}},
                            {"i", std::int64_t{-9223372036854775807LL - 1}}}};
  auto bytes = canonical_bytes(big);
  ASSERT_TRUE(bytes);
  EXPECT_NE(bytes->find(R"({"i":-9223372036854775808,"u":18446744073709551615})"),
            std::string::npos);
}

// ------------------------------------------------------------------ the log

Entry sample_entry(std::uint64_t i) {
  auto n = static_cast<std::int64_t>(i);
  return Entry{
      .at = Instant{1700000000000000 + n * 1000},
      .actor_user_id = i % 3 == 0 ? std::nullopt : std::optional<std::int64_t>(n),
      .jurisdiction_id = 1,
      .department_id = i % 5 == 0 ? std::nullopt : std::optional<std::int64_t>(2),
      .subject_type = i % 2 == 0 ? "case" : "user",
      .subject_id = n / 7,
      .action = "更新",
      .payload = json{{"n", n}, {"名称", "案件" + std::to_string(i)}, {"flag", i % 2 == 0}}};
}

// MTH(D[begin:end]) written out from RFC 9162 §2.1.1.
Hash naive_mth(HashAlgorithm alg, const std::vector<std::string>& d, std::size_t begin,
               std::size_t end) {
  std::size_t n = end - begin;
  if (n == 0) return digest(alg, "");
  if (n == 1) return leaf_hash(alg, d[begin]);
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return node_hash(alg, naive_mth(alg, d, begin, begin + k), naive_mth(alg, d, begin + k, end));
}

int ceil_log2(std::uint64_t n) {
  return n <= 1 ? 0 : static_cast<int>(std::bit_width(n - 1));
}

class RecordLogTest : public DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_TRUE(db_);
  }
  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }

  std::uint64_t append(std::uint64_t i) {
    auto seq = db_->write([&](Tx& tx) { return log_.append(tx, sample_entry(i)); });
    EXPECT_TRUE(seq) << seq.error().message;
    return seq ? *seq : ~std::uint64_t{0};
  }

  // The canonical bytes of every stored entry, recomputed from its columns.
  std::vector<std::string> stored_entries() {
    auto out = db_->read([&](Tx& tx) -> Result<std::vector<std::string>> {
      XZZF_TRY(size, log_.size(tx));
      std::vector<std::string> d;
      for (std::uint64_t i = 0; i < size; ++i) {
        XZZF_TRY(e, log_.entry(tx, i));
        EXPECT_EQ(e.seq, i);
        XZZF_TRY(bytes, canonical_bytes(e));
        d.push_back(std::move(bytes));
      }
      return d;
    });
    EXPECT_TRUE(out) << out.error().message;
    return out ? *out : std::vector<std::string>{};
  }

  struct Snapshot {
    std::int64_t size, entries, nodes;
    Hash root;
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
  };
  Snapshot snapshot() {
    auto s = db_->read([&](Tx& tx) -> Result<Snapshot> {
      XZZF_TRY(size, log_.size(tx));
      XZZF_TRY(root, log_.root(tx, size));
      XZZF_TRY(entries, tx.query_one("SELECT COUNT(*) FROM record_entries"));
      XZZF_TRY(nodes, tx.query_one("SELECT COUNT(*) FROM record_nodes"));
      return Snapshot{static_cast<std::int64_t>(size), entries->i64(0), nodes->i64(0), root};
    });
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : Snapshot{};
  }

  std::unique_ptr<Database> db_;
  RecordLog log_;
};

TEST_P(RecordLogTest, EmptyTree) {
  auto r = db_->read([&](Tx& tx) -> Result<bool> {
    XZZF_TRY(size, log_.size(tx));
    EXPECT_EQ(size, 0u);
    XZZF_TRY(alg, log_.algorithm(tx));
    EXPECT_EQ(alg, HashAlgorithm::kSha256);
    XZZF_TRY(root, log_.root(tx, 0));
    EXPECT_EQ(root, empty_root(HashAlgorithm::kSha256));
    auto beyond = log_.root(tx, 1);
    EXPECT_FALSE(beyond);
    auto missing = log_.entry(tx, 0);
    EXPECT_FALSE(missing);
    if (!missing) {
      EXPECT_EQ(missing.error().code, ErrorCode::kRecordIndexOutOfRange);
    }
    return true;
  });
  ASSERT_TRUE(r) << r.error().message;
}

TEST_P(RecordLogTest, RootsAndProofsMatchTheRfcOver300Appends) {
  constexpr std::uint64_t kCount = 300;
  for (std::uint64_t i = 0; i < kCount; ++i) ASSERT_EQ(append(i), i);

  const auto d = stored_entries();
  ASSERT_EQ(d.size(), kCount);
  const auto alg = HashAlgorithm::kSha256;

  auto r = db_->read([&](Tx& tx) -> Result<bool> {
    // The entries read back are the entries written, and the stored leaf hash
    // is the hash of the recomputed bytes.
    for (std::uint64_t i = 0; i < kCount; ++i) {
      XZZF_TRY(e, log_.entry(tx, i));
      auto expected = sample_entry(i);
      expected.seq = i;
      XZZF_TRY(got, canonical_bytes(e));
      XZZF_TRY(want, canonical_bytes(expected));
      EXPECT_EQ(got, want) << i;
      XZZF_TRY(leaf, log_.stored_leaf_hash(tx, i));
      EXPECT_EQ(leaf, leaf_hash(alg, d[i])) << i;
    }
    // Every root.
    std::vector<Hash> roots(kCount + 1);
    for (std::uint64_t size = 0; size <= kCount; ++size) {
      XZZF_TRY(root, log_.root(tx, size));
      roots[size] = root;
      EXPECT_EQ(root, naive_mth(alg, d, 0, size)) << "size " << size;
    }
    // Inclusion and consistency proofs for sampled sizes.
    std::vector<std::uint64_t> sizes;
    for (std::uint64_t s = 1; s <= 17; ++s) sizes.push_back(s);
    for (std::uint64_t s :
         {31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 200, 255, 256, 257, 299, 300})
      sizes.push_back(s);
    std::uint64_t state = 12345;
    auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
    int inclusion = 0;
    int consistency = 0;
    for (std::uint64_t size : sizes) {
      std::vector<std::uint64_t> seqs = {0, size / 2, size - 1, (next() >> 33) % size};
      for (std::uint64_t seq : seqs) {
        XZZF_TRY(proof, log_.inclusion_proof(tx, seq, size));
        EXPECT_LE(static_cast<int>(proof.size()), ceil_log2(size));
        EXPECT_TRUE(verify_inclusion(alg, seq, size, leaf_hash(alg, d[seq]), proof, roots[size]))
            << seq << " in " << size;
        // A proof must not verify another leaf.
        if (size > 1) {
          std::uint64_t other = (seq + 1) % size;
          EXPECT_FALSE(
              verify_inclusion(alg, seq, size, leaf_hash(alg, d[other]), proof, roots[size]));
        }
        ++inclusion;
      }
      for (std::uint64_t old_size : sizes) {
        if (old_size > size) continue;
        XZZF_TRY(proof, log_.consistency_proof(tx, old_size, size));
        EXPECT_TRUE(verify_consistency(alg, old_size, size, roots[old_size], roots[size], proof))
            << old_size << " -> " << size;
        ++consistency;
      }
    }
    EXPECT_GT(inclusion, 100);
    EXPECT_GT(consistency, 300);
    // Beyond the tree.
    EXPECT_FALSE(log_.inclusion_proof(tx, 0, kCount + 1));
    EXPECT_FALSE(log_.inclusion_proof(tx, kCount, kCount));
    EXPECT_FALSE(log_.consistency_proof(tx, 1, kCount + 1));
    EXPECT_FALSE(log_.consistency_proof(tx, 0, kCount));
    // One node per complete subtree: 2n - popcount(n).
    XZZF_TRY(nodes, tx.query_one("SELECT COUNT(*) FROM record_nodes"));
    EXPECT_EQ(nodes->i64(0), static_cast<std::int64_t>(2 * kCount - std::popcount(kCount)));
    return true;
  });
  ASSERT_TRUE(r) << r.error().message;
}

TEST_P(RecordLogTest, RollbackLeavesNoTraceAndNoGap) {
  for (std::uint64_t i = 0; i < 7; ++i) ASSERT_EQ(append(i), i);
  const Snapshot before = snapshot();
  ASSERT_EQ(before.size, 7);

  // The caller's transaction fails after the append: seq 7 (which would
  // complete four nodes) is rolled back with it.
  std::uint64_t assigned = 0;
  auto failed = db_->write([&](Tx& tx) -> Result<int> {
    XZZF_TRY(seq, log_.append(tx, sample_entry(100)));
    assigned = seq;
    return fail(ErrorCode::kDbConflict, field("detail", "the domain change failed"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(assigned, 7u);
  EXPECT_EQ(snapshot(), before);

  // A payload without canonical bytes writes nothing either.
  Entry floaty = sample_entry(101);
  floaty.payload["ratio"] = 0.5;
  auto refused = db_->write([&](Tx& tx) { return log_.append(tx, floaty); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kJsonWrongType);
  EXPECT_EQ(snapshot(), before);

  // The next append takes the same sequence number.
  ASSERT_EQ(append(7), 7u);
  const auto d = stored_entries();
  ASSERT_EQ(d.size(), 8u);
  EXPECT_EQ(snapshot().root, naive_mth(HashAlgorithm::kSha256, d, 0, 8));
  EXPECT_EQ(snapshot().nodes, 15);
}

TEST_P(RecordLogTest, ConcurrentWritersStayGapFree) {
  constexpr int kPerThread = 200;
  std::vector<std::uint64_t> seqs[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto n = static_cast<std::uint64_t>(t * 1000 + i);
        auto seq = db_->write([&](Tx& tx) { return log_.append(tx, sample_entry(n)); });
        if (!seq) {
          ADD_FAILURE() << "thread " << t << ": " << seq.error().message;
          return;
        }
        seqs[t].push_back(*seq);
      }
    });
  }
  for (auto& th : threads) th.join();

  ASSERT_EQ(seqs[0].size() + seqs[1].size(), 2u * kPerThread);
  std::vector<bool> seen(2 * kPerThread, false);
  for (const auto& mine : seqs) {
    for (std::size_t i = 0; i < mine.size(); ++i) {
      ASSERT_LT(mine[i], seen.size());
      EXPECT_FALSE(seen[mine[i]]) << "seq twice: " << mine[i];
      seen[mine[i]] = true;
      if (i > 0) {
        EXPECT_LT(mine[i - 1], mine[i]);
      }
    }
  }

  auto rows =
      db_->read([](Tx& tx) { return tx.query("SELECT seq FROM record_entries ORDER BY seq"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u * kPerThread);
  for (std::size_t i = 0; i < rows->size(); ++i)
    ASSERT_EQ((*rows)[i].i64(0), static_cast<std::int64_t>(i));

  const auto d = stored_entries();
  ASSERT_EQ(d.size(), 2u * kPerThread);
  const Snapshot s = snapshot();
  EXPECT_EQ(s.size, 2 * kPerThread);
  EXPECT_EQ(s.nodes, 2 * 2 * kPerThread - std::popcount(2u * kPerThread));
  EXPECT_EQ(s.root, naive_mth(HashAlgorithm::kSha256, d, 0, d.size()));
}

// Not a benchmark of record: the durable-append rate printed for the report,
// next to a bare single-row insert commit with the same settings.
TEST_P(RecordLogTest, AppendRateFigure) {
  constexpr int kCount = 300;
  ASSERT_TRUE(db_->write([](Tx& tx) {
    return tx.exec("CREATE TABLE bench_bare (id BIGINT PRIMARY KEY, v TEXT NOT NULL)");
  }));
  // Interleaved, so that both see the same disk and cache conditions.
  using Clock = std::chrono::steady_clock;
  Clock::duration bare{};
  Clock::duration appends{};
  for (int i = 0; i < kCount; ++i) {
    auto t0 = Clock::now();
    auto r = db_->write([&](Tx& tx) {
      return tx.exec("INSERT INTO bench_bare (id, v) VALUES (?, ?)", {i, "x"});
    });
    auto t1 = Clock::now();
    ASSERT_TRUE(r);
    ASSERT_EQ(append(static_cast<std::uint64_t>(i)), static_cast<std::uint64_t>(i));
    auto t2 = Clock::now();
    bare += t1 - t0;
    appends += t2 - t1;
  }
  auto rate = [](Clock::duration d) { return kCount / std::chrono::duration<double>(d).count(); };
  std::printf(
      "[ figure ] %s: bare insert commit %.0f/s, record append commit %.0f/s (ratio %.2f)\n",
      GetParam() == Dialect::kSqlite ? "sqlite" : "postgres", rate(bare), rate(appends),
      rate(appends) / rate(bare));
}

INSTANTIATE_TEST_SUITE_P(Dialects, RecordLogTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::record
