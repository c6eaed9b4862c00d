// Reading published law texts: numerals, articles with their paragraphs and
// items, chapters, the history, the commencement date, and refusals.

#include "library/parse.hpp"

#include <gtest/gtest.h>

namespace xzzf::library {
namespace {

TEST(ChineseNumbers, ReadAndWriteAsStatutesDo) {
  const std::vector<std::pair<int, std::string>> cases = {{1, "一"},
                                                          {10, "十"},
                                                          {11, "十一"},
                                                          {20, "二十"},
                                                          {42, "四十二"},
                                                          {100, "一百"},
                                                          {101, "一百零一"},
                                                          {110, "一百一十"},
                                                          {119, "一百一十九"},
                                                          {200, "二百"},
                                                          {305, "三百零五"},
                                                          {1000, "一千"},
                                                          {1010, "一千零一十"},
                                                          {1101, "一千一百零一"}};
  for (const auto& [n, text] : cases) {
    EXPECT_EQ(chinese_number(n), text) << n;
    EXPECT_EQ(parse_chinese_number(text), n) << text;
  }
  EXPECT_EQ(parse_chinese_number("一百一十"), 110);
  EXPECT_FALSE(parse_chinese_number("〇"));
  EXPECT_FALSE(parse_chinese_number(""));
  for (const char* typo : {"一二", "二二", "十百", "百百", "一千一千", "零", "一零一", "一十"}) {
    EXPECT_FALSE(parse_chinese_number(typo)) << typo;
  }
  EXPECT_EQ(chinese_number(10000), "10000");
  EXPECT_EQ(chinese_number(99999), "99999");
  EXPECT_FALSE(parse_chinese_number("四十二条"));
  EXPECT_FALSE(parse_chinese_number("42"));
}

constexpr const char* kText = R"(# 中华人民共和国某某法

1996年3月17日 第八届全国人民代表大会第四次会议通过

2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第一次修正根据2017年9月1日 第十二届全国人民代表大会常务委员会第二十九次会议第二次修正　

<!-- INFO END -->

## 第一章 总则

第一条 为了规范某某，制定本法。

第二条 行政机关实施下列行为：

（一）警告；

（二）罚款。

前款规定以外的，依照其他法律。

## 第二章 实施

### 第一节 一般规定

第十条　执法人员不得少于两人。

第十条之一 新增的条文。

第一百零一条 本法自2021年7月15日起施行。
)";

TEST(ParseNorm, TitleHistoryArticlesChaptersAndCommencement) {
  auto n = parse_norm_text(kText);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->title, "中华人民共和国某某法");
  ASSERT_EQ(n->history.size(), 3u);
  EXPECT_EQ(n->history[0].date, "1996-03-17");
  EXPECT_EQ(n->history[0].kind, "adopted");
  EXPECT_EQ(n->history[1].date, "2009-08-27");
  EXPECT_EQ(n->history[1].kind, "amended");
  EXPECT_EQ(n->history[1].text.find("根据"), std::string::npos) << n->history[1].text;
  EXPECT_EQ(n->history[2].date, "2017-09-01");
  ASSERT_EQ(n->articles.size(), 5u);
  EXPECT_EQ(n->articles[0].label, "第一条");
  EXPECT_EQ(n->articles[0].chapter, "第一章 总则");
  EXPECT_EQ(n->articles[1].number, 2);
  EXPECT_EQ(n->articles[1].text,
            "行政机关实施下列行为：\n（一）警告；\n（二）罚款。\n前款规定以外的，依照其他法律。");
  // A full-width space after the number, a section inside a chapter.
  EXPECT_EQ(n->articles[2].label, "第十条");
  EXPECT_EQ(n->articles[2].text, "执法人员不得少于两人。");
  EXPECT_EQ(n->articles[2].chapter, "第二章 实施 · 第一节 一般规定");
  EXPECT_EQ(n->articles[3].label, "第十条之一");
  EXPECT_EQ(n->articles[3].number, 10);
  EXPECT_EQ(n->articles[3].sub, 1);
  EXPECT_EQ(n->articles[4].number, 101);
  EXPECT_EQ(n->effective_on, std::optional<std::string>("2021-07-15"));
}

TEST(ParseNorm, ARefersToAnotherArticleIsNotANewArticle) {
  auto n = parse_norm_text(
      "# 某法\n\n2000年1月1日 通过\n\n<!-- INFO END -->\n\n第一条 正文。\n\n"
      "第三十一条的规定适用于本条。\n");
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_EQ(n->articles.size(), 1u);
  EXPECT_EQ(n->articles[0].text, "正文。\n第三十一条的规定适用于本条。");
  EXPECT_FALSE(n->effective_on);
}

TEST(ParseNorm, RefusesTextsItCannotRead) {
  EXPECT_FALSE(parse_norm_text(""));
  EXPECT_FALSE(parse_norm_text("某法\n<!-- INFO END -->\n第一条 正文。\n"));  // no title line
  EXPECT_FALSE(parse_norm_text("# 某法\n第一条 正文。\n"));                   // no history end
  EXPECT_FALSE(parse_norm_text("# 某法\n<!-- INFO END -->\n正文。\n"));       // no article
  auto order = parse_norm_text("# 某法\n<!-- INFO END -->\n第二条 甲。\n第一条 乙。\n");
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().code, ErrorCode::kLibraryTextInvalid);
  EXPECT_NE(order.error().message.find("第 4 行"), std::string::npos) << order.error().message;
}

}  // namespace
}  // namespace xzzf::library
