// libFuzzer target of the .xlsx reader (scripts/fuzz.sh runs it).
//
// An input starting with "PK" is taken as a whole .xlsx file: the zip layer,
// the relationships and every part are fuzzed together. Any other input is
// the XML of the parts, separated by lines "#part": the worksheet, then
// optionally the shared strings, the workbook and the workbook's
// relationships; the target packs them into a well-formed zip (stored, so the
// CRCs hold), which lets the fuzzer work on the XML directly instead of on
// compressed bytes.
//
// Beyond "no crash, no sanitizer report", a successful read must keep the
// promises of reader.hpp: limits kept, rows in order, every cell valid UTF-8.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sheets/csv.hpp"
#include "sheets/internal/text.hpp"
#include "sheets/reader.hpp"
#include "sheets/table.hpp"
#include "zip_util.hpp"

namespace {

using namespace xzzf::sheets;

constexpr std::string_view kSeparator = "\n#part\n";

// Small enough that one input never takes long; large enough for every path.
Limits fuzz_limits() {
  Limits limits;
  limits.max_file_bytes = 4 * 1024 * 1024;
  limits.max_uncompressed_bytes = 8 * 1024 * 1024;
  limits.max_xml_tags = 200'000;
  limits.max_rows = 2'000;
  limits.max_columns = 64;
  limits.max_issues = 100;
  return limits;
}

const Template& fuzz_template() {
  static const Template tmpl{{
      {.key = "code", .header = "事项编码", .required = true, .max_length = 20},
      {.key = "name", .header = "事项名称", .required = true},
      {.key = "note",
       .header = "备注",
       .max_length = 5,
       .validator = [](std::string_view v) -> std::optional<std::string> {
         if (v.front() == '=') return "不能以等号开头";
         return std::nullopt;
       }},
  }};
  return tmpl;
}

void check(bool ok) {
  if (!ok) std::abort();
}

std::string pack_parts(std::string_view input) {
  std::vector<std::string> parts;
  while (true) {
    const auto at = input.find(kSeparator);
    parts.emplace_back(input.substr(0, at));
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + kSeparator.size());
  }
  namespace t = xzzf::sheets::testing;
  const bool has_strings = parts.size() > 1;
  std::string rels = t::relationship("rId1", "worksheet", "worksheets/sheet1.xml");
  if (has_strings) rels += t::relationship("rId2", "sharedStrings", "sharedStrings.xml");
  std::vector<t::Entry> entries = {
      {"_rels/.rels", t::package_rels(), true},
      {"xl/workbook.xml",
       parts.size() > 2 ? parts[2]
                        : t::workbook_xml(R"(<sheet name="表1" sheetId="1" r:id="rId1"/>)"),
       true},
      {"xl/_rels/workbook.xml.rels", parts.size() > 3 ? parts[3] : t::workbook_rels(rels), true},
      {"xl/worksheets/sheet1.xml", parts[0], true},
  };
  if (has_strings) entries.push_back({"xl/sharedStrings.xml", parts[1], true});
  return t::make_zip(entries);
}

void check_sheet(const Sheet& sheet, const Limits& limits) {
  check(sheet.rows.size() <= limits.max_rows + 1);
  check(internal::valid_utf8(sheet.name));
  std::uint32_t last = 0;
  for (const auto& row : sheet.rows) {
    check(row.number > last && row.number <= internal::kMaxSheetRow);
    last = row.number;
    check(!row.cells.empty() && row.cells.size() <= limits.max_columns);
    check(!row.cells.back().empty());
    for (const auto& cell : row.cells) check(internal::valid_utf8(cell));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Limits limits = fuzz_limits();
  std::string packed;
  std::string_view bytes = input;
  if (input.substr(0, 2) != "PK") {
    if (size > 1024 * 1024) return -1;
    packed = pack_parts(input);
    bytes = packed;
  }
  auto sheet = read_xlsx(bytes, limits);
  if (!sheet) {
    check(!sheet.error().message.empty() && internal::valid_utf8(sheet.error().message));
    return 0;
  }
  check_sheet(*sheet, limits);
  auto table = read_table(*sheet, fuzz_template(), limits);
  if (table) {
    check(table->report.size() <= limits.max_issues);
    for (const auto& row : table->rows) check(row.values.size() == 3);
    Rows rows;
    for (const auto& row : table->rows) rows.push_back(row.values);
    check(!write_csv(fuzz_template(), rows).empty());
  } else {
    check(internal::valid_utf8(table.error().message));
  }
  return 0;
}
