#include "record/checkpoint.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

#include <fmt/format.h>

namespace xzzf::record {

namespace {

constexpr std::string_view kKeyFileComment =
    "# xzzf record signing key: Ed25519 seed, hex. Keep secret, mode 0600.";
constexpr std::size_t kMaxKeyFileSize = 4096;

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      std::fputs("xzzf: libsodium could not be initialised\n", stderr);
      std::abort();
    }
  });
}

template <std::size_t N>
std::string bytes_to_hex(const std::array<std::uint8_t, N>& bytes) {
  std::string out(2 * N + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), N);
  out.pop_back();
  return out;
}

// Exactly 2·N hex digits (either case) into out; false for anything else.
template <std::size_t N>
bool hex_to_bytes(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), N, text.data(), text.size(), nullptr, &length, &end) != 0) {
    return false;
  }
  return length == N && end == text.data() + text.size();
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

}  // namespace

struct SigningKey::Secret {
  std::array<std::uint8_t, crypto_sign_SEEDBYTES> seed{};
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret_key{};

  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() {
    sodium_memzero(seed.data(), seed.size());
    sodium_memzero(secret_key.data(), secret_key.size());
  }

  // Derives the key pair from seed.
  void derive() { crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data()); }
};

SigningKey::SigningKey(std::unique_ptr<Secret> secret) : secret_(std::move(secret)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

std::string checkpoint_message(const Checkpoint& checkpoint) {
  return fmt::format("xzzf-checkpoint-v1\n{}\n{}\n{}\n{}\n", to_string(checkpoint.algorithm),
                     checkpoint.size, to_hex(checkpoint.root), checkpoint.at.micros);
}

Result<SigningKey> SigningKey::generate() {
  init_sodium();
  auto secret = std::make_unique<Secret>();
  randombytes_buf(secret->seed.data(), secret->seed.size());
  secret->derive();
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
  // Read into a fixed buffer that is wiped afterwards: it holds the seed.
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

  auto malformed = [&](const char* detail) {
    sodium_memzero(buffer.data(), buffer.size());
    return fail(ErrorCode::kRecordKeyFileMalformed, field("path", path),
                field("detail", std::string(detail)));
  };
  if (used > kMaxKeyFileSize) return malformed("文件过大");

  // Lines: comments ("#…") and blank lines are skipped; exactly one other line,
  // the seed.
  std::string_view text(buffer.data(), used);
  std::string_view seed_line;
  int seed_lines = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    seed_line = line;
    ++seed_lines;
  }
  if (seed_lines != 1) return malformed("应恰有一行 64 位十六进制的密钥种子");
  auto secret = std::make_unique<Secret>();
  if (!hex_to_bytes(seed_line, secret->seed)) {
    return malformed("密钥种子应为 64 位十六进制数字");
  }
  sodium_memzero(buffer.data(), buffer.size());
  secret->derive();
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
  // The umask can only remove bits; fchmod makes the mode exact all the same.
  std::array<char, kKeyFileComment.size() + 1 + 2 * crypto_sign_SEEDBYTES + 2> content{};
  std::size_t length = 0;
  std::memcpy(content.data(), kKeyFileComment.data(), kKeyFileComment.size());
  length += kKeyFileComment.size();
  content[length++] = '\n';
  sodium_bin2hex(content.data() + length, 2 * crypto_sign_SEEDBYTES + 1, secret_->seed.data(),
                 secret_->seed.size());
  length += 2 * crypto_sign_SEEDBYTES;
  content[length++] = '\n';

  int error = 0;
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

std::string SigningKey::public_key_hex() const {
  return bytes_to_hex(secret_->public_key);
}

namespace {
std::string key_id_of(const std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES>& public_key) {
  Hash h =
      digest(HashAlgorithm::kSha256,
             std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return to_hex(h).substr(0, 16);
}
}  // namespace

std::string SigningKey::key_id() const {
  return key_id_of(secret_->public_key);
}

Checkpoint SigningKey::sign(std::uint64_t size, const Hash& root, Instant at,
                            HashAlgorithm algorithm) const {
  Checkpoint checkpoint{size, root, at, algorithm, key_id(), {}};
  std::string message = checkpoint_message(checkpoint);
  crypto_sign_detached(checkpoint.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_->secret_key.data());
  return checkpoint;
}

bool verify_checkpoint(const Checkpoint& checkpoint, std::string_view public_key_hex) {
  init_sodium();
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key{};
  if (!hex_to_bytes(public_key_hex, public_key)) return false;
  if (checkpoint.key_id != key_id_of(public_key)) return false;
  std::string message = checkpoint_message(checkpoint);
  return crypto_sign_verify_detached(checkpoint.signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key.data()) == 0;
}

std::string to_json_text(const Checkpoint& checkpoint) {
  nlohmann::json j = {
      {"size", checkpoint.size},       {"root", to_hex(checkpoint.root)},
      {"at_us", checkpoint.at.micros}, {"algorithm", std::string(to_string(checkpoint.algorithm))},
      {"key_id", checkpoint.key_id},   {"signature", bytes_to_hex(checkpoint.signature)},
  };
  return j.dump();
}

Result<Checkpoint> checkpoint_from_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail(ErrorCode::kJsonMalformed, field("detail", std::string("无法解析检查点")));
  }
  if (!j.is_object()) return fail(ErrorCode::kJsonNotObject);
  constexpr std::string_view kFields[] = {"size",      "root",   "at_us",
                                          "algorithm", "key_id", "signature"};
  for (const auto& item : j.items()) {
    bool known = false;
    for (std::string_view name : kFields) known = known || item.key() == name;
    if (!known) return fail(ErrorCode::kJsonUnknownField, field("field", item.key()));
  }
  for (std::string_view name : kFields) {
    if (!j.contains(name)) return fail(ErrorCode::kJsonMissingField, field("field", name));
  }
  auto wrong_type = [](std::string_view name, std::string_view expected) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", expected));
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

  for (std::string_view name : {"root", "algorithm", "key_id", "signature"}) {
    if (!j.at(name).is_string()) return wrong_type(name, "字符串");
  }
  XZZF_TRY(root, hash_from_hex(j.at("root").get<std::string>()));
  checkpoint.root = root;
  XZZF_TRY(algorithm, parse_hash_algorithm(j.at("algorithm").get<std::string>()));
  checkpoint.algorithm = algorithm;

  checkpoint.key_id = j.at("key_id").get<std::string>();
  if (checkpoint.key_id.size() != 16 || !is_lower_hex(checkpoint.key_id)) {
    return fail(ErrorCode::kRecordCheckpointInvalid,
                field("detail", std::string("key_id 应为 16 位小写十六进制数字")));
  }
  if (!hex_to_bytes(j.at("signature").get<std::string>(), checkpoint.signature)) {
    return fail(ErrorCode::kRecordCheckpointInvalid,
                field("detail", std::string("signature 应为 128 位十六进制数字")));
  }
  return checkpoint;
}

}  // namespace xzzf::record
