#include "record/checkpoints.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <string>
#include <utility>

#include "record/entry.hpp"
#include "record/log.hpp"

namespace xzzf::record {
namespace {

using storage::Row;
using storage::Tx;

constexpr std::string_view kColumns =
    "size, root, at_us, algorithm, signature_algorithm, key_id, signature";
// Sizes and times are read as text and parsed strictly, so that a stored
// checkpoint changed into nonsense is refused as invalid, never a failed read.
// (Order by the qualified column: PostgreSQL would sort by the text output
// column of the same name.)
constexpr std::string_view kSelect =
    "CAST(size AS TEXT), root, CAST(at_us AS TEXT), algorithm, signature_algorithm, key_id, "
    "signature";

// A stored checkpoint; record.checkpoint_invalid for a row that does not
// hold one (every column is read as optional text: an edited row is an
// invalid checkpoint, never a failed read).
Result<Checkpoint> from_row(const Row& row) {
  std::array<std::string, 7> text;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto value = row.opt_text(i);
    if (!value) {
      return fail(ErrorCode::kRecordCheckpointInvalid, field("detail", "存在空字段"));
    }
    text[i] = std::move(*value);
  }
  Checkpoint c;
  auto size = parse_canonical_int(text[0]);
  auto at = parse_canonical_int(text[2]);
  if (!size || *size < 0 || !at) {
    return fail(ErrorCode::kRecordCheckpointInvalid, field("detail", "大小或时间不是整数"));
  }
  c.size = static_cast<std::uint64_t>(*size);
  XZZF_TRY(root, hash_from_hex(text[1]));
  c.root = root;
  c.at = Instant{*at};
  XZZF_TRY(algorithm, parse_hash_algorithm(text[3]));
  c.algorithm = algorithm;
  XZZF_TRY(signature_algorithm, parse_signature_algorithm(text[4]));
  c.signature_algorithm = signature_algorithm;
  const bool key_id_ok =
      text[5].size() == 16 && text[5].find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!key_id_ok) {
    return fail(ErrorCode::kRecordCheckpointInvalid, field("detail", "密钥编号格式无效"));
  }
  c.key_id = std::move(text[5]);
  auto signature = bytes_from_hex(text[6]);
  if (!signature) return fail(ErrorCode::kRecordCheckpointInvalid, field("detail", "签名"));
  c.signature = std::move(*signature);
  return c;
}

Result<std::vector<Checkpoint>> many(Tx& tx, std::string_view sql, const storage::Params& params) {
  XZZF_TRY(rows, tx.query(sql, params));
  std::vector<Checkpoint> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    XZZF_TRY(c, from_row(row));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<Checkpoint>> one(Tx& tx, std::string_view sql, const storage::Params& params) {
  XZZF_TRY(rows, many(tx, sql, params));
  if (rows.empty()) return std::optional<Checkpoint>{};
  return std::optional<Checkpoint>{std::move(rows.front())};
}

}  // namespace

Result<std::optional<Checkpoint>> latest_checkpoint(Tx& tx) {
  return one(
      tx, fmt::format("SELECT {} FROM record_checkpoints c ORDER BY c.size DESC LIMIT 1", kSelect),
      {});
}

Result<std::optional<Checkpoint>> checkpoint_of_size(Tx& tx, std::uint64_t size) {
  return one(tx, fmt::format("SELECT {} FROM record_checkpoints WHERE size = ?", kSelect),
             {static_cast<std::int64_t>(size)});
}

Result<Page<Checkpoint>> list_checkpoints(Tx& tx, const PageRequest& page) {
  XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM record_checkpoints"));
  XZZF_TRY(items, many(tx,
                       fmt::format("SELECT {} FROM record_checkpoints c ORDER BY c.size DESC "
                                   "LIMIT ? OFFSET ?",
                                   kSelect),
                       {page.page_size, page.offset()}));
  return Page<Checkpoint>{std::move(items), count ? count->i64(0) : 0};
}

Result<std::vector<Checkpoint>> all_checkpoints(Tx& tx) {
  return many(tx, fmt::format("SELECT {} FROM record_checkpoints c ORDER BY c.size", kSelect), {});
}

Result<std::optional<Checkpoint>> sign_checkpoint(Tx& tx, const SigningKey& key, Instant at) {
  RecordLog log;
  XZZF_TRY(latest, latest_checkpoint(tx));
  if (latest && latest->key_id != key.key_id()) {
    return fail(ErrorCode::kRecordKeyMismatch, field("key_id", key.key_id()),
                field("expected", latest->key_id));
  }
  // An append committed between reading the size and the root does not
  // matter: the nodes of a tree of `size` leaves never change once complete.
  XZZF_TRY(size, log.size(tx));
  if (size == 0 || (latest && latest->size >= size)) return latest;
  XZZF_TRY(root, log.root(tx, size));
  XZZF_TRY(algorithm, log.algorithm(tx));
  Checkpoint checkpoint = key.sign(size, root, at, algorithm);
  // Another instance of the deployment may sign the same size at the same
  // time, with the same key: its checkpoint then stands.
  XZZF_TRY(inserted,
           tx.exec(fmt::format("INSERT INTO record_checkpoints ({}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (size) DO NOTHING",
                               kColumns),
                   {static_cast<std::int64_t>(checkpoint.size), to_hex(checkpoint.root),
                    checkpoint.at.micros, std::string(to_string(checkpoint.algorithm)),
                    std::string(to_string(checkpoint.signature_algorithm)), checkpoint.key_id,
                    to_hex(checkpoint.signature)}));
  if (inserted == 0) return checkpoint_of_size(tx, size);
  return std::optional<Checkpoint>{std::move(checkpoint)};
}

// --- Checkpointer -----------------------------------------------------------

Checkpointer::Checkpointer(storage::Database& db, const Clock& clock, SigningKey key,
                           CheckpointPolicy policy)
    : db_(db), clock_(clock), key_(std::move(key)), policy_(policy) {}

Checkpointer::~Checkpointer() {
  stop();
}

void Checkpointer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // What was appended since the last checkpoint gets one before the process
  // ends, so that the latest acts are covered by a signature too.
  if (auto r = checkpoint_now(); !r) {
    spdlog::error("record: last checkpoint at shutdown failed: {}", r.error().message);
  }
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (auto r = tick(); !r) spdlog::error("record: checkpoint failed: {}", r.error().message);
    lock.lock();
    wake_.wait_for(lock, policy_.poll, [this] { return stopping_; });
  }
}

Result<bool> Checkpointer::tick() {
  // A cheap read first: most looks find nothing due and write nothing.
  struct Due {
    bool due = false;
  };
  const Instant now = clock_.now();
  XZZF_TRY(due, db_.read([&](Tx& tx) -> Result<Due> {
    RecordLog log;
    XZZF_TRY(size, log.size(tx));
    XZZF_TRY(latest, latest_checkpoint(tx));
    const std::uint64_t covered = latest ? latest->size : 0;
    if (size <= covered) return Due{false};
    if (size - covered >= policy_.every_entries) return Due{true};
    const std::int64_t since = latest ? now.micros - latest->at.micros : now.micros;
    return Due{since >=
               std::chrono::duration_cast<std::chrono::microseconds>(policy_.every).count()};
  }));
  if (!due.due) return false;
  XZZF_TRY(signed_, checkpoint_now());
  return signed_.has_value();
}

Result<std::optional<Checkpoint>> Checkpointer::checkpoint_now() {
  return db_.write([&](Tx& tx) { return sign_checkpoint(tx, key_, clock_.now()); });
}

}  // namespace xzzf::record
