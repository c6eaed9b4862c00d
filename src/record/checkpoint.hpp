#pragma once

// Signed checkpoints of the full-process record (全过程记录): a tree size, the
// root of the tree of that size and the time it was taken, signed with the
// deployment's key so that copies kept outside the database (the portal, export
// files) catch a truncated or rewritten tree. See RECORD.md of the design documents, "Checkpoints".
//
// Two signature algorithms: Ed25519 (libsodium, RFC 8032), the default, and SM2
// (国密, GB/T 32918-2016, through OpenSSL 3) for 国密 sites.
//
// The signed bytes (checkpoint_message) are the same for both algorithms: this
// exact text, every line ending in "\n", numbers in decimal without padding,
// the root in lower-case hex:
//
//   xzzf-checkpoint-v1
//   <hash algorithm: sha256 | sm3>
//   <size>
//   <root, 64 hex digits>
//   <at: microseconds since the Unix epoch, signed>
//
// The version line and the algorithm keep a signature from being replayed as a
// checkpoint of another format or of a tree hashed another way. key_id and
// signature_algorithm are not signed: they only name the key, and
// verify_checkpoint checks them against the key it is given.
//
// SM2 signatures are made over that text with SM3 as the digest and the
// distinguishing ID (用户身份标识) "1234567812345678" — the default ID of GB/T
// 35276-2017 — set explicitly: the signer's Z value is SM3(ENTL || ID || a ||
// b || xG || yG || xA || yA) and the signed digest SM3(Z || message). Other
// tools verify them with the same ID, e.g. `openssl pkeyutl -verify -rawin
// -digest sm3 -pkeyopt distid:1234567812345678`, or GmSSL with its default
// SM2 ID. OpenSSL before 4.0 uses an empty ID when none is set, which is why
// it is set explicitly. An SM2 signature is the DER encoding of SEQUENCE { r INTEGER, s INTEGER }
// (at most 72 bytes) and, unlike Ed25519, is randomised: signing the same
// checkpoint twice gives two different, equally valid signatures.
//
// The key file (SigningKey::save/load) is text; lines starting with "#" and
// blank lines are ignored, either "\n" or "\r\n" ends a line. It must be mode
// 0600; load refuses a file that group or others can read.
//   Ed25519: a comment line, then the 32-byte seed as 64 hex digits (the format
//            of the first release; a line "ed25519" before the seed is also
//            accepted).
//   SM2:     a comment line, then the line "sm2", then the 32-byte private
//            scalar d (big-endian, 1 ≤ d ≤ n−2) as 64 hex digits.
//
// The public key file (public_key_file_text) is what the portal publishes and
// what `xzzf record verify --public-key FILE` reads:
//   xzzf-record-public-key-v1
//   <signature algorithm: ed25519 | sm2>
//   <public key in lower-case hex>
// Ed25519 keys are their 32 bytes (64 hex digits); SM2 keys the uncompressed
// point 04 || x || y (65 bytes, 130 hex digits).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "record/hash.hpp"

namespace xzzf::record {

enum class SignatureAlgorithm : std::uint8_t { kEd25519, kSm2 };

// "ed25519" or "sm2": the name in key files, public key files and JSON.
[[nodiscard]] std::string_view to_string(SignatureAlgorithm a);
// The inverse (exact, lower case); record.signature_algorithm_unknown otherwise.
[[nodiscard]] Result<SignatureAlgorithm> parse_signature_algorithm(std::string_view name);

struct Checkpoint {
  std::uint64_t size = 0;
  Hash root{};
  Instant at;
  HashAlgorithm algorithm = HashAlgorithm::kSha256;
  SignatureAlgorithm signature_algorithm = SignatureAlgorithm::kEd25519;
  std::string key_id;  // key_id_of the signer's public key
  std::vector<std::uint8_t>
      signature;  // over checkpoint_message; Ed25519: 64 bytes; SM2: DER (r,s)

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The exact bytes that are signed (format above).
[[nodiscard]] std::string checkpoint_message(const Checkpoint& checkpoint);

// A public key as published on the portal and given to `xzzf record verify
// --public-key FILE`.
struct PublicKey {
  SignatureAlgorithm algorithm = SignatureAlgorithm::kEd25519;
  std::string hex;  // Ed25519: 64 hex digits; SM2: 130 hex digits, uncompressed point 04||x||y

  friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

// The public key file text: exactly "xzzf-record-public-key-v1\n<algorithm>\n<hex>\n".
[[nodiscard]] std::string public_key_file_text(const PublicKey& key);

// Parses that text. Tolerates a missing final newline and "\r\n" line ends,
// accepts hex digits of either case (the result holds lower case), and checks
// that the key is a valid point of its curve. Anything else is
// record.public_key_invalid.
[[nodiscard]] Result<PublicKey> parse_public_key_file(std::string_view text);

// The short name of a public key: the first 16 hex digits of SHA-256 over its
// raw bytes (32 for Ed25519, 65 for SM2). Empty if key.hex is not hex of the
// right length for its algorithm.
[[nodiscard]] std::string key_id_of(const PublicKey& key);

// A checkpoint signing key, Ed25519 or SM2. Move-only; the secret bytes are
// wiped when it is destroyed. A moved-from key must not be used. The const
// members may be called from several threads at once.
class SigningKey {
 public:
  // A fresh key from libsodium's (Ed25519) or OpenSSL's (SM2) random source.
  [[nodiscard]] static Result<SigningKey> generate(
      SignatureAlgorithm algorithm = SignatureAlgorithm::kEd25519);

  // Reads a key file of either kind (formats above). Refuses a file that group
  // or others may read (record.key_file_exposed) and a malformed one
  // (record.key_file_malformed).
  [[nodiscard]] static Result<SigningKey> load(const std::string& path);

  // Writes the key file with mode 0600; never overwrites an existing file
  // (record.key_file_exists).
  [[nodiscard]] Result<void> save(const std::string& path) const;

  [[nodiscard]] SignatureAlgorithm algorithm() const;

  [[nodiscard]] PublicKey public_key() const;

  // public_key().hex: 64 (Ed25519) or 130 (SM2) lower-case hex digits.
  [[nodiscard]] std::string public_key_hex() const;

  // key_id_of(public_key()).
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

// Whether checkpoint carries a valid signature by key. False, never an error,
// when checkpoint.signature_algorithm is not key.algorithm, when
// checkpoint.key_id does not name key, for a malformed key and for a bad
// signature.
[[nodiscard]] bool verify_checkpoint(const Checkpoint& checkpoint, const PublicKey& key);

// The same for an Ed25519 key given as its 64 hex digits.
[[nodiscard]] bool verify_checkpoint(const Checkpoint& checkpoint,
                                     std::string_view ed25519_public_key_hex);

// The checkpoint as a JSON object, for export files: {"size", "root", "at_us",
// "algorithm", "signature_algorithm", "key_id", "signature"}, root and
// signature in lower-case hex.
[[nodiscard]] std::string to_json_text(const Checkpoint& checkpoint);

// The inverse; every field is required and any other field is refused, but
// for "at" (a string: the portal's form carries the time for people too). The
// signature must be 128 hex digits for Ed25519 and a DER-encoded (r, s) of at
// most 72 bytes for SM2 (record.checkpoint_invalid otherwise).
[[nodiscard]] Result<Checkpoint> checkpoint_from_json(std::string_view text);

}  // namespace xzzf::record
