#include "record/checkpoint.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace xzzf::record {

namespace {

constexpr std::string_view kEd25519KeyFileComment =
    "# xzzf record signing key: Ed25519 seed, hex. Keep secret, mode 0600.";
constexpr std::string_view kSm2KeyFileComment =
    "# xzzf record signing key: SM2 private key, hex. Keep secret, mode 0600.";
constexpr std::size_t kMaxKeyFileSize = 4096;

constexpr std::string_view kPublicKeyFileMagic = "xzzf-record-public-key-v1";

// The default distinguishing ID of GB/T 35276-2017, set explicitly on every
// SM2 signature and verification (see the header).
constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

constexpr std::size_t kSecretBytes = 32;  // Ed25519 seed or SM2 scalar
constexpr std::size_t kEd25519PublicKeyBytes = crypto_sign_PUBLICKEYBYTES;
constexpr std::size_t kEd25519SignatureBytes = crypto_sign_BYTES;
constexpr std::size_t kSm2PublicKeyBytes = 65;  // 04 || x || y
constexpr std::size_t kSm2MaxSignatureBytes = 72;
static_assert(crypto_sign_SEEDBYTES == kSecretBytes);

// OpenSSL failing at something that cannot fail with valid inputs (allocation,
// a missing SM2/SM3 implementation) is a broken installation: a fatal check.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "xzzf record: %s\n", what);
  std::abort();
}

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) die("libsodium could not be initialised");
  });
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BnClearFree {
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct BnCtxFree {
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
struct GroupFree {
  void operator()(EC_GROUP* p) const { EC_GROUP_free(p); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_clear_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnClearFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;
using GroupPtr = std::unique_ptr<EC_GROUP, GroupFree>;
using PointPtr = std::unique_ptr<EC_POINT, PointFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string bytes_to_hex(const std::uint8_t* data, std::size_t size) {
  std::string out(2 * size + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

// Exactly size bytes as hex digits (either case) into out; false for anything
// else.
bool hex_to_bytes(std::string_view text, std::uint8_t* out, std::size_t size) {
  if (text.size() != 2 * size) return false;
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out, size, text.data(), text.size(), nullptr, &length, &end) != 0) {
    return false;
  }
  return length == size && end == text.data() + text.size();
}

// A positive, even number of hex digits, at most 2·max_size, into a vector.
std::optional<std::vector<std::uint8_t>> hex_to_vector(std::string_view text,
                                                       std::size_t max_size) {
  if (text.empty() || text.size() % 2 != 0 || text.size() > 2 * max_size) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 2);
  if (!hex_to_bytes(text, out.data(), out.size())) return std::nullopt;
  return out;
}

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string errno_text(int error) {
  return std::strerror(error);
}

std::size_t public_key_size(SignatureAlgorithm algorithm) {
  return algorithm == SignatureAlgorithm::kSm2 ? kSm2PublicKeyBytes : kEd25519PublicKeyBytes;
}

// The raw bytes of key, if its hex has the length of its algorithm (and, for
// SM2, the uncompressed-point prefix). Says nothing of whether it is a point.
std::optional<std::vector<std::uint8_t>> public_key_bytes(const PublicKey& key) {
  std::vector<std::uint8_t> bytes(public_key_size(key.algorithm));
  if (!hex_to_bytes(key.hex, bytes.data(), bytes.size())) return std::nullopt;
  if (key.algorithm == SignatureAlgorithm::kSm2 && bytes[0] != 0x04) return std::nullopt;
  return bytes;
}

std::string key_id_of_bytes(const std::vector<std::uint8_t>& public_key) {
  Hash h =
      digest(HashAlgorithm::kSha256,
             std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return to_hex(h).substr(0, 16);
}

// --- SM2 through OpenSSL 3 ---------------------------------------------------

// An SM2 key (EVP_PKEY of type "SM2", so that DigestSign picks the SM2
// signature and not ECDSA) from OpenSSL parameters: the public point and,
// for a key pair, the private scalar.
PkeyPtr sm2_from_params(OSSL_PARAM* params, int selection) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  if (!ctx) die("OpenSSL does not provide SM2");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(raw);
}

// The public SM2 key 04 || x || y; null if it is not a point of the curve.
PkeyPtr sm2_public_key(const std::vector<std::uint8_t>& point) {
  if (point.size() != kSm2PublicKeyBytes || point[0] != 0x04) return nullptr;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_sm2, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    die("cannot build SM2 key parameters");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) die("cannot build SM2 key parameters");
  return sm2_from_params(params.get(), EVP_PKEY_PUBLIC_KEY);
}

// The SM2 key pair of the private scalar d (big-endian), its public point into
// public_key; null if d is not in [1, n−2] (GB/T 32918.1 §6.1: 1 + d must be
// invertible mod n).
PkeyPtr sm2_key_pair(const std::array<std::uint8_t, kSecretBytes>& scalar,
                     std::vector<std::uint8_t>& public_key) {
  GroupPtr group(EC_GROUP_new_by_curve_name(NID_sm2));
  BnCtxPtr bn_ctx(BN_CTX_secure_new());
  BnPtr d(BN_secure_new());
  BnPtr limit(BN_new());
  PointPtr point;
  if (group) point.reset(EC_POINT_new(group.get()));
  if (!group || !bn_ctx || !d || !limit || !point) die("cannot allocate an SM2 key");
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  if (BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr ||
      BN_copy(limit.get(), EC_GROUP_get0_order(group.get())) == nullptr ||
      BN_sub_word(limit.get(), 1) != 1) {
    die("cannot read an SM2 private key");
  }
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), limit.get()) >= 0) return nullptr;

  public_key.assign(kSm2PublicKeyBytes, 0);
  if (EC_POINT_mul(group.get(), point.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, public_key.data(),
                         public_key.size(), bn_ctx.get()) != kSm2PublicKeyBytes) {
    die("cannot derive an SM2 public key");
  }

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_sm2, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(),
                                       public_key.size()) != 1) {
    die("cannot build SM2 key parameters");
  }
  // d is a secure BIGNUM, so the builder copies it into the secure block of
  // the parameters, which OSSL_PARAM_free clears.
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) die("cannot build SM2 key parameters");
  PkeyPtr key = sm2_from_params(params.get(), EVP_PKEY_KEYPAIR);
  if (!key) die("OpenSSL refused a valid SM2 key");
  return key;
}

// A digest-sign or digest-verify context over SM3 with the distinguishing ID
// set. The EVP_PKEY_CTX is ours (EVP_MD_CTX_set_pkey_ctx does not take it), so
// it is returned too and must outlive the EVP_MD_CTX.
struct Sm2Context {
  PkeyCtxPtr pkey_ctx;
  MdCtxPtr md_ctx;  // declared last: destroyed first
};

enum class Sm2Operation : std::uint8_t { kSign, kVerify };

std::optional<Sm2Context> sm2_context(EVP_PKEY* key, Sm2Operation operation) {
  Sm2Context c{PkeyCtxPtr(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)),
               MdCtxPtr(EVP_MD_CTX_new())};
  if (!c.pkey_ctx || !c.md_ctx) die("cannot allocate an SM2 context");
  if (EVP_PKEY_CTX_set1_id(c.pkey_ctx.get(), kSm2DistinguishingId.data(),
                           static_cast<int>(kSm2DistinguishingId.size())) != 1) {
    die("cannot set the SM2 distinguishing ID");
  }
  EVP_MD_CTX_set_pkey_ctx(c.md_ctx.get(), c.pkey_ctx.get());
  int ok =
      operation == Sm2Operation::kSign
          ? EVP_DigestSignInit_ex(c.md_ctx.get(), nullptr, "SM3", nullptr, nullptr, key, nullptr)
          : EVP_DigestVerifyInit_ex(c.md_ctx.get(), nullptr, "SM3", nullptr, nullptr, key, nullptr);
  if (ok != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return c;
}

std::vector<std::uint8_t> sm2_sign(EVP_PKEY* key, std::string_view message) {
  auto context = sm2_context(key, Sm2Operation::kSign);
  if (!context) die("cannot start an SM2 signature");
  std::vector<std::uint8_t> signature(kSm2MaxSignatureBytes);
  std::size_t length = signature.size();
  if (EVP_DigestSignUpdate(context->md_ctx.get(), message.data(), message.size()) != 1 ||
      EVP_DigestSignFinal(context->md_ctx.get(), signature.data(), &length) != 1 ||
      length > signature.size()) {
    die("cannot make an SM2 signature");
  }
  signature.resize(length);
  return signature;
}

bool sm2_verify(const std::vector<std::uint8_t>& public_key,
                const std::vector<std::uint8_t>& signature, std::string_view message) {
  if (signature.empty() || signature.size() > kSm2MaxSignatureBytes) return false;
  PkeyPtr key = sm2_public_key(public_key);
  if (!key) return false;
  auto context = sm2_context(key.get(), Sm2Operation::kVerify);
  if (!context) return false;
  bool ok = EVP_DigestVerify(context->md_ctx.get(), signature.data(), signature.size(),
                             bytes_of(message), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

// Whether bytes are exactly the DER encoding of SEQUENCE { r INTEGER, s
// INTEGER }: decoding and encoding again gives the same bytes.
bool is_der_signature(const std::vector<std::uint8_t>& bytes) {
  const unsigned char* p = bytes.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(bytes.size())));
  if (!sig || p != bytes.data() + bytes.size()) {
    ERR_clear_error();
    return false;
  }
  unsigned char* encoded = nullptr;
  int length = i2d_ECDSA_SIG(sig.get(), &encoded);
  bool same = length > 0 && static_cast<std::size_t>(length) == bytes.size() &&
              std::memcmp(encoded, bytes.data(), bytes.size()) == 0;
  OPENSSL_free(encoded);
  return same;
}

// Splits text into lines at "\n", dropping one "\r" before it; a final line
// without "\n" counts, an empty text has no lines.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

std::string_view to_string(SignatureAlgorithm a) {
  return a == SignatureAlgorithm::kSm2 ? "sm2" : "ed25519";
}

Result<SignatureAlgorithm> parse_signature_algorithm(std::string_view name) {
  if (name == "ed25519") return SignatureAlgorithm::kEd25519;
  if (name == "sm2") return SignatureAlgorithm::kSm2;
  return fail(ErrorCode::kRecordSignatureAlgorithmUnknown, field("name", std::string(name)));
}

std::string checkpoint_message(const Checkpoint& checkpoint) {
  return fmt::format("xzzf-checkpoint-v1\n{}\n{}\n{}\n{}\n", to_string(checkpoint.algorithm),
                     checkpoint.size, to_hex(checkpoint.root), checkpoint.at.micros);
}

std::string public_key_file_text(const PublicKey& key) {
  return fmt::format("{}\n{}\n{}\n", kPublicKeyFileMagic, to_string(key.algorithm), key.hex);
}

Result<PublicKey> parse_public_key_file(std::string_view text) {
  auto invalid = [](std::string detail) {
    return fail(ErrorCode::kRecordPublicKeyInvalid, field("detail", std::move(detail)));
  };
  std::vector<std::string_view> lines = split_lines(text);
  if (lines.size() != 3) return invalid("应恰有三行：文件标识、签名算法、十六进制公钥");
  if (lines[0] != kPublicKeyFileMagic) {
    return invalid(fmt::format("第一行应为 {}", kPublicKeyFileMagic));
  }
  auto algorithm = parse_signature_algorithm(lines[1]);
  if (!algorithm) return invalid(algorithm.error().message);

  PublicKey key{*algorithm, std::string(lines[2])};
  for (char& c : key.hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  auto bytes = public_key_bytes(key);
  if (*algorithm == SignatureAlgorithm::kEd25519) {
    init_sodium();
    if (!bytes) return invalid("Ed25519 公钥应为 64 位十六进制数字");
    if (crypto_core_ed25519_is_valid_point(bytes->data()) != 1) {
      return invalid("Ed25519 公钥不是有效的曲线点");
    }
  } else {
    if (!bytes) return invalid("SM2 公钥应为以 04 开头的 130 位十六进制数字（未压缩点）");
    if (!sm2_public_key(*bytes)) return invalid("SM2 公钥不是 SM2 曲线上的点");
  }
  return key;
}

std::string key_id_of(const PublicKey& key) {
  auto bytes = public_key_bytes(key);
  if (!bytes) return {};
  return key_id_of_bytes(*bytes);
}

struct SigningKey::Secret {
  SignatureAlgorithm algorithm = SignatureAlgorithm::kEd25519;
  // The Ed25519 seed or the SM2 private scalar: what the key file holds.
  std::array<std::uint8_t, kSecretBytes> seed{};
  std::vector<std::uint8_t> public_key;  // raw: 32 or 65 bytes
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> ed25519_secret_key{};
  PkeyPtr sm2;  // EVP_PKEY_free clears the scalar it holds

  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() {
    sodium_memzero(seed.data(), seed.size());
    sodium_memzero(ed25519_secret_key.data(), ed25519_secret_key.size());
  }

  // Derives the key pair from seed; false for an SM2 scalar out of range.
  [[nodiscard]] bool derive() {
    if (algorithm == SignatureAlgorithm::kSm2) {
      sm2 = sm2_key_pair(seed, public_key);
      return sm2 != nullptr;
    }
    public_key.assign(kEd25519PublicKeyBytes, 0);
    crypto_sign_seed_keypair(public_key.data(), ed25519_secret_key.data(), seed.data());
    return true;
  }
};

SigningKey::SigningKey(std::unique_ptr<Secret> secret) : secret_(std::move(secret)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate(SignatureAlgorithm algorithm) {
  init_sodium();
  auto secret = std::make_unique<Secret>();
  secret->algorithm = algorithm;
  if (algorithm == SignatureAlgorithm::kEd25519) {
    randombytes_buf(secret->seed.data(), secret->seed.size());
    if (!secret->derive()) die("cannot derive an Ed25519 key");
    return SigningKey(std::move(secret));
  }

  // OpenSSL draws d uniformly from [1, n−2]; the key is then rebuilt from the
  // scalar alone, as load will, so a saved key is the key that signed.
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  if (!ctx) die("OpenSSL does not provide SM2");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    die("cannot generate an SM2 key");
  }
  PkeyPtr generated(raw);
  BIGNUM* d_raw = nullptr;
  if (EVP_PKEY_get_bn_param(generated.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d_raw) != 1) {
    die("cannot read a generated SM2 key");
  }
  BnPtr d(d_raw);
  if (BN_bn2binpad(d.get(), secret->seed.data(), static_cast<int>(secret->seed.size())) !=
      static_cast<int>(secret->seed.size())) {
    die("cannot read a generated SM2 key");
  }
  if (!secret->derive()) die("OpenSSL generated an SM2 key out of range");
  return SigningKey(std::move(secret));
}

Result<SigningKey> SigningKey::load(const std::string& path) {
  init_sodium();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return fail(ErrorCode::kRecordKeyFileIo, field("path", path),
                field("detail", errno_text(errno)));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return fail(ErrorCode::kRecordKeyFileIo, field("path", path),
                field("detail", errno_text(error)));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::kRecordKeyFileMalformed, field("path", path),
                field("detail", std::string("不是普通文件")));
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    return fail(ErrorCode::kRecordKeyFileExposed, field("path", path),
                field("mode", fmt::format("{:04o}", info.st_mode & 07777)));
  }
  // Read into a fixed buffer that is wiped afterwards: it holds the secret.
  std::array<char, kMaxKeyFileSize + 1> buffer{};
  std::size_t used = 0;
  while (used < buffer.size()) {
    ssize_t n = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      sodium_memzero(buffer.data(), buffer.size());
      return fail(ErrorCode::kRecordKeyFileIo, field("path", path),
                  field("detail", errno_text(error)));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);

  auto malformed = [&](std::string detail) {
    sodium_memzero(buffer.data(), buffer.size());
    return fail(ErrorCode::kRecordKeyFileMalformed, field("path", path),
                field("detail", std::move(detail)));
  };
  if (used > kMaxKeyFileSize) return malformed("文件过大");

  // Comments ("#…") and blank lines are skipped. What remains is the secret
  // alone (an Ed25519 key file of the first release) or an algorithm line and
  // the secret.
  std::vector<std::string_view> lines;
  for (std::string_view line : split_lines(std::string_view(buffer.data(), used))) {
    if (line.empty() || line.front() == '#') continue;
    lines.push_back(line);
  }
  if (lines.empty() || lines.size() > 2) {
    return malformed(
        "应为一行签名算法（ed25519 或 sm2，Ed25519 可省略）和一行 64 位十六进制的私钥");
  }
  auto secret = std::make_unique<Secret>();
  if (lines.size() == 2) {
    auto algorithm = parse_signature_algorithm(lines[0]);
    if (!algorithm) return malformed(algorithm.error().message);
    secret->algorithm = *algorithm;
  }
  if (!hex_to_bytes(lines.back(), secret->seed.data(), secret->seed.size())) {
    return malformed("私钥应为 64 位十六进制数字");
  }
  sodium_memzero(buffer.data(), buffer.size());
  if (!secret->derive()) return malformed("SM2 私钥超出取值范围 [1, n-2]");
  return SigningKey(std::move(secret));
}

Result<void> SigningKey::save(const std::string& path) const {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    int error = errno;
    if (error == EEXIST) return fail(ErrorCode::kRecordKeyFileExists, field("path", path));
    return fail(ErrorCode::kRecordKeyFileIo, field("path", path),
                field("detail", errno_text(error)));
  }
  // Built in a fixed buffer that is wiped afterwards: it holds the secret. An
  // Ed25519 file keeps the format of the first release (no algorithm line), so
  // that older builds still read it.
  std::array<char, 256> content{};
  std::size_t length = 0;
  auto append = [&](std::string_view text) {
    std::memcpy(content.data() + length, text.data(), text.size());
    length += text.size();
  };
  if (secret_->algorithm == SignatureAlgorithm::kSm2) {
    append(kSm2KeyFileComment);
    append("\n");
    append(to_string(SignatureAlgorithm::kSm2));
    append("\n");
  } else {
    append(kEd25519KeyFileComment);
    append("\n");
  }
  sodium_bin2hex(content.data() + length, 2 * kSecretBytes + 1, secret_->seed.data(),
                 secret_->seed.size());
  length += 2 * kSecretBytes;
  append("\n");

  int error = 0;
  // The umask can only remove bits; fchmod makes the mode exact all the same.
  if (::fchmod(fd, 0600) != 0) error = errno;
  std::size_t written = 0;
  while (error == 0 && written < length) {
    ssize_t n = ::write(fd, content.data() + written, length - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  sodium_memzero(content.data(), content.size());
  if (error != 0) {
    ::unlink(path.c_str());
    return fail(ErrorCode::kRecordKeyFileIo, field("path", path),
                field("detail", errno_text(error)));
  }
  return {};
}

SignatureAlgorithm SigningKey::algorithm() const {
  return secret_->algorithm;
}

PublicKey SigningKey::public_key() const {
  return PublicKey{secret_->algorithm, public_key_hex()};
}

std::string SigningKey::public_key_hex() const {
  return bytes_to_hex(secret_->public_key.data(), secret_->public_key.size());
}

std::string SigningKey::key_id() const {
  return key_id_of_bytes(secret_->public_key);
}

Checkpoint SigningKey::sign(std::uint64_t size, const Hash& root, Instant at,
                            HashAlgorithm algorithm) const {
  Checkpoint checkpoint{size, root, at, algorithm, secret_->algorithm, key_id(), {}};
  std::string message = checkpoint_message(checkpoint);
  if (secret_->algorithm == SignatureAlgorithm::kSm2) {
    checkpoint.signature = sm2_sign(secret_->sm2.get(), message);
    return checkpoint;
  }
  checkpoint.signature.assign(kEd25519SignatureBytes, 0);
  crypto_sign_detached(checkpoint.signature.data(), nullptr, bytes_of(message), message.size(),
                       secret_->ed25519_secret_key.data());
  return checkpoint;
}

bool verify_checkpoint(const Checkpoint& checkpoint, const PublicKey& key) {
  if (checkpoint.signature_algorithm != key.algorithm) return false;
  auto public_key = public_key_bytes(key);
  if (!public_key) return false;
  if (checkpoint.key_id != key_id_of_bytes(*public_key)) return false;
  std::string message = checkpoint_message(checkpoint);
  if (key.algorithm == SignatureAlgorithm::kSm2) {
    return sm2_verify(*public_key, checkpoint.signature, message);
  }
  init_sodium();
  if (checkpoint.signature.size() != kEd25519SignatureBytes) return false;
  return crypto_sign_verify_detached(checkpoint.signature.data(), bytes_of(message), message.size(),
                                     public_key->data()) == 0;
}

bool verify_checkpoint(const Checkpoint& checkpoint, std::string_view ed25519_public_key_hex) {
  return verify_checkpoint(
      checkpoint, PublicKey{SignatureAlgorithm::kEd25519, std::string(ed25519_public_key_hex)});
}

std::string to_json_text(const Checkpoint& checkpoint) {
  nlohmann::json j = {
      {"size", checkpoint.size},
      {"root", to_hex(checkpoint.root)},
      {"at_us", checkpoint.at.micros},
      {"algorithm", std::string(to_string(checkpoint.algorithm))},
      {"signature_algorithm", std::string(to_string(checkpoint.signature_algorithm))},
      {"key_id", checkpoint.key_id},
      {"signature", bytes_to_hex(checkpoint.signature.data(), checkpoint.signature.size())},
  };
  return j.dump();
}

Result<Checkpoint> checkpoint_from_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail(ErrorCode::kJsonMalformed, field("detail", std::string("无法解析检查点")));
  }
  if (!j.is_object()) return fail(ErrorCode::kJsonNotObject);
  constexpr std::string_view kFields[] = {
      "size", "root", "at_us", "algorithm", "signature_algorithm", "key_id", "signature"};
  for (const auto& item : j.items()) {
    bool known = false;
    for (std::string_view name : kFields) known = known || item.key() == name;
    // The portal's form also carries "at", the time for people
    // (2026-11-28T17:10:55+08:00); at_us is what was signed, so "at" must
    // merely be a string, and a copy saved from the portal verifies as is.
    if (item.key() == "at" && item.value().is_string()) known = true;
    if (!known) return fail(ErrorCode::kJsonUnknownField, field("field", item.key()));
  }
  for (std::string_view name : kFields) {
    if (!j.contains(name)) return fail(ErrorCode::kJsonMissingField, field("field", name));
  }
  auto wrong_type = [](std::string_view name, std::string_view expected) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", expected));
  };
  auto invalid = [](const char* detail) {
    return fail(ErrorCode::kRecordCheckpointInvalid, field("detail", std::string(detail)));
  };

  Checkpoint checkpoint;
  const auto& size = j.at("size");
  if (!size.is_number_unsigned()) return wrong_type("size", "非负整数");
  checkpoint.size = size.get<std::uint64_t>();

  const auto& at = j.at("at_us");
  if (!at.is_number_integer() ||
      (at.is_number_unsigned() &&
       at.get<std::uint64_t>() >
           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
    return wrong_type("at_us", "整数（微秒）");
  }
  checkpoint.at = Instant{at.get<std::int64_t>()};

  for (std::string_view name :
       {"root", "algorithm", "signature_algorithm", "key_id", "signature"}) {
    if (!j.at(name).is_string()) return wrong_type(name, "字符串");
  }
  XZZF_TRY(root, hash_from_hex(j.at("root").get<std::string>()));
  checkpoint.root = root;
  XZZF_TRY(algorithm, parse_hash_algorithm(j.at("algorithm").get<std::string>()));
  checkpoint.algorithm = algorithm;
  XZZF_TRY(signature_algorithm,
           parse_signature_algorithm(j.at("signature_algorithm").get<std::string>()));
  checkpoint.signature_algorithm = signature_algorithm;

  checkpoint.key_id = j.at("key_id").get<std::string>();
  if (checkpoint.key_id.size() != 16 || !is_lower_hex(checkpoint.key_id)) {
    return invalid("key_id 应为 16 位小写十六进制数字");
  }

  const std::string signature_hex = j.at("signature").get<std::string>();
  if (signature_algorithm == SignatureAlgorithm::kEd25519) {
    auto signature = hex_to_vector(signature_hex, kEd25519SignatureBytes);
    if (!signature || signature->size() != kEd25519SignatureBytes) {
      return invalid("Ed25519 签名应为 128 位十六进制数字");
    }
    checkpoint.signature = std::move(*signature);
  } else {
    auto signature = hex_to_vector(signature_hex, kSm2MaxSignatureBytes);
    if (!signature || !is_der_signature(*signature)) {
      return invalid("SM2 签名应为十六进制的 DER 编码 (r, s)，至多 72 字节");
    }
    checkpoint.signature = std::move(*signature);
  }
  return checkpoint;
}

}  // namespace xzzf::record
