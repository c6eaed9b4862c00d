#include "core/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace xzzf {
namespace {

std::string source_dir() {
  const char* dir = std::getenv("XZZF_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ConfigSources no_env() {
  ConfigSources s;
  s.environment = [](const std::string&) { return std::optional<std::string>(); };
  return s;
}

TEST(Config, DefaultsWithoutSources) {
  auto c = load_config(no_env());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->http.json_body_limit, 64 * 1024);
  EXPECT_EQ(c->server.listen, "127.0.0.1:8080");
  EXPECT_FALSE(c->testing.routes);
}

TEST(Config, PrecedenceFileThenEnvironmentThenFlags) {
  auto path = std::filesystem::temp_directory_path() / "xzzf-config-test.toml";
  std::ofstream(path) << "[http]\njson_body_limit = 2048\nread_timeout_seconds = "
                         "9\n[deployment]\nname = \"测试市\"\n";
  ConfigSources s;
  s.file = path.string();
  std::map<std::string, std::string> env = {{"XZZF_HTTP_READ_TIMEOUT_SECONDS", "7"},
                                            {"XZZF_HTTP_JSON_BODY_LIMIT", "4096"}};
  s.environment = [&](const std::string& n) -> std::optional<std::string> {
    auto it = env.find(n);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  s.overrides = {{"http.json_body_limit", "8192"}};
  auto c = load_config(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->http.json_body_limit, 8192);    // flag beats environment
  EXPECT_EQ(c->http.read_timeout_seconds, 7);  // environment beats file
  EXPECT_EQ(c->deployment.name, "测试市");     // file beats default
  std::filesystem::remove(path);
}

TEST(Config, RefusesUnknownKeysAndBadValues) {
  auto s = no_env();
  s.overrides = {{"http.no_such_key", "1"}};
  auto c = load_config(s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kConfigInvalid);
  EXPECT_NE(c.error().message.find("http.no_such_key"), std::string::npos);

  s.overrides = {{"http.json_body_limit", "lots"}};
  EXPECT_FALSE(load_config(s));
  s.overrides = {{"http.json_body_limit", "1"}};  // below the minimum
  EXPECT_FALSE(load_config(s));
  s.overrides = {{"log.access", "syslog"}};
  EXPECT_FALSE(load_config(s));
  s.overrides = {{"testing.routes", "yes"}};
  EXPECT_FALSE(load_config(s));
}

TEST(Config, UnknownKeyInFileIsRefused) {
  auto path = std::filesystem::temp_directory_path() / "xzzf-config-bad.toml";
  std::ofstream(path) << "[server]\nlisten = \"127.0.0.1:1\"\nlistne = \"typo\"\n";
  ConfigSources s = no_env();
  s.file = path.string();
  auto c = load_config(s);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("server.listne"), std::string::npos);
  std::filesystem::remove(path);
}

// docs/configuration.md and config/xzzf.example.toml document every key, and
// the example file loads.
TEST(Config, EveryKeyIsDocumentedAndTheExampleLoads) {
  std::string doc = read_file(source_dir() + "/docs/configuration.md");
  std::string example = read_file(source_dir() + "/config/xzzf.example.toml");
  ASSERT_FALSE(doc.empty());
  ASSERT_FALSE(example.empty());
  for (const auto& k : config_keys()) {
    EXPECT_NE(doc.find("`" + k.dotted() + "`"), std::string::npos)
        << k.dotted() << " missing from docs";
    EXPECT_NE(doc.find(k.env_name()), std::string::npos) << k.env_name() << " missing from docs";
    EXPECT_NE(example.find(std::string(k.key)), std::string::npos)
        << k.dotted() << " missing from example";
  }
  ConfigSources s = no_env();
  s.file = source_dir() + "/config/xzzf.example.toml";
  auto c = load_config(s);
  EXPECT_TRUE(c) << c.error().message;
}

}  // namespace
}  // namespace xzzf
