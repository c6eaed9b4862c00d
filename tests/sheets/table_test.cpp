// Reading a table against a template: the header row checked exactly, rows
// as strings, and the row-by-row report with spreadsheet row numbers.

#include "sheets/table.hpp"

#include <gtest/gtest.h>

#include "sheets/writer.hpp"

namespace xzzf::sheets {
namespace {

Template power_like_template() {
  return Template{{
      {.key = "code",
       .header = "事项编码",
       .required = true,
       .max_length = 20,
       .validator = [](std::string_view v) -> std::optional<std::string> {
         if (v.find_first_not_of("0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
             std::string_view::npos) {
           return "只能包含数字、大写字母和连字符";
         }
         return std::nullopt;
       }},
      {.key = "name", .header = "事项名称", .required = true, .max_length = 10},
      {.key = "note", .header = "备注"},
  }};
}

std::string file_of(const std::vector<std::string>& headers, const Rows& rows) {
  auto bytes = xlsx_bytes("清单", headers, rows);
  EXPECT_TRUE(bytes) << bytes.error().message;
  return bytes ? *bytes : std::string();
}

TEST(ReadTable, ValidRowsAndNoReport) {
  const Template tmpl = power_like_template();
  auto bytes =
      xlsx_bytes("清单", tmpl, {{"330-A-1", "行政处罚", ""}, {"330-A-2", "行政许可", "注"}});
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto table = read_table(*bytes, tmpl);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_TRUE(table->valid());
  EXPECT_EQ(table->keys, (std::vector<std::string>{"code", "name", "note"}));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].number, 2u);
  EXPECT_EQ(table->rows[0].values, (std::vector<std::string>{"330-A-1", "行政处罚", ""}));
  EXPECT_EQ(table->value(table->rows[1], "note"), "注");
  const auto map = table->as_map(table->rows[1]);
  EXPECT_EQ(map.at("code"), "330-A-2");
  EXPECT_EQ(map.at("name"), "行政许可");
}

TEST(ReadTable, HeaderOnlyIsAnEmptyValidTable) {
  auto table = read_table(file_of({"事项编码", "事项名称", "备注"}, {}), power_like_template());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_TRUE(table->rows.empty());
  EXPECT_TRUE(table->valid());
}

TEST(ReadTable, WrongHeadersNameExpectedAndFound) {
  const Template tmpl = power_like_template();
  struct Case {
    std::vector<std::string> headers;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {{"事项编码", "名称", "备注"}, "第 1 行 B 列应为“事项名称”，实际为“名称”"},
      {{"事项名称", "事项编码", "备注"}, "第 1 行 A 列应为“事项编码”，实际为“事项名称”"},
      {{"事项编码", "事项名称"}, "第 1 行 C 列应为“备注”，实际为空白"},
      {{"事项编码", "事项名称", "备注", "多余"}, "第 1 行 D 列应为空白，实际为“多余”"},
      {{"事项编码 ", "事项名称", "备注"}, "A 列应为“事项编码”，实际为“事项编码 ”"},
  };
  for (const auto& c : cases) {
    auto table = read_table(file_of(c.headers, {{"1", "2", "3"}}), tmpl);
    ASSERT_FALSE(table) << c.expect;
    EXPECT_EQ(table.error().code_string(), "sheets.wrong_headers");
    EXPECT_NE(table.error().message.find(c.expect), std::string::npos) << table.error().message;
    EXPECT_NE(table.error().message.find("“事项编码”、“事项名称”、“备注”"), std::string::npos)
        << table.error().message;
  }
}

TEST(ReadTable, EmptySheetRefused) {
  auto bytes = xlsx_bytes("空表", std::vector<std::string>{}, {});
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto table = read_table(*bytes, power_like_template());
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().code_string(), "sheets.empty");
  EXPECT_NE(table.error().message.find("空表"), std::string::npos);
}

TEST(ReadTable, RowByRowReportWithSpreadsheetRowNumbers) {
  const Rows rows = {
      {"330-A-1", "行政处罚", ""},                            // row 2: valid
      {"", "缺编码", ""},                                     // row 3: code required
      {},                                                     // row 4: empty, left out
      {"330-a-1", "名称超过十个字的一个行政处罚事项", "注"},  // row 5: two issues
      {"  ", "　", "备注"},                                   // row 6: blanks are missing
      {"330-A-3", "行政检查", "", "多出来的"},                // row 7: a cell outside the template
  };
  auto table = read_table(file_of({"事项编码", "事项名称", "备注"}, rows), power_like_template());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_FALSE(table->valid());
  EXPECT_EQ(table->rows.size(), 5u);  // every non-empty row comes back, valid or not
  std::vector<std::tuple<std::uint32_t, std::string, std::string>> got;
  for (const auto& issue : table->report) got.emplace_back(issue.row, issue.column, issue.message);
  const std::vector<std::tuple<std::uint32_t, std::string, std::string>> want = {
      {3, "事项编码", "必填项，不能为空"},
      {5, "事项编码", "只能包含数字、大写字母和连字符"},
      {5, "事项名称", "不能超过 10 个字（现有 16 个字）"},
      {6, "事项编码", "必填项，不能为空"},
      {6, "事项名称", "必填项，不能为空"},
      {7, "D", "该列不在模板中（没有表头），内容不会被导入，请删除"},
  };
  EXPECT_EQ(got, want);
  EXPECT_FALSE(table->report_truncated);
}

TEST(ReadTable, LengthCountsCharactersNotBytes) {
  Template tmpl{{{.key = "name", .header = "名称", .max_length = 4}}};
  auto table = read_table(file_of({"名称"}, {{"行政处罚"}, {"abcd"}, {"行政处罚决"}}), tmpl);
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->report.size(), 1u);
  EXPECT_EQ(table->report[0].row, 4u);
}

TEST(ReadTable, ValidatorRunsOnNonEmptyValuesOnly) {
  int calls = 0;
  Template tmpl{{{.key = "a", .header = "甲"},
                 {.key = "b", .header = "乙", .validator = [&](std::string_view) {
                    ++calls;
                    return std::optional<std::string>("不对");
                  }}}};
  auto table = read_table(file_of({"甲", "乙"}, {{"x"}, {"y", "z"}}), tmpl);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(table->report.size(), 1u);
  EXPECT_EQ(table->report[0].row, 3u);
  EXPECT_EQ(table->report[0].column, "乙");
}

TEST(ReadTable, ReportStopsAtTheLimit) {
  Rows rows(30, std::vector<std::string>{"", "", "x"});
  Limits limits;
  limits.max_issues = 25;
  auto table =
      read_table(file_of({"事项编码", "事项名称", "备注"}, rows), power_like_template(), limits);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->report.size(), 25u);
  EXPECT_TRUE(table->report_truncated);
  EXPECT_FALSE(table->valid());
}

TEST(ReadTable, HostileFileErrorsPassThrough) {
  auto table = read_table("not a spreadsheet", power_like_template());
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().code_string(), "sheets.not_xlsx");
}

TEST(ReadTableDeathTest, BrokenTemplateIsFatal) {
  const Sheet sheet{"表", {{1, {"甲"}}}};
  EXPECT_DEATH((void)read_table(sheet, Template{}), "");
  EXPECT_DEATH((void)read_table(
                   sheet, Template{{{.key = "a", .header = "甲"}, {.key = "a", .header = "乙"}}}),
               "");
}

}  // namespace
}  // namespace xzzf::sheets
