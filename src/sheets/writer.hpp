#pragma once

// Writing a table of strings as an .xlsx file (libxlsxwriter): one worksheet,
// a bold header row that stays in view (frozen), column widths fitted to the
// content (wide for Chinese text, capped, long text wrapped), every column
// formatted as text and every cell written as a string — never a formula or
// a number, so "=1+1" and "001" stay what they are and a user filling the
// blank template in Excel types text, not dates and numbers.
//
// read_xlsx gives back exactly what was written: any UTF-8 text, control
// characters and "_x0041_"-like text included (they are escaped as OOXML
// escapes them); empty cells read back empty.
//
// libxlsxwriter writes to files only: xlsx_bytes writes a temporary file
// (under the system's temporary folder, TMPDIR) and reads it back, for the
// HTTP layer that answers with bytes.
//
// Safe to call from several threads (each call has its own workbook).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "sheets/table.hpp"

namespace xzzf::sheets {

// Rows of cells in column order; a row may be shorter than the header row.
using Rows = std::vector<std::vector<std::string>>;

// Excel's limit on the text of one cell, in UTF-16 code units (字).
inline constexpr std::size_t kMaxCellLength = 32'767;

// Writes `rows` under the template's headers (its widths where given) to `path`.
// Errors: sheets.bad_sheet_name (empty, over 31 characters, []:*?/\ or
// apostrophes at either end), sheets.invalid_text (not UTF-8, or NUL) and
// sheets.cell_too_long (with the row and column), sheets.write_failed.
[[nodiscard]] Result<void> write_xlsx(const std::filesystem::path& path,
                                      std::string_view sheet_name, const Template& tmpl,
                                      const Rows& rows);

// The same with plain headers.
[[nodiscard]] Result<void> write_xlsx(const std::filesystem::path& path,
                                      std::string_view sheet_name,
                                      const std::vector<std::string>& headers, const Rows& rows);

// The bytes of the .xlsx file write_xlsx would write.
[[nodiscard]] Result<std::string> xlsx_bytes(std::string_view sheet_name, const Template& tmpl,
                                             const Rows& rows);
[[nodiscard]] Result<std::string> xlsx_bytes(std::string_view sheet_name,
                                             const std::vector<std::string>& headers,
                                             const Rows& rows);

}  // namespace xzzf::sheets
