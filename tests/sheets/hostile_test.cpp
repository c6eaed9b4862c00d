// Hostile and broken files: each refused cleanly, with its sheets.* code and
// a message for the user, without spending memory the limits do not allow.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "sheets/reader.hpp"
#include "zip_util.hpp"

namespace xzzf::sheets {
namespace {

using testing::make_xlsx;
using testing::make_zip;
using testing::XlsxParts;

std::string code_of(const Result<Sheet>& r) {
  return r ? std::string("(ok)") : std::string(r.error().code_string());
}

std::string inline_cell(std::string_view ref, std::string_view text) {
  return "<c r=\"" + std::string(ref) + "\" t=\"inlineStr\"><is><t>" + std::string(text) +
         "</t></is></c>";
}

std::string with_sheet(std::string sheet_data) {
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet(sheet_data);
  return make_xlsx(parts);
}

// Peak resident memory of this process so far, in bytes.
long peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

TEST(Hostile, NotAZipArchive) {
  auto r = read_xlsx("这不是 Excel 文件，只是一段文字");
  EXPECT_EQ(code_of(r), "sheets.not_xlsx");
  EXPECT_NE(r.error().message.find("不是 zip 格式"), std::string::npos) << r.error().message;
  EXPECT_EQ(code_of(read_xlsx("")), "sheets.not_xlsx");
  EXPECT_EQ(code_of(read_xlsx("PK\x03\x04garbage")), "sheets.not_xlsx");
}

TEST(Hostile, OldExcelFileNamedAsSuch) {
  auto r = read_xlsx(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  EXPECT_EQ(code_of(r), "sheets.not_xlsx");
  EXPECT_NE(r.error().message.find(".xls"), std::string::npos) << r.error().message;
}

TEST(Hostile, TruncatedFile) {
  const std::string bytes = with_sheet("<row r=\"1\">" + inline_cell("A1", "x") + "</row>");
  EXPECT_EQ(code_of(read_xlsx(bytes.substr(0, bytes.size() / 2))), "sheets.not_xlsx");
}

TEST(Hostile, MissingParts) {
  const std::string sheet = testing::worksheet("");
  XlsxParts parts;
  parts.sheet_xml = sheet;
  auto entries = testing::xlsx_entries(parts);

  const auto without = [&](std::string_view name) {
    std::vector<testing::Entry> kept;
    for (const auto& e : entries) {
      if (e.name != name) kept.push_back(e);
    }
    return read_xlsx(make_zip(kept));
  };
  for (const char* name : {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml"}) {
    auto r = without(name);
    EXPECT_EQ(code_of(r), "sheets.missing_part") << name;
    if (!r) {
      EXPECT_NE(r.error().message.find(name), std::string::npos) << r.error().message;
    }
  }

  // Related but absent shared strings.
  parts.shared_strings = testing::shared_strings({"x"});
  entries = testing::xlsx_entries(parts);
  EXPECT_EQ(code_of(without("xl/sharedStrings.xml")), "sheets.missing_part");

  // No officeDocument relationship; a workbook without a worksheet.
  EXPECT_EQ(code_of(read_xlsx(make_zip({{"_rels/.rels", testing::workbook_rels("")}}))),
            "sheets.missing_part");
  EXPECT_EQ(
      code_of(read_xlsx(make_zip({{"_rels/.rels", testing::package_rels()},
                                  {"xl/workbook.xml", testing::workbook_xml("")},
                                  {"xl/_rels/workbook.xml.rels", testing::workbook_rels("")}}))),
      "sheets.missing_part");
}

TEST(Hostile, RelationshipLeavingThePackage) {
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet("");
  auto entries = testing::xlsx_entries(parts);
  for (auto& e : entries) {
    if (e.name == "xl/_rels/workbook.xml.rels") {
      e.content = testing::workbook_rels(
          testing::relationship("rId1", "worksheet", "../../../../etc/passwd"));
    }
  }
  EXPECT_EQ(code_of(read_xlsx(make_zip(entries))), "sheets.missing_part");
}

TEST(Hostile, MoreRowsThanTheLimit) {
  std::string data;
  for (int r = 1; r <= 12; ++r) {
    data += "<row r=\"" + std::to_string(r) + "\">" +
            inline_cell("A" + std::to_string(r), "行" + std::to_string(r)) + "</row>";
  }
  const std::string bytes = with_sheet(data);
  Limits limits;
  limits.max_rows = 11;  // the header and 11 rows
  EXPECT_TRUE(read_xlsx(bytes, limits));
  limits.max_rows = 10;
  auto r = read_xlsx(bytes, limits);
  EXPECT_EQ(code_of(r), "sheets.too_many_rows");
  EXPECT_EQ(r.error().kind(), ErrorKind::kTooLarge);
  EXPECT_NE(r.error().message.find("10 行"), std::string::npos) << r.error().message;
}

TEST(Hostile, MoreColumnsThanTheLimit) {
  const std::string bytes = with_sheet("<row r=\"1\">" + inline_cell("A1", "a") +
                                       inline_cell("GS1", "第 201 列") + "</row>");
  auto r = read_xlsx(bytes);
  EXPECT_EQ(code_of(r), "sheets.too_many_columns");
  EXPECT_NE(r.error().message.find("GS1"), std::string::npos) << r.error().message;
  // An empty, merely formatted cell out there does not count.
  EXPECT_TRUE(read_xlsx(
      with_sheet("<row r=\"1\">" + inline_cell("A1", "a") + "<c r=\"XFD1\" s=\"3\"/></row>")));
}

TEST(Hostile, ZipBombRefusedByItsDeclaredSizeWithoutInflating) {
  // 200 MB of spaces inside a worksheet: about 200 KB compressed.
  constexpr std::uint64_t kSize = 200ull * 1000 * 1000;
  XlsxParts parts;
  auto entries = testing::xlsx_entries(parts);
  entries.pop_back();  // the sheet comes from the generator
  const std::string bytes = make_zip(
      entries,
      {{"xl/worksheets/sheet1.xml", kSize,
        std::string(R"(<worksheet xmlns=")") + std::string(testing::kMainNs) + R"("><sheetData>)",
        ' ', "</sheetData></worksheet>"}});
  EXPECT_LT(bytes.size(), 1'000'000u);

  const long before = peak_rss();
  const auto start = std::chrono::steady_clock::now();
  auto r = read_xlsx(bytes);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(code_of(r), "sheets.too_large");
  EXPECT_EQ(r.error().kind(), ErrorKind::kTooLarge);
  EXPECT_NE(r.error().message.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_LT(peak_rss() - before, 16L * 1024 * 1024);
  EXPECT_LT(elapsed, std::chrono::seconds(2));

  // The same bomb whose directory claims 1,000 bytes: caught while inflating,
  // at the limit.
  std::string liar = bytes;
  testing::patch_declared_size(liar, "xl/worksheets/sheet1.xml", 1000);
  Limits limits;
  limits.max_uncompressed_bytes = 4 * 1024 * 1024;
  const long before_liar = peak_rss();
  auto lie = read_xlsx(liar, limits);
  EXPECT_EQ(code_of(lie), "sheets.too_large");
  EXPECT_LT(peak_rss() - before_liar, 16L * 1024 * 1024);
}

TEST(Hostile, DeclaredSizeThatLies) {
  const std::string sheet =
      testing::worksheet("<row r=\"1\">" + inline_cell("A1", "真实内容") + "</row>");
  XlsxParts parts;
  parts.sheet_xml = sheet;
  std::string bytes = make_xlsx(parts);
  testing::patch_declared_size(bytes, "xl/worksheets/sheet1.xml", 10);
  // Under the limit the lie still marks a tampered file, never a truncated sheet…
  auto r = read_xlsx(bytes);
  EXPECT_EQ(code_of(r), "sheets.not_xlsx");
  EXPECT_NE(r.error().message.find("声明的大小与实际内容不符"), std::string::npos)
      << r.error().message;
  // …and a limit between the declared and the true size is kept while inflating.
  Limits limits;
  std::uint64_t others = 0;
  for (const auto& e : testing::xlsx_entries(parts)) {
    if (e.name != "xl/worksheets/sheet1.xml" && e.name != "[Content_Types].xml") {
      others += e.content.size();
    }
  }
  limits.max_uncompressed_bytes = others + sheet.size() / 2;
  auto over = read_xlsx(bytes, limits);
  EXPECT_EQ(code_of(over), "sheets.too_large");
}

TEST(Hostile, TotalOfAllPartsCounts) {
  XlsxParts parts;
  parts.shared_strings = testing::shared_strings({std::string(3000, 'x')});
  parts.sheet_xml = testing::worksheet(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)");
  const std::string bytes = make_xlsx(parts);
  Limits limits;
  limits.max_uncompressed_bytes = 3500;
  auto r = read_xlsx(bytes, limits);
  EXPECT_EQ(code_of(r), "sheets.too_large");
}

TEST(Hostile, FileAndEntryCountLimits) {
  const std::string bytes = with_sheet("<row r=\"1\">" + inline_cell("A1", "x") + "</row>");
  Limits limits;
  limits.max_file_bytes = bytes.size() - 1;
  EXPECT_EQ(code_of(read_xlsx(bytes, limits)), "sheets.file_too_large");
  limits = {};
  limits.max_entries = 4;
  EXPECT_EQ(code_of(read_xlsx(bytes, limits)), "sheets.too_many_entries");
}

TEST(Hostile, TooManyTagsRefusedBeforeParsing) {
  std::string data = "<row r=\"1\">";
  for (int i = 0; i < 100; ++i) data += "<c/>";
  data += "</row>";
  Limits limits;
  limits.max_xml_tags = 50;
  auto r = read_xlsx(with_sheet(data), limits);
  EXPECT_EQ(code_of(r), "sheets.too_complex");
}

TEST(Hostile, BrokenXml) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unclosed tag", testing::worksheet("<row r=\"1\">" + inline_cell("A1", "x"))},
      {"mismatched tag", testing::worksheet("<row r=\"1\"></c></row>")},
      {"unknown entity",
       testing::worksheet("<row r=\"1\">" + inline_cell("A1", "&foo;") + "</row>")},
      {"bare ampersand",
       testing::worksheet("<row r=\"1\">" + inline_cell("A1", "a & b") + "</row>")},
      {"reference to NUL",
       testing::worksheet("<row r=\"1\">" + inline_cell("A1", "&#0;") + "</row>")},
      {"entity declaration",
       R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>)"
       R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>)"},
      {"external entity",
       R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet>&xxe;</worksheet>)"},
      {"invalid UTF-8",
       testing::worksheet("<row r=\"1\">" + inline_cell("A1", "\xC3\x28") + "</row>")},
      {"NUL byte",
       testing::worksheet("<row r=\"1\">" + inline_cell("A1", std::string("a\0b", 3)) + "</row>")},
      {"not XML", "just text"},
      {"unterminated comment", testing::worksheet("<!-- no end")},
      {"wrong root", "<workbook/>"},
      {"unknown cell type",
       testing::worksheet(R"(<row r="1"><c r="A1" t="zz"><v>1</v></c></row>)")},
  };
  for (const auto& [what, xml] : cases) {
    XlsxParts parts;
    parts.sheet_xml = xml;
    auto r = read_xlsx(make_xlsx(parts));
    EXPECT_EQ(code_of(r), "sheets.bad_xml") << what;
    if (!r) {
      EXPECT_NE(r.error().message.find("xl/worksheets/sheet1.xml"), std::string::npos)
          << what << ": " << r.error().message;
    }
  }
}

TEST(Hostile, BrokenXmlInEveryPart) {
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet("");
  parts.shared_strings = testing::shared_strings({"x"});
  for (const char* name :
       {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"}) {
    auto entries = testing::xlsx_entries(parts);
    for (auto& e : entries) {
      if (e.name == name) e.content = "<a><b></a>";
    }
    EXPECT_EQ(code_of(read_xlsx(make_zip(entries))), "sheets.bad_xml") << name;
  }
}

TEST(Hostile, SharedStringIndexOutOfRange) {
  for (const char* index : {"2", "-1", "abc", "99999999999999999999", ""}) {
    XlsxParts parts;
    parts.shared_strings = testing::shared_strings({"a", "b"});
    parts.sheet_xml = testing::worksheet(std::string(R"(<row r="1"><c r="C1" t="s"><v>)") + index +
                                         "</v></c></row>");
    auto r = read_xlsx(make_xlsx(parts));
    EXPECT_EQ(code_of(r), "sheets.bad_shared_string") << index;
    if (!r) {
      EXPECT_NE(r.error().message.find("C1"), std::string::npos) << r.error().message;
    }
  }
  // No shared strings part at all.
  EXPECT_EQ(code_of(read_xlsx(with_sheet(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"))),
            "sheets.bad_shared_string");
}

TEST(Hostile, CellReferencesThatMakeNoSense) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"row zero", "<row r=\"0\">" + inline_cell("A0", "x") + "</row>"},
      {"row past the grid", "<row r=\"1048577\"></row>"},
      {"row not a number", "<row r=\"一\"></row>"},
      {"cell row zero", "<row r=\"1\">" + inline_cell("A0", "x") + "</row>"},
      {"digits first", "<row r=\"1\">" + inline_cell("1A", "x") + "</row>"},
      {"lower case", "<row r=\"1\">" + inline_cell("a1", "x") + "</row>"},
      {"column past the grid", "<row r=\"1\">" + inline_cell("XFE1", "x") + "</row>"},
      {"four letters", "<row r=\"1\">" + inline_cell("AAAA1", "x") + "</row>"},
      {"cell in another row", "<row r=\"1\">" + inline_cell("B7", "x") + "</row>"},
      {"columns backwards",
       "<row r=\"1\">" + inline_cell("C1", "x") + inline_cell("B1", "y") + "</row>"},
      {"column twice",
       "<row r=\"1\">" + inline_cell("B1", "x") + inline_cell("B1", "y") + "</row>"},
      {"rows backwards", "<row r=\"5\"></row><row r=\"3\"></row>"},
      {"row twice", "<row r=\"2\"></row><row r=\"2\"></row>"},
      {"leading zero", "<row r=\"01\"></row>"},
  };
  for (const auto& [what, data] : cases) {
    auto r = read_xlsx(with_sheet(data));
    EXPECT_EQ(code_of(r), "sheets.bad_reference") << what;
  }
}

TEST(Hostile, EncryptedEntryRefused) {
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet("<row r=\"1\">" + inline_cell("A1", "机密") + "</row>");
  auto entries = testing::xlsx_entries(parts);
  entries.back().encrypted = true;
  auto r = read_xlsx(make_zip(entries));
  EXPECT_EQ(code_of(r), "sheets.not_xlsx");
  EXPECT_NE(r.error().message.find("已加密"), std::string::npos) << r.error().message;
}

TEST(ReadXlsxStored, EntriesWithoutCompressionAreRead) {
  // Some tools store the parts without compressing them.
  XlsxParts parts;
  parts.sheet_xml = testing::worksheet("<row r=\"1\">" + inline_cell("A1", "存储") + "</row>");
  auto entries = testing::xlsx_entries(parts);
  for (auto& e : entries) e.stored = true;
  auto r = read_xlsx(make_zip(entries));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows[0].cells, std::vector<std::string>{"存储"});
}

}  // namespace
}  // namespace xzzf::sheets
