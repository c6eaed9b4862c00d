// Personal data at rest: sealing opens only with its key and its column,
// the key file is made private and refused when it is not, digests are keyed,
// and ID numbers and phones are checked and masked as users see them.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "privacy/mask.hpp"
#include "privacy/sealer.hpp"

namespace xzzf::privacy {
namespace {

namespace fs = std::filesystem;

Sealer::Key key_of(unsigned char fill) {
  Sealer::Key k{};
  k.fill(fill);
  return k;
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("xzzf-privacy-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(Sealer, OpensWhatItSealedForTheSameColumnOnly) {
  const Sealer sealer = Sealer::from_key(key_of(7));
  const std::string id = "411481198001011232";
  const std::string sealed = sealer.seal(id, "officers.id_number");
  EXPECT_EQ(sealed.rfind("p1.", 0), 0U) << sealed;
  EXPECT_EQ(sealed.find(id), std::string::npos);
  EXPECT_EQ(sealer.open(sealed, "officers.id_number").value(), id);
  // Another column, another key, an altered text: refused, never garbage.
  auto moved = sealer.open(sealed, "officers.phone");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kPrivacySealedInvalid);
  EXPECT_FALSE(Sealer::from_key(key_of(8)).open(sealed, "officers.id_number"));
  std::string altered = sealed;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(sealer.open(altered, "officers.id_number"));
  EXPECT_FALSE(sealer.open("411481198001011232", "officers.id_number"));
  EXPECT_FALSE(sealer.open("p1.", "officers.id_number"));
  // A fresh nonce each time; the empty text seals too.
  EXPECT_NE(sealer.seal(id, "officers.id_number"), sealed);
  EXPECT_EQ(sealer.open(sealer.seal("", "c"), "c").value(), "");
}

TEST(Sealer, DigestsAreKeyedAndPerPurpose) {
  const Sealer a = Sealer::from_key(key_of(1));
  const Sealer b = Sealer::from_key(key_of(2));
  const std::string d = a.blind("411481198001011232", "officers.id_number");
  EXPECT_EQ(d.size(), 64U);
  EXPECT_EQ(a.blind("411481198001011232", "officers.id_number"), d);
  EXPECT_NE(b.blind("411481198001011232", "officers.id_number"), d);
  EXPECT_NE(a.blind("411481198001011232", "parties.id_number"), d);
  EXPECT_NE(a.key_id(), b.key_id());
  EXPECT_EQ(a.key_id().size(), 8U);
}

TEST_F(KeyFileTest, CreatedPrivateLoadedAgainNeverOverwritten) {
  const std::string path = (dir_ / "personal-data.key").string();
  auto made = Sealer::create(path);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  auto loaded = Sealer::load(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->key_id(), made->key_id());
  EXPECT_EQ(loaded->open(made->seal("13812345678", "p"), "p").value(), "13812345678");
  auto again = Sealer::create(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPrivacyKeyFileIo);
  EXPECT_EQ(Sealer::load(path)->key_id(), made->key_id()) << "the key was kept";
}

TEST_F(KeyFileTest, LooseModeMissingAndMalformedFilesAreRefused) {
  const std::string path = (dir_ / "k").string();
  ASSERT_TRUE(Sealer::create(path));
  ::chmod(path.c_str(), 0644);
  auto loose = Sealer::load(path);
  ASSERT_FALSE(loose);
  EXPECT_EQ(loose.error().code, ErrorCode::kPrivacyKeyFileExposed);
  EXPECT_NE(loose.error().message.find("0644"), std::string::npos) << loose.error().message;

  auto missing = Sealer::load((dir_ / "none").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kPrivacyKeyFileIo);

  for (const char* text : {"", "# only a comment\n", "abcd\n",
                           "zz00000000000000000000000000000000000000000000000000000000000000\n",
                           "0000000000000000000000000000000000000000000000000000000000000000\n"
                           "0000000000000000000000000000000000000000000000000000000000000000\n"}) {
    const std::string bad = (dir_ / "bad").string();
    fs::remove(bad);
    std::ofstream(bad) << text;
    fs::permissions(bad, fs::perms::owner_read | fs::perms::owner_write);
    auto r = Sealer::load(bad);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kPrivacyKeyFileMalformed) << text;
  }
}

TEST(IdNumber, ChecksumBirthDateAndMask) {
  EXPECT_TRUE(valid_id_number("411481198001011232"));
  EXPECT_TRUE(valid_id_number("11010519491231002X"));
  EXPECT_FALSE(valid_id_number("411481198001011233")) << "wrong check digit";
  EXPECT_FALSE(valid_id_number("411481199002291234")) << "no 29 February in 1990";
  EXPECT_FALSE(valid_id_number("11010519491231002x")) << "normalized first";
  EXPECT_FALSE(valid_id_number("41148119800101123"));
  EXPECT_EQ(normalize_id_number(" 11010519491231002x "), "11010519491231002X");
  EXPECT_EQ(mask_id_number("411481198001011232"), "411481********1232");
  EXPECT_EQ(mask_id_number("A123456"), "*****56");
}

TEST(Phone, MobileLandlineAndMask) {
  EXPECT_TRUE(valid_phone("13812345678"));
  EXPECT_TRUE(valid_phone("0370-5123456"));
  EXPECT_FALSE(valid_phone("1381234567"));
  EXPECT_FALSE(valid_phone("-0370123456"));
  EXPECT_FALSE(valid_phone("0370 5123456"));
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("0370-5123456"), "037*******56");
}

}  // namespace
}  // namespace xzzf::privacy
