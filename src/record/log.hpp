#pragma once

// RecordLog: the full-process record (全过程记录) as stored in the database —
// one RFC 9162 Merkle tree per deployment over record_entries, with the hash of
// every complete subtree kept in record_nodes (migration 0004) and the tree
// size and hash algorithm in the single row of record_head.
//
// append() runs inside the CALLER's write transaction, next to the change it
// records: it locks the head row (SELECT … FOR UPDATE on PostgreSQL; on SQLite
// the write transaction's BEGIN IMMEDIATE already admits one writer at a time),
// takes the tree size as the new sequence number, stores the entry with its
// leaf hash and the O(log n) nodes the append completes, and advances the head.
// A rollback of the caller's transaction therefore leaves no entry, no node and
// no gap: sequence numbers are global and gap-free. The head lock is held until
// the caller commits, so keep the transaction short after appending.
//
// The readers (size, root, proofs, entry) answer for the tree as the given
// transaction sees it, reading O(log n) nodes; a size beyond the current tree
// is refused.
//
// RecordLog holds no state and owns nothing: every call works through the Tx
// it is given, so one instance may be shared by any number of threads, each
// with its own transaction.

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "record/entry.hpp"
#include "record/hash.hpp"
#include "storage/database.hpp"

namespace xzzf::record {

class RecordLog {
 public:
  // Appends `entry` (its seq is ignored and assigned) and returns its sequence
  // number. `tx` must be a write transaction. Fails with json.wrong_type for a
  // payload without canonical bytes (entry.hpp), before writing anything.
  [[nodiscard]] Result<std::uint64_t> append(storage::Tx& tx, Entry entry) const;

  // Sets the tree's hash algorithm while the tree is empty; afterwards the
  // algorithm is fixed and asking for another is record.algorithm_fixed.
  // `tx` must be a write transaction.
  [[nodiscard]] Result<void> choose_algorithm(storage::Tx& tx, HashAlgorithm algorithm) const;

  // Takes the tree-head lock now, in `tx` (a write transaction), as an
  // append would; it is held until the transaction ends.
  [[nodiscard]] Result<void> lock(storage::Tx& tx) const;

  // The number of entries.
  [[nodiscard]] Result<std::uint64_t> size(storage::Tx& tx) const;
  // The hash algorithm chosen when the database was created.
  [[nodiscard]] Result<HashAlgorithm> algorithm(storage::Tx& tx) const;

  // MTH of the first `size` entries (size ≤ the current size).
  [[nodiscard]] Result<Hash> root(storage::Tx& tx, std::uint64_t size) const;
  // PATH(seq, D[0:size]): record.index_out_of_range unless seq < size;
  // record.size_invalid when size exceeds the tree.
  [[nodiscard]] Result<std::vector<Hash>> inclusion_proof(storage::Tx& tx, std::uint64_t seq,
                                                          std::uint64_t size) const;
  // PROOF(old_size, D[0:new_size]): record.size_invalid unless
  // 0 < old_size ≤ new_size ≤ the current size.
  [[nodiscard]] Result<std::vector<Hash>> consistency_proof(storage::Tx& tx, std::uint64_t old_size,
                                                            std::uint64_t new_size) const;

  // The stored entry `seq`: record.index_out_of_range when there is none.
  [[nodiscard]] Result<Entry> entry(storage::Tx& tx, std::uint64_t seq) const;
  // The leaf hash stored with entry `seq` (not recomputed).
  [[nodiscard]] Result<Hash> stored_leaf_hash(storage::Tx& tx, std::uint64_t seq) const;
};

}  // namespace xzzf::record
