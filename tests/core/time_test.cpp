#include "core/time.hpp"

#include <gtest/gtest.h>

namespace xzzf {
namespace {

TEST(Date, ParsesAndPrints) {
  auto d = Date::parse("2026-02-28");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "2026-02-28");
  EXPECT_EQ(d->plus_days(1).to_string(), "2026-03-01");
  EXPECT_EQ(Date::parse("2024-02-28")->plus_days(1).to_string(), "2024-02-29");
  EXPECT_EQ(Date::parse("2025-12-31")->plus_days(1).to_string(), "2026-01-01");
}

TEST(Date, RefusesImpossibleOrSloppyDates) {
  for (const char* bad :
       {"2026-02-29", "2026-13-01", "2026-1-01", "20260101", "2026/01/01", "", "2026-01-0a"}) {
    auto d = Date::parse(bad);
    EXPECT_FALSE(d) << bad;
    if (!d) {
      EXPECT_EQ(d.error().code, ErrorCode::kDateInvalid);
    }
  }
}

TEST(Date, PlusYearsKeepsTheDayOrEndsFebruary) {
  EXPECT_EQ(Date::parse("2025-07-01")->plus_years(1).to_string(), "2026-07-01");
  EXPECT_EQ(Date::parse("2024-02-29")->plus_years(1).to_string(), "2025-02-28");
  EXPECT_EQ(Date::parse("2024-02-29")->plus_years(4).to_string(), "2028-02-29");
  EXPECT_EQ(Date::parse("2026-11-28")->plus_years(-5).to_string(), "2021-11-28");
}

TEST(Date, ShanghaiDayStartsAtSixteenHundredUtc) {
  // 2026-11-27T15:59:59Z is still 23:59:59 on the 27th in Shanghai; one second later it is the
  // 28th.
  Instant before{1795795199LL * 1000000};
  Instant after{1795795200LL * 1000000};
  EXPECT_EQ(Date::of(before).to_string(), "2026-11-27");
  EXPECT_EQ(Date::of(after).to_string(), "2026-11-28");
  EXPECT_EQ(format_shanghai_iso8601(after), "2026-11-28T00:00:00+08:00");
}

TEST(Date, Weekday) {
  // 2015-10-31, the deadline of the notice, was a Saturday.
  EXPECT_EQ(Date::parse("2015-10-31")->weekday(), std::chrono::Saturday);
}

TEST(FakeClock, AdvancesOnlyWhenTold) {
  FakeClock clock(Instant{1000});
  EXPECT_EQ(clock.now().micros, 1000);
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(clock.now().micros, 2001000);
}

}  // namespace
}  // namespace xzzf

namespace xzzf {
namespace {

TEST(DateStart, IsMidnightInShanghai) {
  auto d = Date::parse("2026-11-28");
  ASSERT_TRUE(d);
  // 2026-11-28T00:00+08:00 = 2026-11-27T16:00:00Z = 1795795200 s.
  EXPECT_EQ(d->start().micros, std::int64_t{1795795200} * 1'000'000);
  EXPECT_EQ(Date::of(d->start()), *d);
  EXPECT_EQ(Date::of(Instant{d->start().micros - 1}), d->plus_days(-1));
}

}  // namespace
}  // namespace xzzf
