#pragma once

// Signed checkpoints of the full-process record (全过程记录): a tree size, the
// root of the tree of that size and the time it was taken, signed with the
// deployment's key so that copies kept outside the database (the portal, export
// files) catch a truncated or rewritten tree. See RECORD.md of the design documents, "Checkpoints".
//
// Ed25519 (libsodium) only, for now; SM2 comes with the 国密 sites.
//
// The signed bytes (checkpoint_message) are this exact text, every line ending
// in "\n", numbers in decimal without padding, the root in lower-case hex:
//
//   xzzf-checkpoint-v1
//   <hash algorithm: sha256 | sm3>
//   <size>
//   <root, 64 hex digits>
//   <at: microseconds since the Unix epoch, signed>
//
// The version line and the algorithm keep a signature from being replayed as a
// checkpoint of another format or of a tree hashed another way. key_id is not
// signed: it only names the key, and verify_checkpoint checks it against the
// key it is given.
//
// The key file (SigningKey::save/load) is text: one comment line starting with
// "#", then the 32-byte Ed25519 seed as 64 hex digits. It must be mode 0600;
// load refuses a file that group or others can read.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "record/hash.hpp"

namespace xzzf::record {

struct Checkpoint {
  std::uint64_t size = 0;
  Hash root{};
  Instant at;
  HashAlgorithm algorithm = HashAlgorithm::kSha256;
  std::string key_id;                        // SigningKey::key_id of the signer
  std::array<std::uint8_t, 64> signature{};  // Ed25519, over checkpoint_message

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The exact bytes that are signed (format above).
[[nodiscard]] std::string checkpoint_message(const Checkpoint& checkpoint);

// An Ed25519 signing key. Move-only; the secret bytes are wiped when it is
// destroyed. A moved-from key must not be used.
class SigningKey {
 public:
  // A fresh key from libsodium's random source.
  [[nodiscard]] static Result<SigningKey> generate();

  // Reads a key file written by save. Refuses a file that group or others may
  // read (record.key_file_exposed) and a malformed one.
  [[nodiscard]] static Result<SigningKey> load(const std::string& path);

  // Writes the key file with mode 0600; never overwrites an existing file
  // (record.key_file_exists).
  [[nodiscard]] Result<void> save(const std::string& path) const;

  // The 32-byte public key, 64 lower-case hex digits.
  [[nodiscard]] std::string public_key_hex() const;

  // The first 16 hex digits of SHA-256(public key): a short name for the key.
  [[nodiscard]] std::string key_id() const;

  [[nodiscard]] Checkpoint sign(std::uint64_t size, const Hash& root, Instant at,
                                HashAlgorithm algorithm) const;

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

 private:
  struct Secret;
  explicit SigningKey(std::unique_ptr<Secret> secret);
  std::unique_ptr<Secret> secret_;
};

// Whether checkpoint carries a valid signature by the key public_key_hex (64
// hex digits) and names that key in key_id. False, never an error, for a
// malformed key.
[[nodiscard]] bool verify_checkpoint(const Checkpoint& checkpoint, std::string_view public_key_hex);

// The checkpoint as a JSON object, for export files:
// {"size", "root", "at_us", "algorithm", "key_id", "signature"}, root and
// signature in lower-case hex.
[[nodiscard]] std::string to_json_text(const Checkpoint& checkpoint);

// The inverse; every field is required and any other field is refused.
[[nodiscard]] Result<Checkpoint> checkpoint_from_json(std::string_view text);

}  // namespace xzzf::record
