#pragma once

// CSV export of a table of strings, safe to open in a spreadsheet.
//
// A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage
// return) as a formula (CSV injection): such a cell is written with a single
// quote in front ('=1+1), which spreadsheets show as text. Cells are quoted
// as RFC 4180 says when they hold a comma, a double quote or a line break.
// The file starts with a UTF-8 byte order mark and ends lines with CRLF, so
// that Excel on a Chinese Windows reads the Chinese text as UTF-8.
//
// Pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "sheets/table.hpp"
#include "sheets/writer.hpp"

namespace xzzf::sheets {

// One cell as it goes into a CSV line: "=SUM(A1)" → "'=SUM(A1)"; "a,b" →
// "\"a,b\""; "-5" → "'-5" (a negative number comes back as text).
[[nodiscard]] std::string csv_escape_cell(std::string_view cell);

// The whole file: BOM, header line, one line per row (CRLF), every cell escaped.
[[nodiscard]] std::string write_csv(const std::vector<std::string>& headers, const Rows& rows);
[[nodiscard]] std::string write_csv(const Template& tmpl, const Rows& rows);

}  // namespace xzzf::sheets
