#include "core/money.hpp"

#include <gtest/gtest.h>

namespace xzzf {
namespace {

TEST(Money, ParsesYuanAsPeopleWriteThem) {
  EXPECT_EQ(Money::parse_yuan("5000")->fen(), 500000);
  EXPECT_EQ(Money::parse_yuan("5000.5")->fen(), 500050);
  EXPECT_EQ(Money::parse_yuan("5000.05")->fen(), 500005);
  EXPECT_EQ(Money::parse_yuan("0.01")->fen(), 1);
  EXPECT_EQ(Money::parse_yuan("100,000.00")->fen(), 10000000);
  EXPECT_EQ(Money::parse_yuan("1,234,567")->fen(), 123456700);
}

TEST(Money, RefusesWhatIsNotAnAmount) {
  for (const char* bad : {"", "-1", "1.234", "1.", ".5", "abc", "1,23", ",100", "12,3456", "1e5",
                          " 1", "1 ", "99999999999999999999"}) {
    auto r = Money::parse_yuan(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kMoneyInvalid);
    }
  }
}

TEST(Money, PrintsCanonicalYuan) {
  EXPECT_EQ(Money::fen(500000).to_yuan_string(), "5000.00");
  EXPECT_EQ(Money::fen(5).to_yuan_string(), "0.05");
  EXPECT_EQ(Money::yuan(10000).to_yuan_string(), "10000.00");
  EXPECT_EQ(Money::fen(-150).to_yuan_string(), "-1.50");
}

TEST(Money, ComparesAndAdds) {
  EXPECT_LT(Money::yuan(4999), Money::yuan(5000));
  EXPECT_EQ(Money::yuan(1) + Money::fen(50), Money::fen(150));
}

}  // namespace
}  // namespace xzzf
