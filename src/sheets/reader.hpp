#pragma once

// Reading the first worksheet of an .xlsx file (Office Open XML, ECMA-376)
// from memory, as a table of strings.
//
// The file is untrusted: it comes from an upload. Every size is bounded by
// `Limits` before memory is spent on it — the file itself, the number of zip
// entries, each entry's declared size and the bytes actually inflated (a zip
// bomb lies about its sizes), the XML tags of each part (which bound the
// parsed tree) and the rows and columns of the sheet. XML document types and
// entity declarations are refused, so nothing expands. Any violation is an
// Error with a sheets.* code and a message for the user; nothing is ever
// partly returned.
//
// What is read: the workbook named by _rels/.rels, its first sheet that is a
// worksheet (the first tab, through workbook.xml and its relationships, not by
// guessing a file name), and the shared strings the workbook relates to.
// Each cell's text: shared and inline strings as written (rich-text runs
// joined, _xHHHH_ escapes decoded); numbers, dates and errors as the file
// writes them ("3.14", "45292", "#N/A"); booleans as "TRUE"/"FALSE"; for a
// formula its cached value, never the formula. Styles and number formats are
// not applied: a date typed into Excel comes back as its serial number
// unless the column is formatted as text (the templates write_xlsx produces
// are).
//
// Pure functions of their arguments: safe to call from several threads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xzzf::sheets {

// Bounds on what a reader accepts. The defaults suit an import of up to
// 10,000 rows from an upload; the memory a read may take is about
// max_file_bytes + max_uncompressed_bytes + 70 bytes per XML tag of the
// largest part (the parsed tree).
struct Limits {
  std::size_t max_file_bytes = 32 * 1024 * 1024;  // the .xlsx file as uploaded
  std::size_t max_entries = 1'000;                // zip entries (parts) of the file
  // Inflated bytes of all the parts read, counted both from the declared
  // sizes and while inflating.
  std::uint64_t max_uncompressed_bytes = 64 * 1024 * 1024;
  std::size_t max_xml_tags = 4'000'000;  // '<' of one XML part, checked before parsing
  std::size_t max_rows = 10'000;         // non-empty rows after the first (the header)
  std::uint32_t max_columns = 200;       // rightmost column holding a value
  // read_table: the row-by-row report stops after this many issues
  // (Table::report_truncated), since nothing is imported anyway.
  std::size_t max_issues = 1'000;
};

// One non-empty row of a sheet. cells[0] is column A; the vector ends at the
// row's last non-empty cell, so rows differ in length.
struct SheetRow {
  std::uint32_t number = 0;  // 1-based row number, as the spreadsheet shows it
  std::vector<std::string> cells;
};

// The first worksheet of a workbook: its tab name and its non-empty rows in
// order (rows with no text at all are left out, so numbers may skip).
struct Sheet {
  std::string name;
  std::vector<SheetRow> rows;
};

// Reads the first worksheet of the .xlsx file held in `bytes`.
// Errors: sheets.file_too_large, sheets.not_xlsx, sheets.too_many_entries,
// sheets.missing_part, sheets.too_large, sheets.too_complex, sheets.bad_xml,
// sheets.bad_reference, sheets.bad_shared_string, sheets.too_many_rows,
// sheets.too_many_columns.
[[nodiscard]] Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits = {});

// "A" for column 1, "AA" for 27: how a spreadsheet names a 1-based column.
[[nodiscard]] std::string column_name(std::uint32_t column);

}  // namespace xzzf::sheets
