// The statutory calendar against the State Council's yearly holiday notices
// (国务院办公厅关于部分节假日安排的通知). The expected dates below are taken
// from the notices themselves, not from the chinese-days package the data file
// is generated from: a wrong or stale data file fails here.

#include "rules/calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace xzzf::rules {
namespace {

Date d(const char* text) {
  auto parsed = Date::parse(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(Date());
}

const Calendar& cal() {
  return Calendar::national();
}

bool working(const char* day) {
  auto w = cal().is_working_day(d(day));
  EXPECT_TRUE(w) << day << ": " << (w ? "" : w.error().message);
  return w.value_or(false);
}

std::string working_after(const char* from, int n, std::vector<Excluded> excluded = {}) {
  auto r = cal().add_working_days(d(from), n, excluded);
  return r ? r->to_string() : "error: " + std::string(r.error().code_string());
}

std::string days_after(const char* from, int n, std::vector<Excluded> excluded = {}) {
  auto r = cal().add_days(d(from), n, excluded);
  return r ? r->to_string() : "error: " + std::string(r.error().code_string());
}

TEST(CalendarData, CoversFrom2015ThroughTheLastYearOfThePackage) {
  EXPECT_EQ(cal().first_year(), 2015);
  EXPECT_GE(cal().last_year(), 2026);
}

// 国务院办公厅关于2016年部分节假日安排的通知: 春节
// 2月7日至13日放假调休，2月6日（星期六）、2月14日（星期日）上班。
TEST(CalendarData, SpringFestival2016) {
  EXPECT_TRUE(working("2016-02-05"));
  EXPECT_TRUE(working("2016-02-06"));
  for (const char* day : {"2016-02-07", "2016-02-08", "2016-02-10", "2016-02-12", "2016-02-13"}) {
    EXPECT_FALSE(working(day)) << day;
  }
  EXPECT_TRUE(working("2016-02-14"));
  EXPECT_EQ(working_after("2016-02-05", 1), "2016-02-06");
  EXPECT_EQ(working_after("2016-02-06", 1), "2016-02-14");
}

// 国务院办公厅关于2020年部分节假日安排的通知: 春节
// 1月24日至30日放假调休，1月19日（星期日）、2月1日（星期六）上班; extended by 国办发明电〔2020〕1号
// to 2月2日: those days count as holidays and 2月1日 is no longer a working day; work resumed on
// 2月3日.
TEST(CalendarData, SpringFestival2020WithTheExtension) {
  EXPECT_TRUE(working("2020-01-19"));
  for (const char* day :
       {"2020-01-24", "2020-01-27", "2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"}) {
    EXPECT_FALSE(working(day)) << day;
  }
  EXPECT_TRUE(working("2020-02-03"));
  EXPECT_EQ(working_after("2020-01-17", 1), "2020-01-19");
  EXPECT_EQ(working_after("2020-01-23", 1), "2020-02-03");
  // A hearing request period of five working days (行政处罚法 第六十四条, 第八十五条)
  // told on the eve of the holiday.
  EXPECT_EQ(working_after("2020-01-23", 5), "2020-02-07");
}

// 国务院办公厅关于2023年部分节假日安排的通知: 春节
// 1月21日至27日放假调休，1月28日（星期六）、1月29日（星期日）上班。
TEST(CalendarData, SpringFestival2023) {
  EXPECT_FALSE(working("2023-01-21"));
  EXPECT_FALSE(working("2023-01-27"));
  EXPECT_TRUE(working("2023-01-28"));
  EXPECT_TRUE(working("2023-01-29"));
  EXPECT_EQ(working_after("2023-01-20", 1), "2023-01-28");
  EXPECT_EQ(working_after("2023-01-20", 3), "2023-01-30");
}

// 国务院办公厅关于2025年部分节假日安排的通知: 春节
// 1月28日至2月4日放假调休，1月26日（星期日）、2月8日（星期六）上班。
TEST(CalendarData, SpringFestival2025) {
  EXPECT_TRUE(working("2025-01-26"));
  EXPECT_FALSE(working("2025-01-28"));
  EXPECT_FALSE(working("2025-02-04"));
  EXPECT_TRUE(working("2025-02-05"));
  EXPECT_TRUE(working("2025-02-08"));
  EXPECT_EQ(working_after("2025-01-27", 1), "2025-02-05");
}

// 国务院办公厅关于2026年部分节假日安排的通知: 春节
// 2月15日至23日放假调休，2月14日（星期六）、2月28日（星期六）上班。
TEST(CalendarData, SpringFestival2026) {
  EXPECT_TRUE(working("2026-02-14"));
  for (const char* day : {"2026-02-15", "2026-02-17", "2026-02-20", "2026-02-23"}) {
    EXPECT_FALSE(working(day)) << day;
  }
  EXPECT_TRUE(working("2026-02-24"));
  EXPECT_TRUE(working("2026-02-28"));
  EXPECT_EQ(working_after("2026-02-13", 1), "2026-02-14");
  EXPECT_EQ(working_after("2026-02-14", 1), "2026-02-24");
}

// 国务院办公厅关于2015年部分节假日安排的通知: 国庆节 10月1日至7日放假调休，10月10日（星期六）上班;
// and the State Council's notice on the 70th anniversary of the victory:
// 9月3日至5日放假调休，9月6日（星期日）上班。
TEST(CalendarData, NationalDayAndVictoryDay2015) {
  EXPECT_FALSE(working("2015-09-03"));
  EXPECT_FALSE(working("2015-09-04"));
  EXPECT_TRUE(working("2015-09-06"));
  EXPECT_FALSE(working("2015-10-01"));
  EXPECT_FALSE(working("2015-10-07"));
  EXPECT_TRUE(working("2015-10-08"));
  EXPECT_TRUE(working("2015-10-10"));
  EXPECT_EQ(working_after("2015-09-30", 1), "2015-10-08");
}

// 国务院办公厅关于2019年部分节假日安排的通知: 国庆节
// 10月1日至7日放假调休，9月29日（星期日）、10月12日（星期六）上班。
TEST(CalendarData, NationalDay2019) {
  EXPECT_TRUE(working("2019-09-29"));
  EXPECT_FALSE(working("2019-10-04"));
  EXPECT_TRUE(working("2019-10-12"));
  EXPECT_EQ(working_after("2019-09-27", 1), "2019-09-29");
  EXPECT_EQ(working_after("2019-09-30", 1), "2019-10-08");
}

// 国务院办公厅关于2024年部分节假日安排的通知: 国庆节
// 10月1日至7日放假调休，9月29日（星期日）、10月12日（星期六）上班; 端午节 6月10日放假，与周末连休。
TEST(CalendarData, NationalDay2024) {
  EXPECT_TRUE(working("2024-09-29"));
  EXPECT_FALSE(working("2024-10-01"));
  EXPECT_FALSE(working("2024-10-07"));
  EXPECT_TRUE(working("2024-10-12"));
  EXPECT_FALSE(working("2024-06-10"));
  EXPECT_EQ(working_after("2024-09-30", 1), "2024-10-08");
  // 告知 on Friday 27 September: the five working days of 第六十四条 are
  // 9-29 (a Sunday worked), 9-30, 10-8, 10-9 and 10-10.
  EXPECT_EQ(working_after("2024-09-27", 5), "2024-10-10");
}

// 国务院办公厅关于2025年部分节假日安排的通知: 国庆节、中秋节
// 10月1日至8日放假调休，9月28日（星期日）、10月11日（星期六）上班。
TEST(CalendarData, NationalDay2025) {
  EXPECT_TRUE(working("2025-09-28"));
  EXPECT_FALSE(working("2025-10-08"));
  EXPECT_TRUE(working("2025-10-09"));
  EXPECT_TRUE(working("2025-10-11"));
  EXPECT_EQ(working_after("2025-09-30", 1), "2025-10-09");
  EXPECT_EQ(working_after("2025-10-10", 1), "2025-10-11");
}

TEST(CalendarCounting, TheDayOfTheEventNeverCounts) {
  EXPECT_EQ(working_after("2024-03-04", 1), "2024-03-05");  // a Monday: Tuesday is the first day
  EXPECT_EQ(days_after("2024-03-04", 1), "2024-03-05");
  EXPECT_EQ(working_after("2024-03-04", 0), "2024-03-04");
}

TEST(CalendarCounting, APeriodEndingOnADayOffEndsOnTheNextWorkingDay) {
  EXPECT_EQ(days_after("2024-03-01", 15), "2024-03-18");  // Saturday 16th → Monday
  EXPECT_EQ(days_after("2024-09-21", 10), "2024-10-08");  // 1 October → after the holiday
  EXPECT_EQ(days_after("2026-02-05", 10), "2026-02-24");  // 春节 2026
  EXPECT_EQ(days_after("2026-02-04", 10), "2026-02-14");  // a Saturday that is worked
}

// 行政处罚法 第六十条: 90 days from 立案; the days of a hearing do not count.
TEST(CalendarCounting, NinetyDayClockPausesForAHearing) {
  EXPECT_EQ(days_after("2024-03-01", 90), "2024-05-30");
  // Hearing from 10 to 19 April: ten days that do not count → 9 June, a
  // Sunday; 10 June is 端午节 → 11 June.
  const std::vector<Excluded> hearing{{d("2024-04-10"), d("2024-04-19")}};
  EXPECT_EQ(days_after("2024-03-01", 90, hearing), "2024-06-11");
  // Still going on: no end yet.
  const std::vector<Excluded> open{{d("2024-04-10"), std::nullopt}};
  auto due = cal().due(d("2024-03-01"), Period{90, PeriodUnit::kDays}, open);
  ASSERT_TRUE(due);
  EXPECT_FALSE(due->has_value());
  EXPECT_EQ(days_after("2024-03-01", 90, open), "error: calendar.clock_paused");
  // A pause that begins after the period has run out changes nothing.
  const std::vector<Excluded> late{{d("2024-06-01"), std::nullopt}};
  EXPECT_EQ(days_after("2024-03-01", 90, late), "2024-05-30");
}

TEST(CalendarCounting, WorkingDayClocksPauseToo) {
  const std::vector<Excluded> appraisal{{d("2024-03-05"), d("2024-03-07")}};
  EXPECT_EQ(working_after("2024-03-04", 2), "2024-03-06");
  EXPECT_EQ(working_after("2024-03-04", 2, appraisal), "2024-03-11");
}

TEST(CalendarCounting, BeyondTheDataIsRefusedNotGuessed) {
  const int last = cal().last_year();
  const std::string late = std::to_string(last) + "-12-20";
  auto r = cal().add_working_days(d(late.c_str()), 30);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_string(), "calendar.beyond_data");
  EXPECT_NE(r.error().message.find(cal().last_day().to_string()), std::string::npos)
      << r.error().message;
  // A calendar-day period whose last day is in the next year needs to know
  // whether that day is worked: refused as well.
  const std::string dec = std::to_string(last) + "-12-25";
  EXPECT_EQ(days_after(dec.c_str(), 7), "error: calendar.beyond_data");
  EXPECT_EQ(working_after("2014-12-30", 1), "error: calendar.beyond_data");
}

// The last days of December are set by the next year's notice (元旦): the
// 2019 notice made 2018-12-29 a working Saturday and 30–31 December days off.
TEST(CalendarCounting, LateDecemberOfTheLastYearWaitsForTheNextNotice) {
  EXPECT_TRUE(working("2018-12-28"));
  EXPECT_TRUE(working("2018-12-29"));
  EXPECT_FALSE(working("2018-12-31"));
  const int last = cal().last_year();
  EXPECT_EQ(cal().last_day().to_string(), std::to_string(last) + "-12-24");
  const std::string eve = std::to_string(last) + "-12-24";
  const std::string christmas = std::to_string(last) + "-12-25";
  EXPECT_TRUE(cal().is_working_day(d(eve.c_str())));
  auto r = cal().is_working_day(d(christmas.c_str()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_string(), "calendar.beyond_data");
}

TEST(CalendarCounting, AnEndMovedOffADayOffSkipsExcludedDaysToo) {
  // 15 days after 1 March 2024 end on Saturday the 16th; the 17th to the
  // 20th are excluded, so the period ends on Thursday the 21st.
  const std::vector<Excluded> closed{{d("2024-03-17"), d("2024-03-20")}};
  EXPECT_EQ(days_after("2024-03-01", 15, closed), "2024-03-21");
  const std::vector<Excluded> open{{d("2024-03-17"), std::nullopt}};
  EXPECT_EQ(days_after("2024-03-01", 15, open), "error: calendar.clock_paused");
}

TEST(CalendarLocal, AJurisdictionsOwnDaysReplaceTheNationalOnes) {
  const Calendar local = cal().with_local({{d("2024-03-05"), false, "本地节日", false},
                                           {d("2024-03-09"), true, "本地调休上班", false}});
  EXPECT_TRUE(working("2024-03-05"));
  EXPECT_FALSE(*local.is_working_day(d("2024-03-05")));
  EXPECT_TRUE(*local.is_working_day(d("2024-03-09")));
  ASSERT_NE(local.adjusted(d("2024-03-05")), nullptr);
  EXPECT_TRUE(local.adjusted(d("2024-03-05"))->local);
  EXPECT_EQ(local.add_working_days(d("2024-03-04"), 1)->to_string(), "2024-03-06");
}

TEST(CalendarParse, RefusesBadData) {
  EXPECT_FALSE(Calendar::parse("2024-01-01\tholiday\t元旦\n"));  // no covers line before it
  EXPECT_FALSE(Calendar::parse("covers\t2024\t2024\n2024-13-01\tholiday\tx\n"));
  EXPECT_FALSE(Calendar::parse("covers\t2024\t2024\n2024-01-01\tday\tx\n"));
  EXPECT_FALSE(Calendar::parse("covers\t2024\t2024\n2025-01-01\tholiday\tx\n"));
  // A weekday cannot be an adjusted working day.
  EXPECT_FALSE(Calendar::parse("covers\t2024\t2024\n2024-01-02\tworkday\tx\n"));
  EXPECT_FALSE(
      Calendar::parse("covers\t2024\t2024\n2024-01-01\tholiday\tx\n2024-01-01\tholiday\tx\n"));
  auto ok = Calendar::parse("# comment\ncovers\t2024\t2024\n2024-01-01\tholiday\t元旦\n");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_FALSE(*ok->is_working_day(d("2024-01-01")));
}

}  // namespace
}  // namespace xzzf::rules
