#include "record/checkpoint.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "record/hash.hpp"

namespace xzzf::record {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("xzzf-checkpoint-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

Hash sample_root() {
  return digest(HashAlgorithm::kSha256, "root");
}

constexpr Instant kAt{1'767'225'600'000'000};  // 2026-01-01T00:00:00Z

SigningKey make_key() {
  auto key = SigningKey::generate();
  EXPECT_TRUE(key.has_value());
  return std::move(*key);
}

void write_file(const std::string& path, const std::string& content, fs::perms perms) {
  std::ofstream(path) << content;
  fs::permissions(path, perms);
}

// 32 bytes 0x01..0x20, hex.
constexpr std::string_view kFixedSeedHex =
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

TEST(CheckpointTest, MessageFormatIsPinned) {
  Checkpoint checkpoint{42, Hash{}, Instant{-5}, HashAlgorithm::kSm3, "0123456789abcdef", {}};
  checkpoint.root[0] = 0xAB;
  checkpoint.root[31] = 0x01;
  EXPECT_EQ(checkpoint_message(checkpoint),
            "xzzf-checkpoint-v1\n"
            "sm3\n"
            "42\n"
            "ab00000000000000000000000000000000000000000000000000000000000001\n"
            "-5\n");
}

TEST(CheckpointTest, SignedCheckpointVerifies) {
  SigningKey key = make_key();
  Checkpoint checkpoint = key.sign(7, sample_root(), kAt, HashAlgorithm::kSha256);
  EXPECT_EQ(checkpoint.size, 7u);
  EXPECT_EQ(checkpoint.root, sample_root());
  EXPECT_EQ(checkpoint.at, kAt);
  EXPECT_EQ(checkpoint.key_id, key.key_id());
  EXPECT_EQ(key.key_id().size(), 16u);
  EXPECT_EQ(key.public_key_hex().size(), 64u);
  EXPECT_TRUE(verify_checkpoint(checkpoint, key.public_key_hex()));
}

TEST(CheckpointTest, AnyChangeBreaksTheSignature) {
  SigningKey key = make_key();
  const Checkpoint good = key.sign(7, sample_root(), kAt, HashAlgorithm::kSha256);
  const std::string pk = key.public_key_hex();

  Checkpoint c = good;
  c.size = 8;
  EXPECT_FALSE(verify_checkpoint(c, pk));
  c = good;
  c.root[5] ^= 0x01;
  EXPECT_FALSE(verify_checkpoint(c, pk));
  c = good;
  c.at = Instant{kAt.micros + 1};
  EXPECT_FALSE(verify_checkpoint(c, pk));
  c = good;
  c.algorithm = HashAlgorithm::kSm3;
  EXPECT_FALSE(verify_checkpoint(c, pk));
  for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{63}}) {
    c = good;
    c.signature[i] ^= 0x01;
    EXPECT_FALSE(verify_checkpoint(c, pk)) << i;
  }
  c = good;
  c.key_id = "0000000000000000";
  EXPECT_FALSE(verify_checkpoint(c, pk));
}

TEST(CheckpointTest, AnotherKeyDoesNotVerify) {
  SigningKey key = make_key();
  SigningKey other = make_key();
  EXPECT_NE(key.public_key_hex(), other.public_key_hex());
  Checkpoint checkpoint = key.sign(3, sample_root(), kAt, HashAlgorithm::kSha256);
  EXPECT_FALSE(verify_checkpoint(checkpoint, other.public_key_hex()));
  // Even with key_id rewritten to name the other key.
  checkpoint.key_id = other.key_id();
  EXPECT_FALSE(verify_checkpoint(checkpoint, other.public_key_hex()));
}

TEST(CheckpointTest, MalformedPublicKeyIsFalse) {
  SigningKey key = make_key();
  Checkpoint checkpoint = key.sign(3, sample_root(), kAt, HashAlgorithm::kSha256);
  std::string pk = key.public_key_hex();
  EXPECT_FALSE(verify_checkpoint(checkpoint, ""));
  EXPECT_FALSE(verify_checkpoint(checkpoint, pk.substr(0, 62)));
  EXPECT_FALSE(verify_checkpoint(checkpoint, pk + "00"));
  EXPECT_FALSE(verify_checkpoint(checkpoint, std::string(64, 'z')));
}

TEST(CheckpointTest, SaveThenLoadGivesTheSameKey) {
  TempDir dir;
  std::string path = dir.file("signing.key");
  SigningKey key = make_key();
  ASSERT_TRUE(key.save(path).has_value());

  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);

  auto loaded = SigningKey::load(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->public_key_hex(), key.public_key_hex());
  EXPECT_EQ(loaded->key_id(), key.key_id());
  // Ed25519 signatures are deterministic: the same key signs the same bytes.
  Checkpoint a = key.sign(9, sample_root(), kAt, HashAlgorithm::kSm3);
  Checkpoint b = loaded->sign(9, sample_root(), kAt, HashAlgorithm::kSm3);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(verify_checkpoint(b, key.public_key_hex()));
}

TEST(CheckpointTest, SaveRefusesToOverwrite) {
  TempDir dir;
  std::string path = dir.file("signing.key");
  SigningKey first = make_key();
  ASSERT_TRUE(first.save(path).has_value());
  SigningKey second = make_key();
  auto result = second.save(path);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kRecordKeyFileExists);
  auto loaded = SigningKey::load(path);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->public_key_hex(), first.public_key_hex());
}

TEST(CheckpointTest, LoadRefusesAFileOthersCanRead) {
  TempDir dir;
  std::string path = dir.file("signing.key");
  SigningKey key = make_key();
  ASSERT_TRUE(key.save(path).has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loaded = SigningKey::load(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, ErrorCode::kRecordKeyFileExposed);
  EXPECT_NE(loaded.error().message.find("0644"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("chmod 600"), std::string::npos);
}

TEST(CheckpointTest, LoadRefusesMalformedAndMissingFiles) {
  TempDir dir;
  const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  for (const std::string& content :
       {std::string(""), std::string("# comment only\n"), std::string("# c\nxyz\n"),
        std::string("# c\n") + std::string(kFixedSeedHex.substr(0, 62)) + "\n",
        std::string("# c\n") + std::string(kFixedSeedHex) + "\n" + std::string(kFixedSeedHex) +
            "\n"}) {
    std::string path = dir.file("bad.key");
    fs::remove(path);
    write_file(path, content, owner_only);
    auto loaded = SigningKey::load(path);
    ASSERT_FALSE(loaded.has_value()) << content;
    EXPECT_EQ(loaded.error().code, ErrorCode::kRecordKeyFileMalformed) << content;
  }
  auto missing = SigningKey::load(dir.file("missing.key"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kRecordKeyFileIo);
}

// Known answer: the seed 0x01..0x20 gives this public key. It pins our key
// derivation to libsodium's Ed25519 (RFC 8032, crypto_sign_seed_keypair), so
// that a library change which altered the keys derived from existing key files
// — and so every published public key — is caught here. The value was computed
// once with libsodium 1.0.18.
TEST(CheckpointTest, FixedSeedGivesAFixedPublicKey) {
  TempDir dir;
  std::string path = dir.file("fixed.key");
  write_file(path, "# fixed test seed\n" + std::string(kFixedSeedHex) + "\n",
             fs::perms::owner_read | fs::perms::owner_write);
  auto key = SigningKey::load(path);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->public_key_hex(),
            "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664");
  EXPECT_EQ(key->key_id(), to_hex(digest(HashAlgorithm::kSha256,
                                         std::string_view("\x79\xb5\x56\x2e\x8f\xe6\x54\xf9"
                                                          "\x40\x78\xb1\x12\xe8\xa9\x8b\xa7"
                                                          "\x90\x1f\x85\x3a\xe6\x95\xbe\xd7"
                                                          "\xe0\xe3\x91\x0b\xad\x04\x96\x64",
                                                          32)))
                               .substr(0, 16));
}

TEST(CheckpointTest, JsonRoundTrip) {
  SigningKey key = make_key();
  Checkpoint checkpoint = key.sign(1234, sample_root(), kAt, HashAlgorithm::kSm3);
  std::string text = to_json_text(checkpoint);
  auto parsed = checkpoint_from_json(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(*parsed, checkpoint);
  EXPECT_TRUE(verify_checkpoint(*parsed, key.public_key_hex()));
  EXPECT_NE(text.find("\"at_us\":1767225600000000"), std::string::npos) << text;
}

TEST(CheckpointTest, JsonRefusesUnknownMissingAndMalformedFields) {
  SigningKey key = make_key();
  auto j =
      nlohmann::json::parse(to_json_text(key.sign(5, sample_root(), kAt, HashAlgorithm::kSha256)));
  auto with = [&](const char* name, nlohmann::json value) {
    auto copy = j;
    copy[name] = std::move(value);
    return checkpoint_from_json(copy.dump());
  };

  auto unknown = with("extra", 1);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kJsonUnknownField);

  auto copy = j;
  copy.erase("signature");
  auto missing = checkpoint_from_json(copy.dump());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kJsonMissingField);

  EXPECT_EQ(with("size", -1).error().code, ErrorCode::kJsonWrongType);
  EXPECT_EQ(with("at_us", "now").error().code, ErrorCode::kJsonWrongType);
  EXPECT_EQ(with("root", "00").error().code, ErrorCode::kRecordHashInvalid);
  EXPECT_EQ(with("algorithm", "md5").error().code, ErrorCode::kRecordHashAlgorithmUnknown);
  EXPECT_EQ(with("signature", "00").error().code, ErrorCode::kRecordCheckpointInvalid);
  EXPECT_EQ(with("key_id", "ABC").error().code, ErrorCode::kRecordCheckpointInvalid);
  EXPECT_EQ(checkpoint_from_json("[]").error().code, ErrorCode::kJsonNotObject);
  EXPECT_EQ(checkpoint_from_json("{").error().code, ErrorCode::kJsonMalformed);
}

}  // namespace
}  // namespace xzzf::record
