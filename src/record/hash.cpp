#include "record/hash.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace xzzf::record {
namespace {

// A digest this build of OpenSSL cannot provide is a broken installation, not
// something a request can cause: it is a fatal check.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "xzzf record: %s\n", what);
  std::abort();
}

const EVP_MD* fetch(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) die("OpenSSL does not provide the digest of the record");
  return md;
}

// Fetched once (a function-local static is initialised thread-safely) and kept
// for the life of the process: explicit fetching avoids a provider lookup on
// every hash.
const EVP_MD* message_digest(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256: {
      static const EVP_MD* const md = fetch("SHA256");
      return md;
    }
    case HashAlgorithm::kSm3: {
      static const EVP_MD* const md = fetch("SM3");
      return md;
    }
  }
  die("unknown hash algorithm");
}

struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// H(prefix || parts...): one digest over the concatenation, without copying.
template <typename... Parts>
Hash hash_parts(HashAlgorithm algorithm, const Parts&... parts) {
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), message_digest(algorithm), nullptr) != 1) {
    die("cannot start a digest");
  }
  bool ok = true;
  ((ok = ok && EVP_DigestUpdate(ctx.get(), parts.data(), parts.size()) == 1), ...);
  Hash out{};
  unsigned int length = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    die("cannot finish a digest");
  }
  return out;
}

constexpr std::array<std::uint8_t, 1> kLeafPrefix{0x00};
constexpr std::array<std::uint8_t, 1> kNodePrefix{0x01};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view to_string(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::kSm3 ? "sm3" : "sha256";
}

Result<HashAlgorithm> parse_hash_algorithm(std::string_view name) {
  if (name == "sha256") return HashAlgorithm::kSha256;
  if (name == "sm3") return HashAlgorithm::kSm3;
  return fail(ErrorCode::kRecordHashAlgorithmUnknown, field("name", std::string(name)));
}

Hash digest(HashAlgorithm algorithm, std::string_view data) {
  return hash_parts(algorithm, data);
}

Hash leaf_hash(HashAlgorithm algorithm, std::string_view entry) {
  return hash_parts(algorithm, kLeafPrefix, entry);
}

Hash node_hash(HashAlgorithm algorithm, const Hash& left, const Hash& right) {
  return hash_parts(algorithm, kNodePrefix, left, right);
}

Hash empty_root(HashAlgorithm algorithm) {
  return digest(algorithm, std::string_view());
}

std::string to_hex(const Hash& hash) {
  return to_hex(std::span<const std::uint8_t>(hash));
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> bytes_from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = hex_value(text[i]);
    int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

Result<Hash> hash_from_hex(std::string_view text) {
  Hash out{};
  if (text.size() != out.size() * 2) {
    return fail(ErrorCode::kRecordHashInvalid, field("text", std::string(text.substr(0, 80))));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = hex_value(text[2 * i]);
    int low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0) {
      return fail(ErrorCode::kRecordHashInvalid, field("text", std::string(text.substr(0, 80))));
    }
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return out;
}

}  // namespace xzzf::record
