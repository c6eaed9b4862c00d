// Writing .xlsx files and reading them back: the round trip gives back the
// same table; every cell is a string; the header is bold and columns sized.

#include "sheets/writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sheets/reader.hpp"
#include "zip_util.hpp"

namespace xzzf::sheets {
namespace {

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// What a reader gives back for a written row: trailing empty cells are not
// cells at all.
std::vector<std::string> trimmed(std::vector<std::string> row) {
  while (!row.empty() && row.back().empty()) row.pop_back();
  return row;
}

const std::vector<std::string> kHeaders = {"事项编码", "事项名称", "实施依据", "备注"};

Rows tricky_rows() {
  return {
      {"330000-A-001-00", "对未取得食品生产许可从事食品生产活动的行政处罚",
       "《中华人民共和国食品安全法》第一百二十二条", ""},
      {"", "第一列为空", "", "最后一列有值"},
      {"=SUM(A1:A9)", "+86 138", "-5", "@user"},
      {"=HYPERLINK(\"http://x\",\"点我\")", "'已有单引号", "001", "3.14"},
      {repeat("长文本", 10'000), "多行\n文本\n第三行", "制表\t符", " 前后空格 "},
      {"控制字符\x01\x1F结束", "回车\r\n换行", "_x0041_ 与 _x005F_ 原样", "_x0041\x01"},
      {"&lt; <b>不是标签</b> & \"引号\" '单引号'", "😀 表情与生僻字 𠀀", "　全角空格　", "TRUE"},
      {"只有第一列"},
  };
}

TEST(RoundTrip, GivesBackTheSameTable) {
  const Rows rows = tricky_rows();
  auto bytes = xlsx_bytes("权责清单", kHeaders, rows);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto sheet = read_xlsx(*bytes);
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->name, "权责清单");
  ASSERT_EQ(sheet->rows.size(), rows.size() + 1);
  EXPECT_EQ(sheet->rows[0].number, 1u);
  EXPECT_EQ(sheet->rows[0].cells, kHeaders);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(sheet->rows[i + 1].number, i + 2);
    EXPECT_EQ(sheet->rows[i + 1].cells, trimmed(rows[i])) << "row " << i + 2;
  }
}

TEST(RoundTrip, ThroughAFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("xzzf-sheets-test-" + std::to_string(getpid()) + ".xlsx");
  auto written = write_xlsx(path, "表", kHeaders, tricky_rows());
  ASSERT_TRUE(written) << written.error().message;
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  auto sheet = read_xlsx(bytes);
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->rows.size(), tricky_rows().size() + 1);
}

TEST(RoundTrip, EmptyRowsAreLeftOutButNumbersKept) {
  auto bytes = xlsx_bytes("表", {"甲", "乙"}, {{"1", "2"}, {}, {"", ""}, {"3"}});
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto sheet = read_xlsx(*bytes);
  ASSERT_TRUE(sheet) << sheet.error().message;
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[2].number, 5u);
}

TEST(Writer, EveryCellIsAStringNeverAFormula) {
  auto bytes = xlsx_bytes("表", kHeaders, tricky_rows());
  ASSERT_TRUE(bytes) << bytes.error().message;
  const auto sheet_xml = testing::zip_entry(*bytes, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet_xml);
  EXPECT_EQ(sheet_xml->find("<f>"), std::string::npos);
  EXPECT_EQ(sheet_xml->find("<f "), std::string::npos);
  std::size_t cells = 0;
  for (auto at = sheet_xml->find("<c "); at != std::string::npos;
       at = sheet_xml->find("<c ", at + 1)) {
    const auto end = sheet_xml->find('>', at);
    EXPECT_NE(sheet_xml->substr(at, end - at).find("t=\"s\""), std::string::npos)
        << sheet_xml->substr(at, end - at);
    ++cells;
  }
  EXPECT_GT(cells, 20u);
}

TEST(Writer, BoldFrozenHeaderTextColumnsAndWidths) {
  auto bytes = xlsx_bytes("表", {"编码", "很长的说明文字列"}, {{"1", repeat("宽", 100)}});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const auto styles = testing::zip_entry(*bytes, "xl/styles.xml");
  const auto sheet_xml = testing::zip_entry(*bytes, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(styles && sheet_xml);
  EXPECT_NE(styles->find("<b/>"), std::string::npos);
  EXPECT_NE(styles->find("numFmtId=\"49\""), std::string::npos);  // "@", text
  EXPECT_NE(sheet_xml->find("<pane ySplit=\"1\""), std::string::npos);
  // 编码: at least the minimum width; the long column: capped, wrapped.
  EXPECT_NE(sheet_xml->find("<col min=\"1\" max=\"1\" width=\"8.7"), std::string::npos)
      << *sheet_xml;
  EXPECT_NE(sheet_xml->find("<col min=\"2\" max=\"2\" width=\"50.7"), std::string::npos)
      << *sheet_xml;
  EXPECT_NE(styles->find("wrapText=\"1\""), std::string::npos);
}

TEST(Writer, TemplateHeadersAndWidths) {
  Template tmpl{
      {{.key = "code", .header = "编码", .width = 20}, {.key = "name", .header = "名称"}}};
  auto bytes = xlsx_bytes("模板", tmpl, {});
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto sheet = read_xlsx(*bytes);
  ASSERT_TRUE(sheet) << sheet.error().message;
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(sheet->rows[0].cells, (std::vector<std::string>{"编码", "名称"}));
  const auto sheet_xml = testing::zip_entry(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet_xml->find("width=\"20.7"), std::string::npos) << *sheet_xml;
}

TEST(Writer, CellLongerThanExcelAllowsRefused) {
  auto ok = xlsx_bytes("表", {"甲"}, {{repeat("中", 32'767)}});
  EXPECT_TRUE(ok) << ok.error().message;
  auto r = xlsx_bytes("表", {"甲", "乙"}, {{"", repeat("中", 32'768)}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_string(), "sheets.cell_too_long");
  EXPECT_NE(r.error().message.find("第 2 行第 B 列"), std::string::npos) << r.error().message;
}

TEST(Writer, InvalidTextRefused) {
  auto r = xlsx_bytes("表", {"甲"}, {{"ok"}, {"\xFF\xFE"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_string(), "sheets.invalid_text");
  EXPECT_NE(r.error().message.find("第 3 行第 A 列"), std::string::npos) << r.error().message;
  auto nul = xlsx_bytes("表", {std::string("a\0b", 3)}, {});
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code_string(), "sheets.invalid_text");
}

TEST(Writer, BadSheetNamesRefused) {
  for (std::string name : {std::string(), std::string("a/b"), std::string("[表]"),
                           std::string("'引号'"), repeat("名", 32)}) {
    auto r = xlsx_bytes(name, {"甲"}, {});
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code_string(), "sheets.bad_sheet_name") << name;
  }
  EXPECT_TRUE(xlsx_bytes(repeat("名", 31), {"甲"}, {}));
}

TEST(Writer, UnwritablePathIsAnError) {
  auto r = write_xlsx("/nonexistent-folder/x.xlsx", "表", {"甲"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_string(), "sheets.write_failed");
}

}  // namespace
}  // namespace xzzf::sheets
