#pragma once

// Personal data at rest (个人信息, ARCHITECTURE.md "Security by default"): ID
// numbers, phones and the like are stored sealed, never in plaintext, and
// found again through a keyed digest.
//
// One deployment key (privacy.key_file, else DATA_DIR/personal-data.key,
// made at the first start with mode 0600) yields two subkeys (libsodium's
// crypto_kdf): one seals values with XChaCha20-Poly1305, the column's name
// bound as associated data, so that a sealed value copied into another column
// does not open there; the other keys BLAKE2b digests ("blind indexes"), so
// that equal values can be found or kept unique without the plaintext, and
// nobody without the key can test a guessed ID number against a digest.
//
// Losing the key loses the data it sealed: back it up with the database.
// A Sealer is immutable once made and may be shared between threads.

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf::privacy {

class Sealer {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  using Key = std::array<unsigned char, kKeyBytes>;

  // Reads a key file: "#" comment lines and one line of 64 hex digits. A file
  // that group or others may read is refused.
  [[nodiscard]] static Result<Sealer> load(const std::string& path);
  // Writes a new random key to `path` (mode 0600; an existing file is never
  // overwritten) and returns its sealer.
  [[nodiscard]] static Result<Sealer> create(const std::string& path);
  // A sealer of a given key (tests, tools).
  [[nodiscard]] static Sealer from_key(const Key& key);

  // "p1." then base64url of nonce ‖ ciphertext ‖ tag. A new random nonce each
  // time: sealing one value twice gives two different texts.
  [[nodiscard]] std::string seal(std::string_view plaintext, std::string_view context) const;
  // The plaintext, or privacy.sealed_invalid when the text was not sealed by
  // this key for this context, or was altered.
  [[nodiscard]] Result<std::string> open(std::string_view sealed, std::string_view context) const;
  // 64 hex digits: a keyed digest of `value` for `purpose` ("officers.id_number").
  [[nodiscard]] std::string blind(std::string_view value, std::string_view purpose) const;
  // Eight hex digits that tell keys apart (a digest of the key, not the key).
  [[nodiscard]] std::string key_id() const;

 private:
  struct Keys;
  explicit Sealer(std::shared_ptr<const Keys> keys) : keys_(std::move(keys)) {}
  std::shared_ptr<const Keys> keys_;
};

}  // namespace xzzf::privacy
