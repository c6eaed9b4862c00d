#include <gtest/gtest.h>

#include "server/server.hpp"

namespace xzzf::server {
namespace {

TEST(ParseListen, HostAndPort) {
  auto v4 = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->first, "127.0.0.1");
  EXPECT_EQ(v4->second, 8080);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 0);
}

TEST(ParseListen, RefusesWhatIsNotHostPort) {
  for (const char* bad : {"8080", ":8080", "localhost:", "host:65536", "host:80a", "host:-1"}) {
    auto r = parse_listen(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kConfigInvalid);
    }
  }
}

}  // namespace
}  // namespace xzzf::server
