#pragma once

// The security audit trail (审计日志): logins, refusals, views of personal
// data, which the auditor reads. It is not the tamper-evident record (record/):
// it keeps who tried what, including what was refused and never happened.
// The table is append-only, enforced by the database (migration 0001).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace xzzf::audit {

struct AuditEvent {
  Instant at;         // zero: stamped with the trail's clock
  std::string event;  // "http.refused", "auth.login", …
  std::optional<std::int64_t> actor_user_id;
  std::string actor;  // user name, or "anonymous"
  std::string remote_addr;
  std::string method;
  std::string path;
  int status = 0;           // HTTP status; 0 when none
  std::string code;         // error catalog code
  std::string detail_json;  // a JSON object as text; empty for none
  std::string request_id;

  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

// AuditTrail writes audit events, either inside a caller's transaction
// (append) or through a queue that one background thread drains in batches
// (submit). It borrows the Database and the Clock, which must outlive it, and
// owns its writer thread, which the destructor stops after writing what is
// queued. Every method may be called from any thread.
//
// Text fields are stored as valid UTF-8 (an invalid byte or a NUL becomes
// U+FFFD) and cut to a bounded length, so that a hostile request line cannot
// make an event unwritable or oversized.
class AuditTrail {
 public:
  struct Options {
    std::size_t queue_capacity = 10000;  // events waiting or being written
    std::chrono::milliseconds flush_interval{50};
    std::size_t max_batch = 500;
  };

  AuditTrail(storage::Database& db, const Clock& clock, Options options);
  AuditTrail(storage::Database& db, const Clock& clock);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Inside a caller's transaction, for an event that must commit or roll back
  // with other rows (a login with its session).
  [[nodiscard]] Result<void> append(storage::Tx& tx, const AuditEvent& e);

  // Never blocks on the database: queues the event for the writer thread,
  // which commits batches (one transaction each). Used for refusals, so that
  // a flood of bad requests cannot stall request threads on commits. When the
  // queue is full the event is dropped and counted. A batch that fails to
  // commit (disk full) is logged and retried, and stays queued meanwhile.
  void submit(AuditEvent e);

  // Blocks until everything submitted before the call is committed, or until
  // an attempt to write it has failed (it stays queued and is retried): a
  // flush never hangs on a database that is down.
  void flush();

  [[nodiscard]] std::uint64_t dropped() const;
  [[nodiscard]] std::uint64_t written() const;

  // The newest events first (by time, then by id), optionally of one kind.
  [[nodiscard]] Result<std::vector<AuditEvent>> recent(
      std::size_t limit, std::optional<std::string> event = std::nullopt);

 private:
  struct BatchOutcome {
    std::size_t written = 0;
    std::size_t refused = 0;     // refused by the database for themselves: dropped
    std::optional<Error> error;  // why the rest of the batch is still unwritten
  };

  void run();
  // Writes one batch in one transaction and removes what it finished from
  // `batch`. Events that the database refuses for themselves (not for lack
  // of space or connection) are then written singly and the refused dropped.
  BatchOutcome write_batch(std::vector<AuditEvent>& batch);

  storage::Database& db_;
  const Clock& clock_;
  Options options_;

  mutable std::mutex mu_;
  std::condition_variable wake_;  // the writer: work, flush or stop
  std::condition_variable done_;  // flush(): progress or failure
  std::deque<AuditEvent> queue_;
  std::size_t in_flight_ = 0;   // taken from queue_ by the writer
  std::uint64_t accepted_ = 0;  // events queued since the start
  std::uint64_t finished_ = 0;  // of those, written or given up
  std::uint64_t failures_ = 0;  // failed batch writes since the start
  std::uint64_t dropped_ = 0;
  std::uint64_t written_ = 0;
  bool flush_wanted_ = false;
  bool stop_ = false;
  std::thread writer_;  // last: starts once the rest is ready
};

}  // namespace xzzf::audit
