#include "app/access_log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace xzzf::app {
namespace {

server::RequestLog sample() {
  server::RequestLog r;
  r.request_id = "a1b2c3d4e5f60718";
  r.remote_addr = "127.0.0.1";
  r.method = "GET";
  r.path = "/api/v1/public/subjects";
  r.route = "GET /api/v1/public/subjects";
  r.status = 200;
  r.bytes = 4634;
  r.duration = std::chrono::microseconds(1234);
  return r;
}

TEST(AccessLog, OneJsonObjectWithEveryField) {
  // 2026-11-28T00:00:00+08:00
  auto line = format_access_line(sample(), Instant{1795795200LL * 1000000 + 250000});
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "2026-11-28T00:00:00+08:00");
  EXPECT_EQ(j["rid"], "a1b2c3d4e5f60718");
  EXPECT_EQ(j["remote"], "127.0.0.1");
  EXPECT_EQ(j["method"], "GET");
  EXPECT_EQ(j["path"], "/api/v1/public/subjects");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["bytes"], 4634);
  EXPECT_DOUBLE_EQ(j["ms"].get<double>(), 1.234);
  EXPECT_FALSE(j.contains("error"));
  EXPECT_FALSE(j.contains("user"));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(AccessLog, ErrorAndUserWhenPresent) {
  auto r = sample();
  r.status = 403;
  r.error_code = "auth.out_of_scope";
  r.actor = "scjg_admin";
  auto j = nlohmann::json::parse(format_access_line(r, Instant{0}));
  EXPECT_EQ(j["error"], "auth.out_of_scope");
  EXPECT_EQ(j["user"], "scjg_admin");
}

TEST(AccessLog, HostilePathsStayOneValidLine) {
  auto r = sample();
  std::string path = "/a\"b\\c\nd\x01/执法/\xff\xfe/\xc0\xaf";
  r.path = path;
  auto line = format_access_line(r, Instant{0});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(line);  // throws on invalid UTF-8 or bad escapes
  EXPECT_EQ(j["path"], "/a\"b\\c\nd\x01/执法/\xEF\xBF\xBD\xEF\xBF\xBD/\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace xzzf::app
