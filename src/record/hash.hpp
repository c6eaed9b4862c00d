#pragma once

// The hashing of the full-process record (全过程记录): RFC 9162 §2.1 leaf and
// node hashes over SHA-256 (the default) or SM3 (GB/T 32905-2016, for 国密
// sites), both 32 bytes. The algorithm is chosen once, when the database is
// created, and passed to every call.
//
// Every function here is pure and safe to call from several threads at once:
// the OpenSSL digest objects are fetched once, at first use, and never change.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xzzf::record {

enum class HashAlgorithm { kSha256, kSm3 };

// A digest of either algorithm: both are 256 bits.
using Hash = std::array<std::uint8_t, 32>;

// "sha256" or "sm3": the name stored with the tree and shown to verifiers.
[[nodiscard]] std::string_view to_string(HashAlgorithm algorithm);
[[nodiscard]] Result<HashAlgorithm> parse_hash_algorithm(std::string_view name);

// H(data): the bare digest.
[[nodiscard]] Hash digest(HashAlgorithm algorithm, std::string_view data);

// H(0x00 || entry): the hash of a leaf, entry being its canonical bytes.
[[nodiscard]] Hash leaf_hash(HashAlgorithm algorithm, std::string_view entry);

// H(0x01 || left || right): the hash of an interior node.
[[nodiscard]] Hash node_hash(HashAlgorithm algorithm, const Hash& left, const Hash& right);

// H(""): the root of the empty tree.
[[nodiscard]] Hash empty_root(HashAlgorithm algorithm);

// Lower-case hex, 64 characters.
[[nodiscard]] std::string to_hex(const Hash& hash);
// Lower-case hex of any bytes (signatures).
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

// Hex digits (either case, an even number of them) as bytes; nullopt for
// anything else.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> bytes_from_hex(std::string_view text);

// The inverse of to_hex; accepts either case, refuses anything but 64 hex digits.
[[nodiscard]] Result<Hash> hash_from_hex(std::string_view text);

}  // namespace xzzf::record
