#include "http/static_site.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace xzzf::http {
namespace {

namespace fs = std::filesystem;

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("xzzf-site-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "index.html") << "<!doctype html><html lang=\"zh-CN\"></html>";
    std::ofstream(dir_ / "assets" / "index-abc123.js") << "console.log(1)";
    std::ofstream(dir_ / "favicon.svg") << "<svg/>";
  }
  void TearDown() override { fs::remove_all(dir_); }

  Request get(std::string path) {
    Request r;
    r.path = std::move(path);
    return r;
  }

  fs::path dir_;
};

TEST_F(StaticSiteTest, ServesFilesWithTypesAndCachePolicy) {
  auto site = StaticSite::load(dir_.string());
  ASSERT_TRUE(site);
  auto js = site->serve(get("/assets/index-abc123.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->body_view(), "console.log(1)");
  bool immutable = false;
  for (auto& [k, v] : js->headers)
    immutable = immutable || (k == "Cache-Control" && v.find("immutable") != std::string::npos);
  EXPECT_TRUE(immutable);

  auto index = site->serve(get("/"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  bool no_cache = false;
  for (auto& [k, v] : index->headers)
    no_cache = no_cache || (k == "Cache-Control" && v == "no-cache");
  EXPECT_TRUE(no_cache);
}

TEST_F(StaticSiteTest, DeepLinksGetIndexMissingFilesGet404) {
  auto site = StaticSite::load(dir_.string());
  auto page = site->serve(get("/console/departments/3"));
  ASSERT_TRUE(page);
  EXPECT_NE(page->body_view().find("zh-CN"), std::string_view::npos);
  auto missing = site->serve(get("/assets/nothing.js"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  // A traversal attempt is just a name that is not in the site.
  EXPECT_FALSE(site->serve(get("/../../etc/passwd.txt")));
}

TEST_F(StaticSiteTest, EtagRevalidationAnswers304) {
  auto site = StaticSite::load(dir_.string());
  auto first = site->serve(get("/favicon.svg"));
  std::string etag;
  for (auto& [k, v] : first->headers)
    if (k == "ETag") etag = v;
  ASSERT_FALSE(etag.empty());
  Request again = get("/favicon.svg");
  again.headers.emplace_back("if-none-match", etag);
  EXPECT_EQ(site->serve(again)->status, 304);
}

TEST(StaticSiteMissing, AnswersUnavailableWithAClearMessage) {
  auto site = StaticSite::load("/nonexistent/xzzf/web/dist");
  ASSERT_TRUE(site);
  Request r;
  r.path = "/";
  auto resp = site->serve(r);
  ASSERT_FALSE(resp);
  EXPECT_EQ(resp.error().kind(), ErrorKind::kUnavailable);
  EXPECT_NE(resp.error().message.find("npm run build"), std::string::npos);
}

}  // namespace
}  // namespace xzzf::http
