#include "auth/password.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/ranges.h>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace xzzf::auth {

namespace {

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      std::fputs("xzzf: libsodium could not be initialised\n", stderr);
      std::abort();
    }
  });
}

// Holds one of the hasher's slots for the time of one hash or verification.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<64>& s) : s_(s) { s_.acquire(); }
  ~Slot() { s_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<64>& s_;
};

// Decodes one UTF-8 code point; invalid bytes count as one "other" character.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (i + static_cast<std::size_t>(extra) >= s.size()) {  // truncated sequence
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : (c & (0x3F >> extra));
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

}  // namespace

PasswordHasher::PasswordHasher(int max_concurrent, bool fast)
    : slots_(std::clamp(max_concurrent, 1, 64)),
      opslimit_(fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      memlimit_(fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) {
  init_sodium();
  auto dummy = hash("dummy password for unknown users");
  if (!dummy) std::abort();
  dummy_hash_ = *dummy;
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  Slot slot(slots_);
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), opslimit_, memlimit_) != 0) {
    return fail(ErrorCode::kInternal, field("request_id", "-"));
  }
  return std::string(out.data());
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  std::string h(stored_hash);  // NUL-terminated
  Slot slot(slots_);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored_hash) const {
  std::string h(stored_hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), opslimit_, memlimit_) != 0;
}

void PasswordHasher::waste_one_verification(std::string_view password) const {
  (void)verify(dummy_hash_, password);
}

Result<void> check_password_policy(const PasswordPolicy& policy, std::string_view password,
                                   std::string_view username,
                                   std::optional<std::string_view> current) {
  std::size_t count = 0;
  bool lower = false;
  bool upper = false;
  bool digit = false;
  bool other = false;
  for (std::size_t i = 0; i < password.size();) {
    char32_t cp = next_code_point(password, i);
    ++count;
    if (cp >= U'a' && cp <= U'z') {
      lower = true;
    } else if (cp >= U'A' && cp <= U'Z') {
      upper = true;
    } else if (cp >= U'0' && cp <= U'9') {
      digit = true;
    } else {
      other = true;
    }
  }
  std::vector<std::string> missing;
  if (count < static_cast<std::size_t>(policy.min_length)) {
    missing.push_back(fmt::format("长度至少 {} 个字符", policy.min_length));
  }
  int classes = int{lower} + int{upper} + int{digit} + int{other};
  if (classes < 3) {
    std::vector<std::string_view> absent;
    if (!lower) absent.emplace_back("小写字母");
    if (!upper) absent.emplace_back("大写字母");
    if (!digit) absent.emplace_back("数字");
    if (!other) absent.emplace_back("其他符号");
    missing.push_back(fmt::format("须包含小写字母、大写字母、数字、其他符号中的至少 3 类（缺少{}）",
                                  fmt::join(absent, "、")));
  }
  if (password == username) missing.emplace_back("不能与用户名相同");
  if (current && password == *current) missing.emplace_back("不能与当前密码相同");
  if (!missing.empty()) {
    return fail(ErrorCode::kAuthPasswordPolicy,
                field("detail", fmt::format("{}", fmt::join(missing, "；"))));
  }
  return {};
}

std::string generate_password() {
  init_sodium();
  // No look-alike characters (0/O, 1/l/I).
  static constexpr std::string_view kLower = "abcdefghijkmnpqrstuvwxyz";
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kDigit = "23456789";
  static constexpr std::string_view kOther = "-_.+";
  auto pick = [](std::string_view set) {
    return set[randombytes_uniform(static_cast<std::uint32_t>(set.size()))];
  };
  std::string pw;
  for (int i = 0; i < 4; ++i) pw += pick(kLower);
  pw += pick(kOther);
  for (int i = 0; i < 4; ++i) pw += pick(kUpper);
  pw += pick(kOther);
  for (int i = 0; i < 6; ++i) pw += pick(kDigit);
  return pw;
}

std::string random_token(std::size_t bytes) {
  init_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr);
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0F];
  }
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  init_sodium();
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace xzzf::auth
