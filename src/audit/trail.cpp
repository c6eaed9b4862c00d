#include "audit/trail.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace xzzf::audit {
namespace {

// Bounds per field, in bytes. A request path is bounded by the HTTP header
// limit already; these keep one event small whatever its source.
constexpr std::size_t kShortField = 256;
constexpr std::size_t kPathField = 4096;
constexpr std::size_t kDetailField = std::size_t{64} * 1024;

// The longest pause between retries of a failed write.
constexpr std::chrono::milliseconds kMaxPause{5000};

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  std::size_t extra = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + extra >= s.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return extra + 1;
}

// Valid UTF-8 without NUL, at most `limit` bytes, cut between characters.
void clean(std::string& s, std::size_t limit) {
  std::string out;
  out.reserve(std::min(s.size(), limit));
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    const std::string_view piece = n == 0 ? kReplacement : std::string_view(s).substr(i, n);
    if (out.size() + piece.size() > limit) break;
    out += piece;
    i += n == 0 ? 1 : n;
  }
  s = std::move(out);
}

void clean(AuditEvent& e) {
  clean(e.event, kShortField);
  clean(e.actor, kShortField);
  clean(e.remote_addr, kShortField);
  clean(e.method, kShortField);
  clean(e.path, kPathField);
  clean(e.code, kShortField);
  clean(e.request_id, kShortField);
  // Cutting JSON would leave it unparseable: an oversized detail is replaced.
  if (e.detail_json.size() > kDetailField) {
    e.detail_json = R"({"truncated":true})";
  } else {
    clean(e.detail_json, kDetailField);
  }
}

storage::Value or_null(const std::string& s) {
  if (s.empty()) return storage::Value();
  return storage::Value(s);
}

AuditTrail::Options checked(AuditTrail::Options o) {
  o.queue_capacity = std::max<std::size_t>(o.queue_capacity, 1);
  o.max_batch = std::max<std::size_t>(o.max_batch, 1);
  o.flush_interval = std::max(o.flush_interval, std::chrono::milliseconds{1});
  return o;
}

}  // namespace

AuditTrail::AuditTrail(storage::Database& db, const Clock& clock, Options options)
    : db_(db), clock_(clock), options_(checked(options)), writer_([this] { run(); }) {}

AuditTrail::AuditTrail(storage::Database& db, const Clock& clock)
    : AuditTrail(db, clock, Options{}) {}

AuditTrail::~AuditTrail() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<void> AuditTrail::append(storage::Tx& tx, const AuditEvent& event) {
  AuditEvent e = event;
  clean(e);
  if (e.at.micros == 0) e.at = clock_.now();
  auto r = tx.exec(
      "INSERT INTO audit_events (at_us, event, actor_user_id, actor, remote_addr, method, path, "
      "status, code, detail, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.at.micros, e.event, e.actor_user_id, e.actor, or_null(e.remote_addr), or_null(e.method),
       or_null(e.path), e.status != 0 ? storage::Value(e.status) : storage::Value(),
       or_null(e.code), or_null(e.detail_json), or_null(e.request_id)});
  if (!r) return tl::unexpected(r.error());
  return {};
}

void AuditTrail::submit(AuditEvent e) {
  clean(e);
  if (e.at.micros == 0) e.at = clock_.now();
  std::uint64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    if (stop_ || queue_.size() + in_flight_ >= options_.queue_capacity) {
      dropped = ++dropped_;
    } else {
      queue_.push_back(std::move(e));
      ++accepted_;
      // Wake the writer for the first event (it then gathers for one
      // interval) and again when a batch is full.
      if (queue_.size() == 1 || queue_.size() >= options_.max_batch) wake_.notify_one();
      return;
    }
  }
  // The first drop, then one line per thousand, so that a flood does not
  // also flood the log.
  if (dropped == 1 || dropped % 1000 == 0) {
    spdlog::warn("audit: queue full ({} events), {} events dropped so far", options_.queue_capacity,
                 dropped);
  }
}

void AuditTrail::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = accepted_;
  const std::uint64_t failures = failures_;
  if (finished_ >= target) return;
  flush_wanted_ = true;
  wake_.notify_one();
  done_.wait(lock, [&] { return finished_ >= target || failures_ != failures; });
}

std::uint64_t AuditTrail::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::uint64_t AuditTrail::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

Result<std::vector<AuditEvent>> AuditTrail::recent(std::size_t limit,
                                                   std::optional<std::string> event) {
  if (limit == 0) return std::vector<AuditEvent>{};
  return db_.read([&](storage::Tx& tx) -> Result<std::vector<AuditEvent>> {
    std::string sql =
        "SELECT at_us, event, actor_user_id, actor, remote_addr, method, path, status, code, "
        "detail, "
        "request_id FROM audit_events";
    storage::Params params;
    if (event) {
      sql += " WHERE event = ?";
      params.emplace_back(*event);
    }
    sql += " ORDER BY at_us DESC, id DESC LIMIT ?";
    params.emplace_back(static_cast<long long>(std::min<std::size_t>(limit, INT64_MAX)));
    auto rows = tx.query(sql, params);
    if (!rows) return tl::unexpected(rows.error());
    std::vector<AuditEvent> out;
    out.reserve(rows->size());
    for (const storage::Row& row : *rows) {
      AuditEvent e;
      e.at = Instant{row.i64(0)};
      e.event = row.text(1);
      e.actor_user_id = row.opt_i64(2);
      e.actor = row.text(3);
      e.remote_addr = row.opt_text(4).value_or("");
      e.method = row.opt_text(5).value_or("");
      e.path = row.opt_text(6).value_or("");
      e.status = static_cast<int>(row.opt_i64(7).value_or(0));
      e.code = row.opt_text(8).value_or("");
      e.detail_json = row.opt_text(9).value_or("");
      e.request_id = row.opt_text(10).value_or("");
      out.push_back(std::move(e));
    }
    return out;
  });
}

void AuditTrail::run() {
  // After a failed write the writer pauses, twice as long after each further
  // failure, so that a full disk is retried without flooding the log.
  auto pause = options_.flush_interval;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || flush_wanted_ || !queue_.empty(); });
    // Gather for one interval unless a batch is full or someone waits.
    wake_.wait_for(lock, options_.flush_interval,
                   [&] { return stop_ || flush_wanted_ || queue_.size() >= options_.max_batch; });
    if (queue_.empty()) {
      flush_wanted_ = false;
      done_.notify_all();
      if (stop_) return;
      continue;
    }

    const std::size_t n = std::min(queue_.size(), options_.max_batch);
    std::vector<AuditEvent> batch(
        std::make_move_iterator(queue_.begin()),
        std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    in_flight_ = n;
    lock.unlock();

    // write_batch leaves in `batch` what is still to be written.
    const BatchOutcome outcome = write_batch(batch);

    lock.lock();
    finished_ += outcome.written + outcome.refused;
    written_ += outcome.written;
    dropped_ += outcome.refused;
    in_flight_ = 0;
    if (!outcome.error) {
      pause = options_.flush_interval;
      done_.notify_all();
      continue;
    }
    ++failures_;
    if (stop_) {
      spdlog::error("audit: {} events lost at shutdown: {}", batch.size() + queue_.size(),
                    outcome.error->message);
      dropped_ += batch.size() + queue_.size();
      finished_ += batch.size() + queue_.size();
      queue_.clear();
      done_.notify_all();
      return;
    }
    spdlog::error("audit: writing {} events failed, will retry: {}", batch.size(),
                  outcome.error->message);
    // Back to the front, in order: they stay counted against the capacity.
    queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
    done_.notify_all();
    wake_.wait_for(lock, pause, [&] { return stop_; });
    pause = std::min(pause * 2, std::max(kMaxPause, options_.flush_interval));
  }
}

AuditTrail::BatchOutcome AuditTrail::write_batch(std::vector<AuditEvent>& batch) {
  BatchOutcome out;
  auto all = db_.write([&](storage::Tx& tx) -> Result<void> {
    for (const AuditEvent& e : batch) {
      if (auto r = append(tx, e); !r) return r;
    }
    return {};
  });
  if (all) {
    out.written = batch.size();
    batch.clear();
    return out;
  }
  if (all.error().code != ErrorCode::kDbError) {
    out.error = all.error();
    return out;
  }

  // Something in the batch was refused for itself: write the events one by
  // one and drop those the database refuses, so that one bad event cannot
  // hold up the trail.
  std::size_t done = 0;
  for (; done < batch.size(); ++done) {
    auto one = db_.write([&](storage::Tx& tx) { return append(tx, batch[done]); });
    if (one) {
      ++out.written;
      continue;
    }
    if (one.error().code != ErrorCode::kDbError) {
      out.error = one.error();
      break;
    }
    spdlog::error("audit: event '{}' refused and dropped: {}", batch[done].event,
                  one.error().message);
    ++out.refused;
  }
  batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(done));
  return out;
}

}  // namespace xzzf::audit
