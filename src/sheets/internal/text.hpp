#pragma once

// Text helpers private to sheets/: UTF-8 checks and counts, column letters and
// cell references, and the _xHHHH_ escapes of OOXML strings (ST_Xstring).
// Pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xzzf::sheets::internal {

// The largest row and column numbers a worksheet may have (Excel's grid).
inline constexpr std::uint32_t kMaxSheetRow = 1'048'576;
inline constexpr std::uint32_t kMaxSheetColumn = 16'384;

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view text);

// The number of code points of well-formed UTF-8 text: what a user counts as
// characters (字), one for 中 as for A.
[[nodiscard]] std::size_t char_count(std::string_view text);

// The number of UTF-16 code units: what Excel counts against its cell limit.
[[nodiscard]] std::size_t utf16_length(std::string_view text);

// Columns as a spreadsheet shows them: 1 → "A", 27 → "AA". `column` is 1-based.
[[nodiscard]] std::string column_letters(std::uint32_t column);

// A cell reference split into its 1-based column and row.
struct CellRef {
  std::uint32_t column = 0;
  std::uint32_t row = 0;
};

// "B7" → {2, 7}. nullopt for anything that is not upper-case letters followed
// by a decimal row number without leading zero, inside Excel's grid.
[[nodiscard]] std::optional<CellRef> parse_cell_ref(std::string_view text);

// A row number as written in <row r="…">: decimal, 1 to kMaxSheetRow.
[[nodiscard]] std::optional<std::uint32_t> parse_row_number(std::string_view text);

// Decodes _xHHHH_ escapes (ECMA-376 ST_Xstring): "_x000D_" → "\r", "_x005F_" → "_".
// An escape that would not give a valid, non-NUL character is kept as written.
[[nodiscard]] std::string decode_xstring(std::string_view text);

// The inverse, for text a writer puts in a string cell: control characters
// other than tab and line feed become _xHHHH_ (XML cannot carry them, and a
// carriage return would not survive line-end normalization), and every "_"
// that would start an escape in the result becomes "_x005F_", so that
// decode_xstring gives back the text exactly. NUL must not occur in `text`.
[[nodiscard]] std::string encode_xstring(std::string_view text);

// Width of text in a fixed-pitch cell: 2 for East Asian wide characters, 1 otherwise.
[[nodiscard]] std::size_t display_width(std::string_view text);

}  // namespace xzzf::sheets::internal
