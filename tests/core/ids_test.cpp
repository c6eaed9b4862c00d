#include "core/ids.hpp"

#include <gtest/gtest.h>

namespace xzzf {
namespace {

struct DepartmentTag {};

TEST(Ids, ParsesStrictPositiveDecimals) {
  EXPECT_EQ(*parse_id("1"), 1);
  EXPECT_EQ(*parse_id("411481"), 411481);
  EXPECT_EQ(parse_typed_id<DepartmentTag>("42")->value, 42);
  for (const char* bad : {"", "0", "-1", "+1", "01", "1a", " 1", "1234567890123456789", "1.0"}) {
    EXPECT_FALSE(parse_id(bad)) << bad;
  }
}

}  // namespace
}  // namespace xzzf
