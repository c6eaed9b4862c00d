#pragma once

// Full verification of the stored record (全过程记录): what `xzzf record
// verify` and POST /record/verify run. See RECORD.md of the design documents,
// "Verifier".
//
// verify_record reads every entry in sequence order, recomputes its canonical
// bytes and leaf hash from the stored columns, rebuilds the whole tree from
// those leaves and compares every stored complete-subtree hash (record_nodes)
// and the head with what it computed. Then it checks each checkpoint — those
// stored in the database and those given from outside (an export file) — for
// a valid signature by the given public key and for a root equal to the
// recomputed root of its size, and each later checkpoint for consistency with
// the earlier ones (equal roots of the recomputed tree at both sizes).
//
// What it catches, and the sequence number it reports as first_bad_seq:
// - an edited entry (any column), a flipped byte: that entry;
// - a deleted entry: the first missing sequence number;
// - reordered entries: the first moved one;
// - an inserted entry: the first seq whose stored row does not match its
//   position (in the middle), or the tree size (at the end, beyond the head);
// - a stored leaf or node hash that does not match: the first leaf it covers;
// - with checkpoints and a key kept outside the database: a truncated tail
//   (the first missing seq, the current size) and a whole tree rewritten with
//   fresh hashes (the first seq after the last checkpoint that still matches:
//   the fault lies in [first_bad_seq, size of the first failing checkpoint),
//   so checkpoints taken often pin it closely).
//
// Memory stays O(log n) in the number of entries: entries are streamed in
// batches and only the right edge of the tree is kept.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "record/checkpoint.hpp"
#include "storage/database.hpp"

namespace xzzf::record {

struct VerifyOptions {
  // The deployment's public key. Without it the stored checkpoints' signatures
  // cannot be checked and the report says so (checkpoints_unverified).
  std::optional<PublicKey> public_key;
  // Checkpoints kept outside the database (export file); checked like the
  // stored ones.
  std::vector<Checkpoint> external_checkpoints;
  // Called now and then with (entries checked, total entries).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Looked at between batches: when it answers true the run stops and the
  // report says "cancelled" (a server that is stopping).
  std::function<bool()> cancelled;
};

struct VerifyReport {
  bool ok = true;
  std::uint64_t entries = 0;              // entries read
  std::uint64_t tree_size = 0;            // the head's size
  std::uint64_t bytes_hashed = 0;         // canonical entry bytes hashed
  std::uint64_t checkpoints_checked = 0;  // signatures and roots checked
  bool checkpoints_unverified = false;    // there were checkpoints but no key
  std::optional<std::uint64_t> first_bad_seq;
  std::string problem;  // short code: "entry_mismatch", "gap", "node_mismatch", …
  std::string message;  // Chinese, for people
  double seconds = 0;
};

// Runs the verification on one read transaction (a consistent snapshot).
// Returns an error only when the database cannot be read at all; every fault
// of the record itself is a report with ok == false.
[[nodiscard]] Result<VerifyReport> verify_record(storage::Database& db,
                                                 const VerifyOptions& options);

}  // namespace xzzf::record
