// Writes the seed corpus of sheets_read_fuzz into the folder given as the
// only argument (scripts/fuzz.sh --seed): small .xlsx files made by the
// writer, hand-made ones with every kind of cell, and the same cells as
// "parts" inputs (see sheets_read_fuzz.cpp).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sheets/writer.hpp"
#include "zip_util.hpp"

namespace {

using namespace xzzf::sheets;
namespace t = xzzf::sheets::testing;

void save(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

const std::string kCells =
    R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>)"
    R"(<row r="2"><c r="A2" t="inlineStr"><is><t>330-A-1</t></is></c><c r="B2" t="s"><v>3</v></c>)"
    R"(<c r="C2"><v>3.1400000000000001</v></c><c r="D2" t="b"><v>1</v></c></row>)"
    R"(<row><c t="str"><f>A1</f><v>x_x000D_y</v></c><c t="e"><v>#N/A</v></c><c/><c t="d"><v>2025-01-02</v></c></row>)";

const std::string kStrings =
    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<si><t>事项编码</t></si><si><t>事项名称</t></si><si><t>备注</t></si>)"
    R"(<si><r><rPr><b/></rPr><t>行政</t></r><r><t xml:space="preserve"> 处罚 &amp; &#x4E2D;</t></r><rPh><t>x</t></rPh></si></sst>)";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  const std::vector<std::string> headers = {"事项编码", "事项名称", "备注"};

  auto written = xlsx_bytes("清单", headers,
                            {{"330-A-1", "行政处罚", ""},
                             {"", "=SUM(A1)", "+86 -5 @x"},
                             {"_x0041_", "两\n行", "控制\x01字符"}});
  auto header_only = xlsx_bytes("模板", headers, {});
  if (!written || !header_only) {
    std::fprintf(stderr, "writing failed\n");
    return 1;
  }
  save(dir, "written.xlsx", *written);
  save(dir, "header-only.xlsx", *header_only);

  t::XlsxParts parts;
  parts.sheet_xml = t::worksheet(kCells);
  parts.shared_strings = kStrings;
  auto entries = t::xlsx_entries(parts);
  for (auto& e : entries) e.stored = true;
  save(dir, "cells-stored.xlsx", t::make_zip(entries));

  save(dir, "parts-cells.txt", t::worksheet(kCells) + "\n#part\n" + kStrings);
  save(
      dir, "parts-inline.txt",
      t::worksheet(
          R"(<row r="1"><c r="A1" t="inlineStr"><is><t>事项编码</t></is></c>)"
          R"(<c r="B1" t="inlineStr"><is><t>事项名称</t></is></c>)"
          R"(<c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>)"
          R"(<row r="3"><c r="A3" t="inlineStr"><is><t>1</t></is></c><c r="C3" t="inlineStr"><is><t>=1</t></is></c></row>)"));
  return 0;
}
