#pragma once

// The Merkle tree of the full-process record: RFC 9162 §2.1 (Certificate
// Transparency v2) tree hashes, inclusion proofs and consistency proofs, and
// their verifiers.
//
// The tree is kept as its COMPLETE SUBTREES: node (level, index) is the hash of
// the 2^level leaves [index·2^level, (index+1)·2^level), level 0 being the leaf
// hashes. A complete node never changes once its last leaf is appended, so an
// append stores O(log n) new nodes (nodes_completed_by_append) and every root
// or proof below reads O(log n) of them through a NodeSource, computing the
// incomplete subtrees the RFC needs from complete ones.
//
// The functions are pure: they own nothing, keep no state and are as safe to
// call from several threads as the NodeSource they are given.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "record/hash.hpp"

namespace xzzf::record {

// Where the complete nodes live: the database in production, memory in tests.
// node() is only ever asked for a node that is complete in the tree size the
// caller passed, i.e. (index + 1) · 2^level ≤ size.
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  [[nodiscard]] virtual Result<Hash> node(int level, std::uint64_t index) const = 0;
};

// The (level, index) nodes that become complete when leaf new_size - 1 is
// appended, level 0 (the leaf itself) first; each is node_hash of the two
// nodes one level below, which are complete by then. Empty for new_size 0.
[[nodiscard]] std::vector<std::pair<int, std::uint64_t>> nodes_completed_by_append(
    std::uint64_t new_size);

// MTH(D[0:size]) (RFC 9162 §2.1.1); empty_root for size 0. Reads one node per
// bit set in size.
[[nodiscard]] Result<Hash> root(const NodeSource& source, std::uint64_t size,
                                HashAlgorithm algorithm);

// PATH(leaf_index, D[0:tree_size]) (RFC 9162 §2.1.3.1), the sibling nearest the
// leaf first. Fails with record.index_out_of_range unless leaf_index < tree_size.
[[nodiscard]] Result<std::vector<Hash>> inclusion_proof(const NodeSource& source,
                                                        std::uint64_t leaf_index,
                                                        std::uint64_t tree_size,
                                                        HashAlgorithm algorithm);

// PROOF(old_size, D[0:new_size]) (RFC 9162 §2.1.4.1); empty when the sizes are
// equal. Fails with record.size_invalid unless 0 < old_size ≤ new_size.
[[nodiscard]] Result<std::vector<Hash>> consistency_proof(const NodeSource& source,
                                                          std::uint64_t old_size,
                                                          std::uint64_t new_size,
                                                          HashAlgorithm algorithm);

// RFC 9162 §2.1.3.2: whether proof shows that the leaf hash `leaf` is entry
// leaf_index of the tree of tree_size leaves whose root is `root`.
[[nodiscard]] bool verify_inclusion(HashAlgorithm algorithm, std::uint64_t leaf_index,
                                    std::uint64_t tree_size, const Hash& leaf,
                                    std::span<const Hash> proof, const Hash& root);

// RFC 9162 §2.1.4.2: whether proof shows that the tree of new_size leaves with
// root new_root extends the tree of old_size leaves with root old_root. Equal
// sizes need equal roots and an empty proof; old_size 0 (nothing to prove) and
// old_size > new_size are refused.
[[nodiscard]] bool verify_consistency(HashAlgorithm algorithm, std::uint64_t old_size,
                                      std::uint64_t new_size, const Hash& old_root,
                                      const Hash& new_root, std::span<const Hash> proof);

}  // namespace xzzf::record
