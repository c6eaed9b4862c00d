// Reading hand-made .xlsx files: every kind of cell, shared strings with rich
// text, positions implied or written, prefixed namespaces, the first
// worksheet found through the workbook's relationships.

#include "sheets/reader.hpp"

#include <gtest/gtest.h>

#include "zip_util.hpp"

namespace xzzf::sheets {
namespace {

using testing::make_xlsx;
using testing::make_zip;
using testing::XlsxParts;

std::vector<std::string> cells(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

TEST(ReadXlsx, EveryKindOfCell) {
  XlsxParts parts;
  parts.shared_strings = testing::shared_strings({"事项名称", "A &amp; B", " "});
  parts.sheet_xml = testing::worksheet(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>)"
      R"(<row r="2"><c r="A2"><v>3.1400000000000001</v></c><c r="B2" t="n"><v>-7</v></c>)"
      R"(<c r="C2" t="b"><v>1</v></c><c r="D2" t="b"><v>0</v></c><c r="E2" t="e"><v>#N/A</v></c></row>)"
      R"(<row r="3"><c r="A3" t="inlineStr"><is><t>行内文字</t></is></c>)"
      R"(<c r="B3" t="str"><f>A1&amp;"x"</f><v>计算结果</v></c><c r="C3"><f>1+1</f><v>2</v></c>)"
      R"(<c r="D3" t="d"><v>2025-01-02T00:00:00</v></c></row>)");
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->name, "表1");
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[0].number, 1u);
  EXPECT_EQ(sheet->rows[0].cells, cells({"事项名称", "A & B", " "}));
  EXPECT_EQ(sheet->rows[1].cells, cells({"3.1400000000000001", "-7", "TRUE", "FALSE", "#N/A"}));
  // A formula gives its cached value, never the formula.
  EXPECT_EQ(sheet->rows[2].cells, cells({"行内文字", "计算结果", "2", "2025-01-02T00:00:00"}));
}

TEST(ReadXlsx, RichTextRunsJoinedAndPhoneticsLeftOut) {
  XlsxParts parts;
  parts.shared_strings =
      std::string(R"(<sst xmlns=")") + std::string(testing::kMainNs) +
      R"("><si><r><rPr><b/></rPr><t>加粗</t></r><r><t xml:space="preserve"> 普通</t></r>)"
      R"(<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si></sst>)";
  parts.sheet_xml = testing::worksheet(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)");
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->rows[0].cells, cells({"加粗 普通"}));
}

TEST(ReadXlsx, EscapesOfOoxmlStringsDecoded) {
  XlsxParts parts;
  parts.shared_strings = testing::shared_strings(
      {"a_x000D_b", "_x005F_x0041_", "_x0041_", "_x0000_", "_xD83D__xDE00_"});
  parts.sheet_xml = testing::worksheet(
      R"(<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c>)"
      R"(<c t="s"><v>3</v></c><c t="s"><v>4</v></c></row>)");
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  // "_x0000_" is no character: kept as written.
  EXPECT_EQ(sheet->rows[0].cells, cells({"a\rb", "_x0041_", "A", "_x0000_", "\xF0\x9F\x98\x80"}));
}

TEST(ReadXlsx, PositionsImpliedWhenNotWrittenAndEmptyRowsLeftOut) {
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet(
      R"(<row><c t="inlineStr"><is><t>a</t></is></c><c/><c t="inlineStr"><is><t>c</t></is></c></row>)"
      R"(<row r="3"><c r="A3" s="1"/></row>)"
      R"(<row><c r="B4" t="inlineStr"><is><t>b</t></is></c><c t="inlineStr"><is><t>c</t></is></c></row>)");
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  ASSERT_EQ(sheet->rows.size(), 2u);
  EXPECT_EQ(sheet->rows[0].number, 1u);
  EXPECT_EQ(sheet->rows[0].cells, cells({"a", "", "c"}));
  EXPECT_EQ(sheet->rows[1].number, 4u);
  EXPECT_EQ(sheet->rows[1].cells, cells({"", "b", "c"}));
}

TEST(ReadXlsx, NamespacePrefixesAndByteOrderMark) {
  XlsxParts parts;
  parts.sheet_xml =
      std::string("\xEF\xBB\xBF") + R"(<x:worksheet xmlns:x=")" + std::string(testing::kMainNs) +
      R"("><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>)";
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->rows[0].cells, cells({"前缀"}));
}

TEST(ReadXlsx, FirstWorksheetFoundThroughTheWorkbookNotTheFileName) {
  // The first tab is a chart sheet; the second tab's worksheet is stored as
  // sheet9.xml, the third's as sheet1.xml. The table is on the second tab.
  const std::string rels = testing::relationship("rId7", "chartsheet", "chartsheets/sheet1.xml") +
                           testing::relationship("rId8", "worksheet", "/xl/worksheets/sheet9.xml") +
                           testing::relationship("rId9", "worksheet", "worksheets/sheet1.xml");
  const std::string bytes = make_zip({
      {"_rels/.rels", testing::package_rels("/book/main.xml")},
      {"book/main.xml", testing::workbook_xml(R"(<sheet name="图表" sheetId="3" r:id="rId7"/>)"
                                              R"(<sheet name="清单" sheetId="2" r:id="rId8"/>)"
                                              R"(<sheet name="其他" sheetId="1" r:id="rId9"/>)")},
      {"book/_rels/main.xml.rels", testing::workbook_rels(rels)},
      {"book/chartsheets/sheet1.xml", "<chartsheet/>"},
      {"xl/worksheets/sheet9.xml",
       testing::worksheet(
           R"(<row r="1"><c r="A1" t="inlineStr"><is><t>第二个</t></is></c></row>)")},
      {"book/worksheets/sheet1.xml",
       testing::worksheet(
           R"(<row r="1"><c r="A1" t="inlineStr"><is><t>第三个</t></is></c></row>)")},
  });
  auto sheet = read_xlsx(bytes);
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->name, "清单");
  EXPECT_EQ(sheet->rows[0].cells, cells({"第二个"}));
}

TEST(ReadXlsx, EmptySheetHasNoRows) {
  XlsxParts parts;
  parts.sheet_xml = R"(<worksheet xmlns="x"><sheetData/></worksheet>)";
  auto sheet = read_xlsx(make_xlsx(parts));
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_TRUE(sheet->rows.empty());
}

TEST(ColumnName, AsSpreadsheetsNameThem) {
  EXPECT_EQ(column_name(1), "A");
  EXPECT_EQ(column_name(26), "Z");
  EXPECT_EQ(column_name(27), "AA");
  EXPECT_EQ(column_name(200), "GR");
  EXPECT_EQ(column_name(16384), "XFD");
}

}  // namespace
}  // namespace xzzf::sheets
