// CSV export: formula-looking cells neutralized, RFC 4180 quoting, a BOM and
// CRLF for Excel.

#include "sheets/csv.hpp"

#include <gtest/gtest.h>

namespace xzzf::sheets {
namespace {

TEST(CsvEscapeCell, FormulaStartsGetAQuote) {
  EXPECT_EQ(csv_escape_cell("=1+1"), "'=1+1");
  EXPECT_EQ(csv_escape_cell("+86"), "'+86");
  EXPECT_EQ(csv_escape_cell("-5"), "'-5");
  EXPECT_EQ(csv_escape_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_escape_cell("\t=1"), "'\t=1");
  EXPECT_EQ(csv_escape_cell("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(csv_escape_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
}

TEST(CsvEscapeCell, OrdinaryCellsUntouchedOrQuoted) {
  EXPECT_EQ(csv_escape_cell(""), "");
  EXPECT_EQ(csv_escape_cell("行政处罚"), "行政处罚");
  EXPECT_EQ(csv_escape_cell("1=1"), "1=1");
  EXPECT_EQ(csv_escape_cell(" =1"), " =1");
  EXPECT_EQ(csv_escape_cell("'已有"), "'已有");
  EXPECT_EQ(csv_escape_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape_cell("说\"明\""), "\"说\"\"明\"\"\"");
  EXPECT_EQ(csv_escape_cell("两\n行"), "\"两\n行\"");
}

TEST(WriteCsv, BomHeaderRowsCrlf) {
  const std::string csv = write_csv({"编码", "名称"}, {{"001", "=cmd|' /C calc'!A0"}, {"-1"}});
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "编码,名称\r\n"
            "001,'=cmd|' /C calc'!A0\r\n"
            "'-1\r\n");
}

TEST(WriteCsv, FromATemplate) {
  Template tmpl{{{.key = "a", .header = "+甲"}, {.key = "b", .header = "乙,丙"}}};
  EXPECT_EQ(write_csv(tmpl, {}), "\xEF\xBB\xBF'+甲,\"乙,丙\"\r\n");
}

}  // namespace
}  // namespace xzzf::sheets
