#include "record/merkle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "record/hash.hpp"

namespace xzzf::record {
namespace {

constexpr HashAlgorithm kBoth[] = {HashAlgorithm::kSha256, HashAlgorithm::kSm3};

Hash h(std::string_view hex) {
  auto parsed = hash_from_hex(hex);
  EXPECT_TRUE(parsed.has_value()) << hex;
  return parsed.value_or(Hash{});
}

std::vector<Hash> hs(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash> out;
  for (std::string_view hex : hexes) out.push_back(h(hex));
  return out;
}

int ceil_log2(std::uint64_t n) {
  return n <= 1 ? 0 : static_cast<int>(std::bit_width(n - 1));
}

// The tree as the database will keep it: complete nodes only, written as
// nodes_completed_by_append says. node() refuses (and the test fails) any node
// that is not complete at the size under query, or that was never written.
class MemoryTree final : public NodeSource {
 public:
  explicit MemoryTree(HashAlgorithm algorithm) : algorithm_(algorithm) {}

  void append(std::string_view entry) {
    ++size_;
    for (auto [level, index] : nodes_completed_by_append(size_)) {
      Hash value{};
      if (level == 0) {
        value = leaf_hash(algorithm_, entry);
      } else {
        auto left = nodes_.find({level - 1, 2 * index});
        auto right = nodes_.find({level - 1, 2 * index + 1});
        EXPECT_TRUE(left != nodes_.end() && right != nodes_.end()) << level << "," << index;
        if (left == nodes_.end() || right == nodes_.end()) return;
        value = node_hash(algorithm_, left->second, right->second);
      }
      EXPECT_TRUE(nodes_.emplace(std::pair{level, index}, value).second)
          << "node written twice: " << level << "," << index;
    }
  }

  // Queries below are about the tree of this many leaves.
  void limit_to(std::uint64_t size) { limit_ = size; }
  std::uint64_t size() const { return size_; }

  Result<Hash> node(int level, std::uint64_t index) const override {
    ++reads_;
    auto it = nodes_.find({level, index});
    if (it == nodes_.end() || ((index + 1) << level) > limit_) {
      ADD_FAILURE() << "read of a node that is not complete: " << level << "," << index
                    << " at size " << limit_;
      return fail(ErrorCode::kInternal, field("request_id", "test"));
    }
    return it->second;
  }

  mutable std::uint64_t reads_ = 0;

 private:
  HashAlgorithm algorithm_;
  std::uint64_t size_ = 0;
  std::uint64_t limit_ = 0;
  std::map<std::pair<int, std::uint64_t>, Hash> nodes_;
};

// --- The RFC 9162 §2.1 definitions, written out literally (recursion over
// --- the leaf inputs, hashing every leaf each time) as the independent oracle.
struct Naive {
  HashAlgorithm alg;
  const std::vector<std::string>& d;

  static std::uint64_t k_of(std::uint64_t n) {
    std::uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }
  // MTH(D[begin:end]).
  Hash mth(std::uint64_t begin, std::uint64_t end) const {
    std::uint64_t n = end - begin;
    if (n == 0) return digest(alg, "");
    if (n == 1) return leaf_hash(alg, d[begin]);
    std::uint64_t k = k_of(n);
    return node_hash(alg, mth(begin, begin + k), mth(begin + k, end));
  }
  // PATH(m, D[begin:end]), m relative to begin.
  std::vector<Hash> path(std::uint64_t m, std::uint64_t begin, std::uint64_t end) const {
    std::uint64_t n = end - begin;
    if (n == 1) return {};
    std::uint64_t k = k_of(n);
    std::vector<Hash> out;
    if (m < k) {
      out = path(m, begin, begin + k);
      out.push_back(mth(begin + k, end));
    } else {
      out = path(m - k, begin + k, end);
      out.push_back(mth(begin, begin + k));
    }
    return out;
  }
  // SUBPROOF(m, D[begin:end], b), m relative to begin.
  std::vector<Hash> subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end,
                             bool b) const {
    std::uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};
      return {mth(begin, end)};
    }
    std::uint64_t k = k_of(n);
    std::vector<Hash> out;
    if (m <= k) {
      out = subproof(m, begin, begin + k, b);
      out.push_back(mth(begin + k, end));
    } else {
      out = subproof(m - k, begin + k, end, false);
      out.push_back(mth(begin, begin + k));
    }
    return out;
  }
};

Hash flipped(Hash value, std::size_t byte) {
  value[byte % value.size()] ^= 0x01;
  return value;
}

// Compares the complete-subtree implementation with the naive one at one
// tree size, for the given leaf indices and old sizes, and checks that every
// proof verifies and every corruption is caught.
void check_size(MemoryTree& tree, const Naive& naive, std::uint64_t n,
                const std::vector<std::uint64_t>& indices,
                const std::vector<std::uint64_t>& old_sizes) {
  tree.limit_to(n);
  const HashAlgorithm alg = naive.alg;
  auto got_root = root(tree, n, alg);
  ASSERT_TRUE(got_root.has_value());
  const Hash want_root = naive.mth(0, n);
  ASSERT_EQ(to_hex(*got_root), to_hex(want_root)) << "size " << n;

  for (std::uint64_t m : indices) {
    auto proof = inclusion_proof(tree, m, n, alg);
    ASSERT_TRUE(proof.has_value());
    ASSERT_EQ(*proof, naive.path(m, 0, n)) << "PATH(" << m << ", D[" << n << "])";
    EXPECT_LE(proof->size(), static_cast<std::size_t>(ceil_log2(n)));
    const Hash leaf = leaf_hash(alg, naive.d[m]);
    ASSERT_TRUE(verify_inclusion(alg, m, n, leaf, *proof, want_root)) << m << " in " << n;
    EXPECT_FALSE(verify_inclusion(alg, m, n, flipped(leaf, m), *proof, want_root));
    EXPECT_FALSE(verify_inclusion(alg, m, n, leaf, *proof, flipped(want_root, m)));
    for (std::size_t i = 0; i < proof->size(); ++i) {
      std::vector<Hash> bad = *proof;
      bad[i] = flipped(bad[i], i + m);
      EXPECT_FALSE(verify_inclusion(alg, m, n, leaf, bad, want_root)) << m << " in " << n;
    }
    if (!proof->empty()) {
      std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
      EXPECT_FALSE(verify_inclusion(alg, m, n, leaf, shorter, want_root));
    }
    std::vector<Hash> longer = *proof;
    longer.push_back(want_root);
    EXPECT_FALSE(verify_inclusion(alg, m, n, leaf, longer, want_root));
  }

  for (std::uint64_t old_size : old_sizes) {
    auto proof = consistency_proof(tree, old_size, n, alg);
    ASSERT_TRUE(proof.has_value());
    ASSERT_EQ(*proof, naive.subproof(old_size, 0, n, true))
        << "PROOF(" << old_size << ", D[" << n << "])";
    const Hash old_root = naive.mth(0, old_size);
    ASSERT_TRUE(verify_consistency(alg, old_size, n, old_root, want_root, *proof))
        << old_size << " -> " << n;
    EXPECT_FALSE(
        verify_consistency(alg, old_size, n, flipped(old_root, old_size), want_root, *proof));
    EXPECT_FALSE(verify_consistency(alg, old_size, n, old_root, flipped(want_root, 7), *proof));
    for (std::size_t i = 0; i < proof->size(); ++i) {
      std::vector<Hash> bad = *proof;
      bad[i] = flipped(bad[i], i + old_size);
      EXPECT_FALSE(verify_consistency(alg, old_size, n, old_root, want_root, bad))
          << old_size << " -> " << n << " element " << i;
    }
    if (!proof->empty()) {
      std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
      EXPECT_FALSE(verify_consistency(alg, old_size, n, old_root, want_root, shorter));
    }
  }
}

std::string entry_of(std::uint64_t i) {
  return "entry-" + std::to_string(i * 7919 % 1000);
}

// ---------------------------------------------------------------- hashing

TEST(RecordHash, KnownDigests) {
  // SHA-256("abc"): FIPS 180-2, appendix B.1.
  EXPECT_EQ(to_hex(digest(HashAlgorithm::kSha256, "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // SM3("abc") and SM3("abcd" × 16): GB/T 32905-2016, appendix A, examples 1 and 2.
  EXPECT_EQ(to_hex(digest(HashAlgorithm::kSm3, "abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string sixty_four;
  for (int i = 0; i < 16; ++i) sixty_four += "abcd";
  EXPECT_EQ(to_hex(digest(HashAlgorithm::kSm3, sixty_four)),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  EXPECT_EQ(to_hex(empty_root(HashAlgorithm::kSha256)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RecordHash, PrefixesSeparateLeavesFromNodes) {
  for (HashAlgorithm alg : kBoth) {
    const Hash a = leaf_hash(alg, "a");
    const Hash b = leaf_hash(alg, "b");
    std::string as_leaf(1, '\x01');
    as_leaf.append(a.begin(), a.end());
    as_leaf.append(b.begin(), b.end());
    EXPECT_EQ(node_hash(alg, a, b), digest(alg, as_leaf));
    EXPECT_NE(leaf_hash(alg, as_leaf.substr(1)), node_hash(alg, a, b));
    EXPECT_EQ(leaf_hash(alg, "a"), digest(alg, std::string("\0a", 2)));
  }
  EXPECT_NE(leaf_hash(HashAlgorithm::kSha256, "x"), leaf_hash(HashAlgorithm::kSm3, "x"));
}

TEST(RecordHash, HexRoundTripAndRefusals) {
  const Hash value = leaf_hash(HashAlgorithm::kSm3, "x");
  auto back = hash_from_hex(to_hex(value));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, value);
  std::string upper = to_hex(value);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
  });
  EXPECT_EQ(hash_from_hex(upper).value_or(Hash{}), value);
  for (std::string bad : {std::string(), std::string(63, '0'), std::string(65, '0'),
                          std::string(63, '0') + "g", std::string(62, '0') + " 0"}) {
    auto parsed = hash_from_hex(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kRecordHashInvalid);
    EXPECT_EQ(parsed.error().kind(), ErrorKind::kInvalidInput);
  }
}

TEST(RecordHash, AlgorithmNames) {
  for (HashAlgorithm alg : kBoth) EXPECT_EQ(parse_hash_algorithm(to_string(alg)).value(), alg);
  auto unknown = parse_hash_algorithm("md5");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kRecordHashAlgorithmUnknown);
}

// ------------------------------------ Certificate Transparency reference tree

// The 8 leaf inputs and the published values over them come from the
// Certificate Transparency reference test data, as kept in
// transparency-dev/merkle: testonly/constants.go (LeafInputs, NodeHashes,
// RootHashes) and proof/verify_test.go (inclusionProofs, consistencyProofs;
// that file numbers leaves from 1, here they are 0-based indices).
std::vector<std::string> ct_leaves() {
  return {std::string(),
          std::string("\x00", 1),
          "\x10",
          "\x20\x21",
          "\x30\x31",
          "\x40\x41\x42\x43",
          "\x50\x51\x52\x53\x54\x55\x56\x57",
          "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
}

MemoryTree ct_tree() {
  MemoryTree tree(HashAlgorithm::kSha256);
  for (const std::string& leaf : ct_leaves()) tree.append(leaf);
  return tree;
}

TEST(MerkleCtVectors, RootsOfTheFirstNLeaves) {
  const std::vector<Hash> roots = hs({
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  });
  MemoryTree tree = ct_tree();
  for (std::uint64_t n = 0; n <= 8; ++n) {
    tree.limit_to(n);
    auto got = root(tree, n, HashAlgorithm::kSha256);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(to_hex(*got), to_hex(roots[n])) << "n = " << n;
  }
}

TEST(MerkleCtVectors, CompleteNodes) {
  const std::vector<std::vector<Hash>> levels = {
      hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
          "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"}),
      hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"}),
      hs({"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}),
      hs({"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}),
  };
  MemoryTree tree = ct_tree();
  tree.limit_to(8);
  for (std::size_t level = 0; level < levels.size(); ++level) {
    for (std::size_t index = 0; index < levels[level].size(); ++index) {
      auto got = tree.node(static_cast<int>(level), index);
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(to_hex(*got), to_hex(levels[level][index])) << level << "," << index;
    }
  }
}

TEST(MerkleCtVectors, InclusionProofs) {
  struct Vector {
    std::uint64_t index, size;
    std::vector<Hash> proof;
  };
  const std::vector<Vector> vectors = {
      {0, 1, {}},
      {0, 8,
       hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  MemoryTree tree = ct_tree();
  const std::vector<std::string> leaves = ct_leaves();
  for (const Vector& v : vectors) {
    tree.limit_to(v.size);
    auto proof = inclusion_proof(tree, v.index, v.size, HashAlgorithm::kSha256);
    ASSERT_TRUE(proof.has_value());
    EXPECT_EQ(*proof, v.proof) << v.index << " in " << v.size;
    const Hash tree_root = root(tree, v.size, HashAlgorithm::kSha256).value();
    const Hash leaf = leaf_hash(HashAlgorithm::kSha256, leaves[v.index]);
    EXPECT_TRUE(
        verify_inclusion(HashAlgorithm::kSha256, v.index, v.size, leaf, v.proof, tree_root));
    EXPECT_FALSE(
        verify_inclusion(HashAlgorithm::kSha256, v.index + 1, v.size, leaf, v.proof, tree_root));
    EXPECT_FALSE(
        verify_inclusion(HashAlgorithm::kSha256, v.index, v.size * 2, leaf, v.proof, tree_root));
    // The same proof under the other algorithm proves nothing.
    if (!v.proof.empty()) {
      EXPECT_FALSE(
          verify_inclusion(HashAlgorithm::kSm3, v.index, v.size, leaf, v.proof, tree_root));
    }
  }
}

TEST(MerkleCtVectors, ConsistencyProofs) {
  struct Vector {
    std::uint64_t old_size, new_size;
    std::vector<Hash> proof;
  };
  const std::vector<Vector> vectors = {
      {1, 1, {}},
      {1, 8,
       hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  MemoryTree tree = ct_tree();
  for (const Vector& v : vectors) {
    tree.limit_to(v.new_size);
    auto proof = consistency_proof(tree, v.old_size, v.new_size, HashAlgorithm::kSha256);
    ASSERT_TRUE(proof.has_value());
    EXPECT_EQ(*proof, v.proof) << v.old_size << " -> " << v.new_size;
    const Hash old_root = root(tree, v.old_size, HashAlgorithm::kSha256).value();
    const Hash new_root = root(tree, v.new_size, HashAlgorithm::kSha256).value();
    EXPECT_TRUE(verify_consistency(HashAlgorithm::kSha256, v.old_size, v.new_size, old_root,
                                   new_root, v.proof));
    if (v.old_size != v.new_size) {
      EXPECT_FALSE(verify_consistency(HashAlgorithm::kSha256, v.old_size, v.new_size, new_root,
                                      old_root, v.proof));
      EXPECT_FALSE(verify_consistency(HashAlgorithm::kSha256, v.old_size, v.new_size, old_root,
                                      new_root, {}));
    }
  }
}

// ------------------------------------------------- structure and arguments

TEST(Merkle, NodesCompletedByAppend) {
  using Nodes = std::vector<std::pair<int, std::uint64_t>>;
  EXPECT_EQ(nodes_completed_by_append(0), Nodes{});
  EXPECT_EQ(nodes_completed_by_append(1), (Nodes{{0, 0}}));
  EXPECT_EQ(nodes_completed_by_append(6), (Nodes{{0, 5}, {1, 2}}));
  EXPECT_EQ(nodes_completed_by_append(7), (Nodes{{0, 6}}));
  EXPECT_EQ(nodes_completed_by_append(8), (Nodes{{0, 7}, {1, 3}, {2, 1}, {3, 0}}));
  // Over a run of appends every complete node is written exactly once.
  std::set<std::pair<int, std::uint64_t>> written;
  for (std::uint64_t n = 1; n <= 1024; ++n) {
    for (auto node : nodes_completed_by_append(n)) EXPECT_TRUE(written.insert(node).second);
  }
  EXPECT_EQ(written.size(), 2047u);
  EXPECT_EQ(nodes_completed_by_append(std::uint64_t{1} << 40).size(), 41u);
}

TEST(Merkle, InvalidArgumentsAreInputErrors) {
  MemoryTree tree = ct_tree();
  tree.limit_to(8);
  auto out_of_range = inclusion_proof(tree, 8, 8, HashAlgorithm::kSha256);
  ASSERT_FALSE(out_of_range.has_value());
  EXPECT_EQ(out_of_range.error().code, ErrorCode::kRecordIndexOutOfRange);
  EXPECT_EQ(out_of_range.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(out_of_range.error().message, "条目序号 8 超出范围：树中只有 8 个条目");
  EXPECT_FALSE(inclusion_proof(tree, 0, 0, HashAlgorithm::kSha256).has_value());
  for (auto [old_size, new_size] :
       {std::pair<std::uint64_t, std::uint64_t>{0, 8}, {5, 4}, {0, 0}}) {
    auto bad = consistency_proof(tree, old_size, new_size, HashAlgorithm::kSha256);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, ErrorCode::kRecordSizeInvalid);
    EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
  }
  const Hash any = empty_root(HashAlgorithm::kSha256);
  EXPECT_FALSE(verify_inclusion(HashAlgorithm::kSha256, 0, 0, any, {}, any));
  EXPECT_FALSE(verify_consistency(HashAlgorithm::kSha256, 0, 0, any, any, {}));
  EXPECT_FALSE(verify_consistency(HashAlgorithm::kSha256, 2, 1, any, any, {}));
  EXPECT_FALSE(verify_consistency(HashAlgorithm::kSha256, 3, 3, any, flipped(any, 0), {}));
}

TEST(Merkle, SourceErrorsPropagate) {
  class Failing final : public NodeSource {
   public:
    Result<Hash> node(int, std::uint64_t) const override {
      return fail(ErrorCode::kDbUnavailable, field("detail", "down"));
    }
  };
  Failing source;
  EXPECT_EQ(root(source, 5, HashAlgorithm::kSha256).error().code, ErrorCode::kDbUnavailable);
  EXPECT_EQ(inclusion_proof(source, 1, 5, HashAlgorithm::kSha256).error().code,
            ErrorCode::kDbUnavailable);
  EXPECT_EQ(consistency_proof(source, 3, 5, HashAlgorithm::kSha256).error().code,
            ErrorCode::kDbUnavailable);
}

// ------------------------------------------- against the naive definitions

void check_every_size_up_to_130(HashAlgorithm alg) {
  std::vector<std::string> entries;
  MemoryTree tree(alg);
  const Naive naive{alg, entries};
  for (std::uint64_t n = 1; n <= 130; ++n) {
    entries.push_back(entry_of(n - 1));
    tree.append(entries.back());
    std::vector<std::uint64_t> all_indices(n);
    std::vector<std::uint64_t> all_old(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      all_indices[i] = i;
      all_old[i] = i + 1;
    }
    check_size(tree, naive, n, all_indices, all_old);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// One test per algorithm, so that ctest runs them side by side.
TEST(MerkleNaive, EverySizeUpTo130EveryIndexEveryOldSizeSha256) {
  check_every_size_up_to_130(HashAlgorithm::kSha256);
}

TEST(MerkleNaive, EverySizeUpTo130EveryIndexEveryOldSizeSm3) {
  check_every_size_up_to_130(HashAlgorithm::kSm3);
}

TEST(MerkleNaive, SampledSizesNearPowersOfTwo) {
  const std::set<std::uint64_t> sizes = {255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 1100};
  for (HashAlgorithm alg : kBoth) {
    std::vector<std::string> entries;
    MemoryTree tree(alg);
    const Naive naive{alg, entries};
    for (std::uint64_t n = 1; n <= *sizes.rbegin(); ++n) {
      entries.push_back(entry_of(n - 1));
      tree.append(entries.back());
      if (!sizes.contains(n)) continue;
      std::set<std::uint64_t> indices = {0, 1, 2, n / 3, n / 2 - 1, n / 2, n - 2, n - 1};
      std::set<std::uint64_t> old_sizes = {1, 2, 3, n / 3, n / 2, n / 2 + 1, n - 1, n};
      for (std::uint64_t p = 1; p <= n; p *= 2) {
        indices.insert(p - 1);
        if (p < n) indices.insert(p);
        old_sizes.insert(p);
        if (p > 1) old_sizes.insert(p - 1);
        if (p < n) old_sizes.insert(p + 1);
      }
      for (std::uint64_t i = 5; i < n; i += 97) {
        indices.insert(i);
        old_sizes.insert(i);
      }
      check_size(tree, naive, n, {indices.begin(), indices.end()},
                 {old_sizes.begin(), old_sizes.end()});
      if (HasFatalFailure()) return;
    }
  }
}

// ------------------------------------------------------------ reads counted

// A tree of a million leaves that is never materialised: every leaf has the
// same hash, so node (level, index) depends only on its level and is computed
// on demand. Counts the reads and checks each is of a complete node.
class UniformTree final : public NodeSource {
 public:
  UniformTree(HashAlgorithm algorithm, std::uint64_t size) : size_(size) {
    levels_.push_back(leaf_hash(algorithm, "same entry"));
    for (int level = 1; level < 64; ++level) {
      levels_.push_back(node_hash(algorithm, levels_.back(), levels_.back()));
    }
  }
  Result<Hash> node(int level, std::uint64_t index) const override {
    ++reads_;
    EXPECT_LE((index + 1) << level, size_) << level << "," << index;
    return levels_[static_cast<std::size_t>(level)];
  }
  const Hash& leaf() const { return levels_[0]; }
  mutable std::uint64_t reads_ = 0;

 private:
  std::uint64_t size_;
  std::vector<Hash> levels_;
};

TEST(MerkleReads, LogarithmicAtAMillion) {
  constexpr std::uint64_t n = 1'000'000;
  const std::uint64_t bound = 2 * static_cast<std::uint64_t>(ceil_log2(n)) + 2;
  for (HashAlgorithm alg : kBoth) {
    UniformTree tree(alg, n);
    const Hash tree_root = root(tree, n, alg).value();
    EXPECT_LE(tree.reads_, bound);
    std::uint64_t worst = tree.reads_;
    for (std::uint64_t index :
         {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{123'456}, n / 2, std::uint64_t{524'287},
          std::uint64_t{524'288}, std::uint64_t{786'431}, std::uint64_t{999'998}, n - 1}) {
      tree.reads_ = 0;
      auto proof = inclusion_proof(tree, index, n, alg);
      ASSERT_TRUE(proof.has_value());
      EXPECT_LE(tree.reads_, bound) << "inclusion of " << index;
      worst = std::max(worst, tree.reads_);
      EXPECT_LE(proof->size(), static_cast<std::size_t>(ceil_log2(n)));
      EXPECT_TRUE(verify_inclusion(alg, index, n, tree.leaf(), *proof, tree_root)) << index;
    }
    for (std::uint64_t old_size :
         {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{524'287},
          std::uint64_t{524'288}, std::uint64_t{524'289}, std::uint64_t{777'777},
          std::uint64_t{999'999}, n}) {
      UniformTree old_tree(alg, old_size);
      const Hash old_root = root(old_tree, old_size, alg).value();
      tree.reads_ = 0;
      auto proof = consistency_proof(tree, old_size, n, alg);
      ASSERT_TRUE(proof.has_value());
      EXPECT_LE(tree.reads_, bound) << "consistency from " << old_size;
      worst = std::max(worst, tree.reads_);
      EXPECT_TRUE(verify_consistency(alg, old_size, n, old_root, tree_root, *proof)) << old_size;
    }
    RecordProperty(std::string("worst_reads_") + std::string(to_string(alg)),
                   static_cast<int>(worst));
  }
}

}  // namespace
}  // namespace xzzf::record
