#include "privacy/sealer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace xzzf::privacy {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "p1.";
constexpr std::string_view kKeyFileComment =
    "# xzzf personal data key (个人信息加密密钥): 32 bytes, hex. Keep it secret (mode 0600) and "
    "back it up with the database: without it the sealed data cannot be read.";
constexpr std::size_t kMaxKeyFile = 4096;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    std::fputs("xzzf: libsodium cannot be initialised\n", stderr);
    std::abort();
  }
}

Error io_error(const std::string& path, int error) {
  return make_error(ErrorCode::kPrivacyKeyFileIo, field("path", path),
                    field("detail", std::error_code(error, std::generic_category()).message()));
}

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

struct Sealer::Keys {
  Key seal{};
  Key blind{};
  std::string id;
  Keys() = default;
  Keys(const Keys&) = delete;
  Keys& operator=(const Keys&) = delete;
  ~Keys() {
    sodium_memzero(seal.data(), seal.size());
    sodium_memzero(blind.data(), blind.size());
  }
};

Sealer Sealer::from_key(const Key& key) {
  ensure_sodium();
  auto keys = std::make_shared<Keys>();
  static_assert(kKeyBytes == crypto_kdf_KEYBYTES);
  crypto_kdf_derive_from_key(keys->seal.data(), keys->seal.size(), 1, "xzzfseal", key.data());
  crypto_kdf_derive_from_key(keys->blind.data(), keys->blind.size(), 2, "xzzfblnd", key.data());
  std::array<unsigned char, 4> digest{};
  crypto_generichash(digest.data(), digest.size(), key.data(), key.size(), nullptr, 0);
  std::array<char, 2 * 4 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  keys->id = hex.data();
  return Sealer(std::move(keys));
}

Result<Sealer> Sealer::load(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) return tl::unexpected(io_error(path, ec.value()));
  if (!fs::is_regular_file(status)) {
    return fail(ErrorCode::kPrivacyKeyFileMalformed, field("path", path));
  }
  const auto loose = fs::perms::group_all | fs::perms::others_all;
  if ((status.permissions() & loose) != fs::perms::none) {
    return fail(
        ErrorCode::kPrivacyKeyFileExposed, field("path", path),
        field("mode", fmt::format("{:04o}", static_cast<unsigned>(status.permissions()) & 07777U)));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(io_error(path, errno));
  std::string text;
  text.resize(kMaxKeyFile + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  Key key{};
  bool found = false;
  bool bad = text.size() > kMaxKeyFile;
  std::size_t start = 0;
  while (!bad && start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::size_t decoded = 0;
    bad = found || line.size() != 2 * kKeyBytes ||
          sodium_hex2bin(key.data(), key.size(), line.data(), line.size(), nullptr, &decoded,
                         nullptr) != 0 ||
          decoded != kKeyBytes;
    found = true;
  }
  sodium_memzero(text.data(), text.size());
  if (bad || !found) {
    sodium_memzero(key.data(), key.size());
    return fail(ErrorCode::kPrivacyKeyFileMalformed, field("path", path));
  }
  Sealer sealer = from_key(key);
  sodium_memzero(key.data(), key.size());
  return sealer;
}

Result<Sealer> Sealer::create(const std::string& path) {
  ensure_sodium();
  Key key{};
  randombytes_buf(key.data(), key.size());
  std::string content(kKeyFileComment);
  content += '\n';
  std::array<char, 2 * kKeyBytes + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  content += hex.data();
  content += '\n';
  sodium_memzero(hex.data(), hex.size());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    const int error = errno;
    sodium_memzero(content.data(), content.size());
    sodium_memzero(key.data(), key.size());
    return tl::unexpected(io_error(path, error));
  }
  std::size_t written = 0;
  int error = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  sodium_memzero(content.data(), content.size());
  if (error != 0) {
    sodium_memzero(key.data(), key.size());
    std::remove(path.c_str());
    return tl::unexpected(io_error(path, error));
  }
  Sealer sealer = from_key(key);
  sodium_memzero(key.data(), key.size());
  return sealer;
}

std::string Sealer::seal(std::string_view plaintext, std::string_view context) const {
  std::vector<unsigned char> box(kNonceBytes + plaintext.size() + kTagBytes);
  randombytes_buf(box.data(), kNonceBytes);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      box.data() + kNonceBytes, &length, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
      nullptr, box.data(), keys_->seal.data());
  std::string out(kPrefix);
  out += base64url(box.data(), kNonceBytes + static_cast<std::size_t>(length));
  return out;
}

Result<std::string> Sealer::open(std::string_view sealed, std::string_view context) const {
  auto invalid = [&] {
    return fail(ErrorCode::kPrivacySealedInvalid, field("context", std::string(context)));
  };
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return invalid();
  sealed.remove_prefix(kPrefix.size());
  std::vector<unsigned char> box(sealed.size());
  std::size_t size = 0;
  if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &size,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      size < kNonceBytes + kTagBytes) {
    return invalid();
  }
  std::string plain(size - kNonceBytes - kTagBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
          box.data() + kNonceBytes, size - kNonceBytes,
          reinterpret_cast<const unsigned char*>(context.data()), context.size(), box.data(),
          keys_->seal.data()) != 0) {
    return invalid();
  }
  plain.resize(static_cast<std::size_t>(length));
  return plain;
}

std::string Sealer::blind(std::string_view value, std::string_view purpose) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, keys_->blind.data(), keys_->blind.size(), 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(purpose.data()),
                            purpose.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  std::array<unsigned char, 32> digest{};
  crypto_generichash_final(&state, digest.data(), digest.size());
  std::array<char, 2 * 32 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

std::string Sealer::key_id() const {
  return keys_->id;
}

}  // namespace xzzf::privacy
