#include "record/merkle.hpp"

#include <algorithm>
#include <bit>

namespace xzzf::record {
namespace {

// The largest power of two smaller than n (n ≥ 2): RFC 9162's split point k.
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

// MTH(D[begin:end]) for a range the RFC's recursion produces: begin is a
// multiple of the largest power of two not above end - begin, so the range
// splits into the complete nodes of the binary decomposition of its length,
// largest first, and the RFC's right-leaning tree over them is their
// right-to-left fold. One read per bit set in end - begin.
Result<Hash> subtree_hash(const NodeSource& source, std::uint64_t begin, std::uint64_t end,
                          HashAlgorithm algorithm) {
  std::vector<Hash> pieces;
  std::uint64_t position = begin;
  const std::uint64_t count = end - begin;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = std::uint64_t{1} << level;
    if ((count & width) == 0) continue;
    XZZF_TRY(piece, source.node(level, position >> level));
    pieces.push_back(piece);
    position += width;
  }
  Hash folded = pieces.back();
  for (std::size_t i = pieces.size() - 1; i-- > 0;) {
    folded = node_hash(algorithm, pieces[i], folded);
  }
  return folded;
}

}  // namespace

std::vector<std::pair<int, std::uint64_t>> nodes_completed_by_append(std::uint64_t new_size) {
  std::vector<std::pair<int, std::uint64_t>> nodes;
  if (new_size == 0) return nodes;
  // Node (level, new_size / 2^level - 1) completes exactly when 2^level divides new_size.
  const int top = std::countr_zero(new_size);
  for (int level = 0; level <= top; ++level) {
    nodes.emplace_back(level, (new_size >> level) - 1);
  }
  return nodes;
}

Result<Hash> root(const NodeSource& source, std::uint64_t size, HashAlgorithm algorithm) {
  if (size == 0) return empty_root(algorithm);
  return subtree_hash(source, 0, size, algorithm);
}

Result<std::vector<Hash>> inclusion_proof(const NodeSource& source, std::uint64_t leaf_index,
                                          std::uint64_t tree_size, HashAlgorithm algorithm) {
  if (leaf_index >= tree_size) {
    return fail(ErrorCode::kRecordIndexOutOfRange, field("index", leaf_index),
                field("size", tree_size));
  }
  // The RFC's recursion walked from the root down: at each step the range
  // [begin, end) holds the leaf, and the other half is the next sibling. Once
  // the walk turns left the ranges are complete nodes, so only one sibling
  // (the first right one) is ever an incomplete subtree.
  std::vector<Hash> path;
  std::uint64_t begin = 0;
  std::uint64_t end = tree_size;
  while (end - begin > 1) {
    const std::uint64_t middle = begin + split_point(end - begin);
    if (leaf_index < middle) {
      XZZF_TRY(sibling, subtree_hash(source, middle, end, algorithm));
      path.push_back(sibling);
      end = middle;
    } else {
      XZZF_TRY(sibling, subtree_hash(source, begin, middle, algorithm));
      path.push_back(sibling);
      begin = middle;
    }
  }
  // PATH lists the siblings from the leaf up.
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Hash>> consistency_proof(const NodeSource& source, std::uint64_t old_size,
                                            std::uint64_t new_size, HashAlgorithm algorithm) {
  if (old_size == 0 || old_size > new_size) {
    return fail(ErrorCode::kRecordSizeInvalid, field("old_size", old_size),
                field("new_size", new_size));
  }
  // SUBPROOF(m, D[begin:end], whole) of RFC 9162 §2.1.4.1, unrolled: old_size
  // stays absolute, begin < old_size ≤ end throughout.
  std::vector<Hash> proof;
  std::uint64_t begin = 0;
  std::uint64_t end = new_size;
  bool whole_old_tree = true;
  while (old_size != end) {
    const std::uint64_t middle = begin + split_point(end - begin);
    if (old_size <= middle) {
      XZZF_TRY(right, subtree_hash(source, middle, end, algorithm));
      proof.push_back(right);
      end = middle;
    } else {
      XZZF_TRY(left, subtree_hash(source, begin, middle, algorithm));
      proof.push_back(left);
      begin = middle;
      whole_old_tree = false;
    }
  }
  // The old tree's own root is left out when the verifier already has it.
  if (!whole_old_tree) {
    XZZF_TRY(last, subtree_hash(source, begin, end, algorithm));
    proof.push_back(last);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

bool verify_inclusion(HashAlgorithm algorithm, std::uint64_t leaf_index, std::uint64_t tree_size,
                      const Hash& leaf, std::span<const Hash> proof, const Hash& root) {
  if (leaf_index >= tree_size) return false;
  std::uint64_t fn = leaf_index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(algorithm, p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(algorithm, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(HashAlgorithm algorithm, std::uint64_t old_size, std::uint64_t new_size,
                        const Hash& old_root, const Hash& new_root, std::span<const Hash> proof) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  // When the old tree is a complete node the proof omits its root, which the
  // verifier prepends.
  const bool prepend_old_root = std::has_single_bit(old_size);
  const std::size_t length = proof.size() + (prepend_old_root ? 1 : 0);
  auto element = [&](std::size_t i) -> const Hash& {
    if (prepend_old_root) return i == 0 ? old_root : proof[i - 1];
    return proof[i];
  };
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = element(0);
  Hash sr = element(0);
  for (std::size_t i = 1; i < length; ++i) {
    const Hash& c = element(i);
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(algorithm, c, fr);
      sr = node_hash(algorithm, c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(algorithm, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace xzzf::record
