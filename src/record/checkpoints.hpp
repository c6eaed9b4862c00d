#pragma once

// The signed checkpoints of the record as stored in record_checkpoints
// (migration 0005), and the Checkpointer that takes them: every N new entries
// or T seconds after the last one (configuration record.*), on demand (`xzzf
// record checkpoint`), and once more when the server stops.
//
// A checkpoint is signed for the tree as one transaction sees it, and stored
// in that same transaction, so its root is always the root of the stored tree
// of its size. Signing a size that already has a checkpoint adds nothing.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/page.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "record/checkpoint.hpp"
#include "storage/database.hpp"

namespace xzzf::record {

// The latest stored checkpoint, if any.
[[nodiscard]] Result<std::optional<Checkpoint>> latest_checkpoint(storage::Tx& tx);
// One stored checkpoint by its size.
[[nodiscard]] Result<std::optional<Checkpoint>> checkpoint_of_size(storage::Tx& tx,
                                                                   std::uint64_t size);
// Stored checkpoints, newest first.
[[nodiscard]] Result<Page<Checkpoint>> list_checkpoints(storage::Tx& tx, const PageRequest& page);
// Every stored checkpoint, oldest first (for export and verification).
[[nodiscard]] Result<std::vector<Checkpoint>> all_checkpoints(storage::Tx& tx);

// Signs the current tree with `key` at `at` and stores the checkpoint, in
// `tx` (a write transaction). Returns the latest checkpoint: the new one, or
// the existing one when the tree has not grown since (nothing is signed for an
// empty tree: then nullopt). Refuses (record.key_mismatch) a key other than the
// one that signed the latest checkpoint, so that a stray key cannot start a
// second line of checkpoints unnoticed.
[[nodiscard]] Result<std::optional<Checkpoint>> sign_checkpoint(storage::Tx& tx,
                                                                const SigningKey& key, Instant at);

struct CheckpointPolicy {
  std::uint64_t every_entries = 1000;
  std::chrono::seconds every{300};
  std::chrono::milliseconds poll{1000};  // how often the thread looks at the tree
};

// Takes checkpoints by the policy. Owns the signing key and a background
// thread (started by start(), stopped by stop() or the destructor, which
// signs a last checkpoint of what is new). Borrows the database and the clock.
class Checkpointer {
 public:
  Checkpointer(storage::Database& db, const Clock& clock, SigningKey key, CheckpointPolicy policy);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void start();
  void stop();

  // One look at the tree: signs when the policy says a checkpoint is due.
  // Returns whether one was signed. (The thread calls this; tests call it
  // with a fake clock.)
  [[nodiscard]] Result<bool> tick();

  // Signs the current tree now, whatever the policy (unless nothing is new).
  [[nodiscard]] Result<std::optional<Checkpoint>> checkpoint_now();

  [[nodiscard]] PublicKey public_key() const { return key_.public_key(); }
  [[nodiscard]] std::string key_id() const { return key_.key_id(); }

 private:
  void run();

  storage::Database& db_;
  const Clock& clock_;
  SigningKey key_;
  CheckpointPolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace xzzf::record
