#include "record/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "record/checkpoints.hpp"
#include "record/entry.hpp"
#include "record/hash.hpp"

namespace xzzf::record {
namespace {

using storage::Tx;

constexpr std::int64_t kBatch = 4096;

std::int64_t as_i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

// A complete subtree: (level, index) and its hash.
struct Node {
  int level = 0;
  std::uint64_t index = 0;
  Hash hash{};
};

// The right edge of the tree being rebuilt from its leaves: the complete
// subtrees of the leaves so far, largest first (O(log n) of them).
class Edge {
 public:
  explicit Edge(HashAlgorithm algorithm) : algorithm_(algorithm) {}

  // Adds leaf `index`; appends to `completed` every node it completes, leaf first.
  void push(std::uint64_t index, const Hash& leaf, std::vector<Node>& completed) {
    Node node{0, index, leaf};
    completed.push_back(node);
    while (!stack_.empty() && stack_.back().level == node.level) {
      Node left = stack_.back();
      stack_.pop_back();
      node = Node{node.level + 1, left.index / 2, node_hash(algorithm_, left.hash, node.hash)};
      completed.push_back(node);
    }
    stack_.push_back(node);
  }

  // MTH of the leaves so far (RFC 9162: the right edge folded from the right).
  [[nodiscard]] Hash root() const {
    if (stack_.empty()) return empty_root(algorithm_);
    Hash h = stack_.back().hash;
    for (auto it = stack_.rbegin() + 1; it != stack_.rend(); ++it) {
      h = node_hash(algorithm_, it->hash, h);
    }
    return h;
  }

 private:
  HashAlgorithm algorithm_;
  std::vector<Node> stack_;
};

struct Fault {
  std::optional<std::uint64_t> seq;
  std::string problem;
  std::string message;
};

class Verifier {
 public:
  Verifier(Tx& tx, const VerifyOptions& options, VerifyReport& report)
      : tx_(tx), options_(options), report_(report) {}

  Result<std::optional<Fault>> run() {
    // Every integer is read as text and parsed here: a column an attacker
    // filled with a fraction or a word is a finding, not a failed read.
    // (Orders name the table's column: PostgreSQL would otherwise sort by
    // the text output column of the same name.)
    XZZF_TRY(head,
             tx_.query_one("SELECT CAST(size AS TEXT), algorithm FROM record_head WHERE id = 1"));
    if (!head) return fault(std::nullopt, "head_missing", "树头（record_head）缺失");
    auto head_size = parse_canonical_int(head->opt_text(0).value_or(""));
    if (!head_size || *head_size < 0) {
      return fault(std::nullopt, "head_invalid", "树头的大小不是非负整数");
    }
    report_.tree_size = static_cast<std::uint64_t>(*head_size);
    auto algorithm = parse_hash_algorithm(head->opt_text(1).value_or(""));
    if (!algorithm) return fault(std::nullopt, "head_invalid", "树头的哈希算法无效");
    algorithm_ = *algorithm;

    auto stored = all_checkpoints(tx_);
    if (!stored) {
      // A stored checkpoint that does not even parse has been changed.
      return fault(std::nullopt, "checkpoint_invalid",
                   "数据库中的检查点已损坏：" + stored.error().message);
    }
    if (auto f = collect_checkpoints(std::move(*stored))) return f;

    Edge edge(algorithm_);
    std::uint64_t next = 0;
    while (true) {
      XZZF_TRY(rows,
               tx_.query("SELECT CAST(seq AS TEXT), CAST(at_us AS TEXT), "
                         "CAST(actor_user_id AS TEXT), CAST(jurisdiction_id AS TEXT), "
                         "CAST(department_id AS TEXT), subject_type, "
                         "CAST(subject_id AS TEXT), action, payload, leaf_hash "
                         "FROM record_entries WHERE seq >= ? ORDER BY record_entries.seq LIMIT ?",
                         {as_i64(next), kBatch}));
      if (rows.empty()) break;
      std::vector<Node> completed;
      completed.reserve(rows.size() * 2 + 64);
      std::optional<Fault> entry_fault;
      for (const auto& row : rows) {
        const auto seq = parse_canonical_int(row.opt_text(0).value_or(""));
        if (!seq) {
          entry_fault =
              Fault{next, "invalid_seq", fmt::format("条目 {} 之后存有序号不是整数的行", next)};
          break;
        }
        if (*seq < 0 || static_cast<std::uint64_t>(*seq) != next) {
          entry_fault =
              Fault{next, "gap", fmt::format("条目 {} 缺失（下一个存储的条目是 {}）", next, *seq)};
          break;
        }
        if (next >= report_.tree_size) {
          entry_fault =
              Fault{next, "extra_entry",
                    fmt::format("条目 {} 超出树头记载的大小 {}", next, report_.tree_size)};
          break;
        }
        auto leaf = recompute_leaf(row, next);
        if (!leaf) {
          entry_fault = Fault{next, "entry_mismatch", leaf.error()};
          break;
        }
        edge.push(next, *leaf, completed);
        ++next;
        ++report_.entries;
        if (auto f = check_checkpoints_at(next, edge)) {
          entry_fault = *f;
          break;
        }
      }
      // Every node the batch completed must be stored with the same hash; a
      // fault there counts from the first leaf the node covers.
      XZZF_TRY(node_fault, check_nodes(completed));
      if (node_fault && (!entry_fault || *node_fault->seq < entry_fault->seq.value_or(next))) {
        return std::optional<Fault>{std::move(*node_fault)};
      }
      if (entry_fault) return std::optional<Fault>{std::move(*entry_fault)};
      if (options_.progress) options_.progress(next, report_.tree_size);
      if (options_.cancelled && options_.cancelled()) {
        return fault(std::nullopt, "cancelled",
                     fmt::format("校验在第 {} 个条目处中止（服务正在停止），未得出结论", next));
      }
    }

    // Rows the ordered scan from 0 did not reach: negative sequence numbers.
    XZZF_TRY(rows_total, tx_.query_one("SELECT COUNT(*) FROM record_entries"));
    if (rows_total && static_cast<std::uint64_t>(rows_total->i64(0)) > next) {
      return fault(
          0, "extra_entry",
          fmt::format("记录表有 {} 行，但序号 0 至 {} 的条目只有 {} 个：存有序号为负数或为空的行",
                      rows_total->i64(0), next, next));
    }
    if (next < report_.tree_size) {
      return fault(next, "truncated",
                   fmt::format("树头记载 {} 个条目，但只存有 {} 个", report_.tree_size, next));
    }
    // Checkpoints beyond the stored entries: the tail was cut off (and the
    // head moved back with it).
    for (const auto& c : checkpoints_) {
      if (c.size > next) {
        return fault(next, "truncated",
                     fmt::format("检查点记载树的大小为 {}，但只存有 {} 个条目", c.size, next));
      }
    }
    XZZF_TRY(count, tx_.query_one("SELECT COUNT(*) FROM record_nodes"));
    std::uint64_t expected = 0;
    for (std::uint64_t n = next; n > 0; n >>= 1) expected += n;
    if (count && static_cast<std::uint64_t>(count->i64(0)) != expected) {
      return fault(
          next, "node_extra",
          fmt::format("树节点表有 {} 行，{} 个条目的树应有 {} 行", count->i64(0), next, expected));
    }
    if (options_.progress) options_.progress(next, report_.tree_size);
    return std::optional<Fault>{};
  }

 private:
  static Result<std::optional<Fault>> fault(std::optional<std::uint64_t> seq, std::string problem,
                                            std::string message) {
    return std::optional<Fault>{Fault{seq, std::move(problem), std::move(message)}};
  }

  // The leaf hash of a stored row, recomputed from its columns; the reason in
  // Chinese when the row does not hold together.
  tl::expected<Hash, std::string> recompute_leaf(const storage::Row& row, std::uint64_t seq) {
    // Integer columns as text: NULL stays absent, anything but a canonical
    // integer is a changed row.
    bool malformed = false;
    auto integer = [&](std::size_t column) -> std::optional<std::int64_t> {
      auto text = row.opt_text(column);
      if (!text) return std::nullopt;
      auto value = parse_canonical_int(*text);
      if (!value) malformed = true;
      return value;
    };
    const auto at_us = integer(1);
    const auto actor = integer(2);
    const auto jurisdiction = integer(3);
    const auto department = integer(4);
    const auto subject_id = integer(6);
    if (malformed || !at_us || !subject_id) {
      return tl::unexpected(fmt::format("条目 {} 的数值字段不是整数，已被改动", seq));
    }
    // The stored payload text is hashed as it is, without parsing: the leaf
    // was computed over exactly this text, so any change to it shows.
    Entry entry{.seq = seq,
                .at = Instant{*at_us},
                .actor_user_id = actor,
                .jurisdiction_id = jurisdiction,
                .department_id = department,
                .subject_type = row.opt_text(5).value_or(""),
                .subject_id = *subject_id,
                .action = row.opt_text(7).value_or(""),
                .payload = nullptr};
    const auto payload = row.opt_text(8);
    const auto stored_leaf = row.opt_text(9);
    if (!payload || !stored_leaf || row.is_null(5) || row.is_null(7)) {
      return tl::unexpected(fmt::format("条目 {} 有必填字段为空，已被改动", seq));
    }
    auto bytes = canonical_bytes(entry, *payload);
    if (!bytes) return tl::unexpected(fmt::format("条目 {} 的文字不是有效的 UTF-8，已被改动", seq));
    report_.bytes_hashed += bytes->size();
    Hash leaf = leaf_hash(algorithm_, *bytes);
    if (to_hex(leaf) != *stored_leaf) {
      return tl::unexpected(fmt::format("条目 {} 的内容与其叶哈希不符：条目或其哈希已被改动", seq));
    }
    return leaf;
  }

  Result<std::optional<Fault>> check_nodes(const std::vector<Node>& completed) {
    std::map<int, std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& n : completed) {
      auto [it, fresh] = ranges.try_emplace(n.level, n.index, n.index);
      if (!fresh) {
        it->second.first = std::min(it->second.first, n.index);
        it->second.second = std::max(it->second.second, n.index);
      }
    }
    std::map<std::pair<int, std::uint64_t>, std::string> stored;
    for (const auto& [level, range] : ranges) {
      XZZF_TRY(rows, tx_.query("SELECT CAST(idx AS TEXT), hash FROM record_nodes "
                               "WHERE level = ? AND idx >= ? AND idx <= ?",
                               {level, as_i64(range.first), as_i64(range.second)}));
      for (const auto& row : rows) {
        // A node whose index is not an integer matches nothing: the node it
        // replaced counts as missing.
        auto idx = parse_canonical_int(row.opt_text(0).value_or(""));
        auto hash = row.opt_text(1);
        if (idx && *idx >= 0 && hash) {
          stored.emplace(std::pair{level, static_cast<std::uint64_t>(*idx)}, std::move(*hash));
        }
      }
    }
    // Every node that is missing or differs. A node differs whenever one below
    // it does, so the faults that say most are the lowest ones: a node none of
    // whose children (level 0: the stored leaf nodes) is at fault. Among
    // those, the earliest is reported.
    std::map<std::pair<int, std::uint64_t>, Fault> faults;
    for (const auto& n : completed) {
      const std::uint64_t first_leaf = n.index << n.level;
      auto it = stored.find({n.level, n.index});
      if (it == stored.end()) {
        faults.emplace(std::pair{n.level, n.index},
                       Fault{first_leaf, "node_missing",
                             fmt::format("缺少树节点（层 {}，序号 {}），其覆盖的条目为 {}–{}",
                                         n.level, n.index, first_leaf,
                                         first_leaf + (std::uint64_t{1} << n.level) - 1)});
      } else if (it->second != to_hex(n.hash)) {
        faults.emplace(
            std::pair{n.level, n.index},
            Fault{first_leaf, "node_mismatch",
                  fmt::format("树节点（层 {}，序号 {}）与重算结果不符：该节点或其覆盖的条目 "
                              "{}–{} 已被改动",
                              n.level, n.index, first_leaf,
                              first_leaf + (std::uint64_t{1} << n.level) - 1)});
      }
    }
    std::optional<Fault> first;
    for (const auto& [key, fault] : faults) {
      const auto [level, index] = key;
      const bool child_at_fault = level > 0 && (faults.contains({level - 1, 2 * index}) ||
                                                faults.contains({level - 1, 2 * index + 1}));
      if (child_at_fault) continue;
      if (!first || *fault.seq < *first->seq) first = fault;
    }
    return first;
  }

  // Stored and external checkpoints, by size; two of one size must agree.
  std::optional<Fault> collect_checkpoints(std::vector<Checkpoint> stored) {
    std::vector<Checkpoint> all = std::move(stored);
    all.insert(all.end(), options_.external_checkpoints.begin(),
               options_.external_checkpoints.end());
    std::sort(all.begin(), all.end(),
              [](const Checkpoint& a, const Checkpoint& b) { return a.size < b.size; });
    for (const auto& c : all) {
      if (c.algorithm != algorithm_) {
        return Fault{std::nullopt, "checkpoint_algorithm",
                     fmt::format("大小为 {} 的检查点使用 {}，而记录使用 {}", c.size,
                                 to_string(c.algorithm), to_string(algorithm_))};
      }
      if (options_.public_key) {
        if (!verify_checkpoint(c, *options_.public_key)) {
          return Fault{std::nullopt, "checkpoint_signature",
                       fmt::format("大小为 {} 的检查点签名无效（密钥 {}）", c.size, c.key_id)};
        }
        ++report_.checkpoints_checked;
      } else {
        report_.checkpoints_unverified = true;
      }
      if (!checkpoints_.empty() && checkpoints_.back().size == c.size) {
        if (checkpoints_.back().root != c.root) {
          return Fault{std::nullopt, "checkpoint_conflict",
                       fmt::format("两个大小同为 {} 的检查点的根哈希不同", c.size)};
        }
        continue;
      }
      checkpoints_.push_back(c);
    }
    return std::nullopt;
  }

  // After leaf size - 1: the checkpoint of this size, if any, must have the
  // root just rebuilt. A mismatch means that some entry before `size` differs
  // from what was signed; the last checkpoint that matched bounds it below.
  std::optional<Fault> check_checkpoints_at(std::uint64_t size, const Edge& edge) {
    while (next_checkpoint_ < checkpoints_.size() && checkpoints_[next_checkpoint_].size < size) {
      ++next_checkpoint_;
    }
    if (next_checkpoint_ >= checkpoints_.size() || checkpoints_[next_checkpoint_].size != size) {
      return std::nullopt;
    }
    const auto& c = checkpoints_[next_checkpoint_++];
    if (c.root == edge.root()) {
      last_good_checkpoint_ = size;
      return std::nullopt;
    }
    return Fault{last_good_checkpoint_, "checkpoint_mismatch",
                 fmt::format("大小为 {} 的已签名检查点与重算的树根不符：条目 {} 至 {} 之间有改动"
                             "（整棵树可能已被重写）",
                             size, last_good_checkpoint_, size - 1)};
  }

  Tx& tx_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  HashAlgorithm algorithm_ = HashAlgorithm::kSha256;
  std::vector<Checkpoint> checkpoints_;
  std::size_t next_checkpoint_ = 0;
  std::uint64_t last_good_checkpoint_ = 0;
};

}  // namespace

Result<VerifyReport> verify_record(storage::Database& db, const VerifyOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  VerifyReport report;
  XZZF_TRY(fault, db.read([&](Tx& tx) { return Verifier(tx, options, report).run(); }));
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (fault) {
    report.ok = false;
    report.first_bad_seq = fault->seq;
    report.problem = std::move(fault->problem);
    report.message = std::move(fault->message);
  } else {
    report.message = fmt::format("全过程记录完整：{} 个条目，检查点 {} 个", report.entries,
                                 report.checkpoints_checked);
    if (report.checkpoints_unverified) report.message += "（未提供公钥，检查点签名未校验）";
  }
  return report;
}

}  // namespace xzzf::record
