#include "record/log.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "record/merkle.hpp"

namespace xzzf::record {
namespace {

using storage::Dialect;
using storage::Params;
using storage::Tx;

std::int64_t as_i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

Error broken(std::string detail) {
  return make_error(ErrorCode::kDbError, field("detail", "全过程记录：" + std::move(detail)));
}

struct Head {
  std::uint64_t size = 0;
  HashAlgorithm algorithm = HashAlgorithm::kSha256;
};

Result<Head> read_head(Tx& tx, bool lock) {
  std::string sql = "SELECT size, algorithm FROM record_head WHERE id = 1";
  if (lock && tx.dialect() == Dialect::kPostgres) sql += " FOR UPDATE";
  XZZF_TRY(row, tx.query_one(sql));
  if (!row) return fail(broken("record_head 缺少其唯一的行"));
  std::int64_t size = row->i64(0);
  if (size < 0) return fail(broken("record_head.size 为负数"));
  XZZF_TRY(algorithm, parse_hash_algorithm(row->text(1)));
  return Head{static_cast<std::uint64_t>(size), algorithm};
}

Result<Hash> parse_stored_hash(const std::string& text, std::string_view where) {
  auto hash = hash_from_hex(text);
  if (!hash) return fail(broken(fmt::format("{} 的哈希值损坏", where)));
  return *hash;
}

// The complete nodes of record_nodes, read one primary-key lookup at a time.
class StoredNodes final : public NodeSource {
 public:
  explicit StoredNodes(Tx& tx) : tx_(tx) {}

  [[nodiscard]] Result<Hash> node(int level, std::uint64_t index) const override {
    XZZF_TRY(row, tx_.query_one("SELECT hash FROM record_nodes WHERE level = ? AND idx = ?",
                                {level, as_i64(index)}));
    if (!row) return fail(broken(fmt::format("缺少树节点 ({}, {})", level, index)));
    return parse_stored_hash(row->text(0), fmt::format("树节点 ({}, {})", level, index));
  }

 private:
  Tx& tx_;
};

Result<void> check_size(std::uint64_t asked, std::uint64_t current) {
  if (asked > current) {
    return fail(ErrorCode::kRecordSizeInvalid, field("old_size", asked),
                field("new_size", current));
  }
  return {};
}

}  // namespace

Result<std::uint64_t> RecordLog::append(Tx& tx, Entry entry) const {
  XZZF_TRY(head, read_head(tx, /*lock=*/true));
  const std::uint64_t seq = head.size;
  entry.seq = seq;
  XZZF_TRY(payload, canonical_json(entry.payload));
  XZZF_TRY(bytes, canonical_bytes(entry, payload));
  const Hash leaf = leaf_hash(head.algorithm, bytes);

  XZZF_CHECK(tx.exec(
      "INSERT INTO record_entries (seq, at_us, actor_user_id, jurisdiction_id, department_id, "
      "subject_type, subject_id, action, payload, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {as_i64(seq), entry.at.micros, entry.actor_user_id, entry.jurisdiction_id,
       entry.department_id, entry.subject_type, entry.subject_id, entry.action, payload,
       to_hex(leaf)}));

  // Each completed node above level 0 has as its right child the node completed
  // just before it (one level down); its left child is older and stored.
  const auto completed = nodes_completed_by_append(seq + 1);
  std::string sql = "INSERT INTO record_nodes (level, idx, hash) VALUES ";
  Params params;
  params.reserve(completed.size() * 3);
  Hash previous = leaf;
  StoredNodes stored(tx);
  for (std::size_t i = 0; i < completed.size(); ++i) {
    const auto [level, index] = completed[i];
    Hash hash = leaf;
    if (level > 0) {
      XZZF_TRY(left, stored.node(level - 1, 2 * index));
      hash = node_hash(head.algorithm, left, previous);
    }
    previous = hash;
    sql += i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)";
    params.emplace_back(level);
    params.emplace_back(as_i64(index));
    params.emplace_back(to_hex(hash));
  }
  XZZF_CHECK(tx.exec(sql, params));

  XZZF_TRY(updated, tx.exec("UPDATE record_head SET size = ? WHERE id = 1 AND size = ?",
                            {as_i64(seq + 1), as_i64(seq)}));
  if (updated != 1) return fail(broken("树头在追加期间被改动"));
  return seq;
}

Result<void> RecordLog::choose_algorithm(Tx& tx, HashAlgorithm algorithm) const {
  XZZF_TRY(head, read_head(tx, /*lock=*/true));
  if (head.algorithm == algorithm) return {};
  if (head.size > 0) {
    return fail(ErrorCode::kRecordAlgorithmFixed, field("current", to_string(head.algorithm)),
                field("wanted", to_string(algorithm)));
  }
  XZZF_TRY(updated, tx.exec("UPDATE record_head SET algorithm = ? WHERE id = 1 AND size = 0",
                            {std::string(to_string(algorithm))}));
  if (updated != 1) return fail(broken("树头在选择算法期间被改动"));
  return {};
}

Result<void> RecordLog::lock(Tx& tx) const {
  XZZF_TRY(head, read_head(tx, /*lock=*/true));
  (void)head;
  return {};
}

Result<std::uint64_t> RecordLog::size(Tx& tx) const {
  XZZF_TRY(head, read_head(tx, false));
  return head.size;
}

Result<HashAlgorithm> RecordLog::algorithm(Tx& tx) const {
  XZZF_TRY(head, read_head(tx, false));
  return head.algorithm;
}

Result<Hash> RecordLog::root(Tx& tx, std::uint64_t size) const {
  XZZF_TRY(head, read_head(tx, false));
  XZZF_CHECK(check_size(size, head.size));
  return record::root(StoredNodes(tx), size, head.algorithm);
}

Result<std::vector<Hash>> RecordLog::inclusion_proof(Tx& tx, std::uint64_t seq,
                                                     std::uint64_t size) const {
  XZZF_TRY(head, read_head(tx, false));
  XZZF_CHECK(check_size(size, head.size));
  return record::inclusion_proof(StoredNodes(tx), seq, size, head.algorithm);
}

Result<std::vector<Hash>> RecordLog::consistency_proof(Tx& tx, std::uint64_t old_size,
                                                       std::uint64_t new_size) const {
  XZZF_TRY(head, read_head(tx, false));
  XZZF_CHECK(check_size(new_size, head.size));
  return record::consistency_proof(StoredNodes(tx), old_size, new_size, head.algorithm);
}

Result<Entry> RecordLog::entry(Tx& tx, std::uint64_t seq) const {
  XZZF_TRY(row, tx.query_one("SELECT at_us, actor_user_id, jurisdiction_id, department_id, "
                             "subject_type, subject_id, action, payload FROM record_entries "
                             "WHERE seq = ?",
                             {as_i64(seq)}));
  if (!row) {
    XZZF_TRY(head, read_head(tx, false));
    return fail(ErrorCode::kRecordIndexOutOfRange, field("index", seq), field("size", head.size));
  }
  auto payload = nlohmann::json::parse(row->text(7), nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) return fail(broken(fmt::format("条目 {} 的内容不是 JSON", seq)));
  return Entry{.seq = seq,
               .at = Instant{row->i64(0)},
               .actor_user_id = row->opt_i64(1),
               .jurisdiction_id = row->opt_i64(2),
               .department_id = row->opt_i64(3),
               .subject_type = row->text(4),
               .subject_id = row->i64(5),
               .action = row->text(6),
               .payload = std::move(payload)};
}

Result<Hash> RecordLog::stored_leaf_hash(Tx& tx, std::uint64_t seq) const {
  XZZF_TRY(row, tx.query_one("SELECT leaf_hash FROM record_entries WHERE seq = ?", {as_i64(seq)}));
  if (!row) {
    XZZF_TRY(head, read_head(tx, false));
    return fail(ErrorCode::kRecordIndexOutOfRange, field("index", seq), field("size", head.size));
  }
  return parse_stored_hash(row->text(0), fmt::format("条目 {}", seq));
}

}  // namespace xzzf::record
