#pragma once

// Templates (导入模板) and the import mechanism built on them: a spreadsheet
// whose header row must match a template exactly, read into rows of strings,
// with a row-by-row report of every invalid cell.
//
// A Template is the ordered list of the columns an import expects, each with
// the caller's key, the Chinese header users see, whether it is required, a
// maximum length in characters and an optional validator. The same template
// writes the blank form users fill in (write_xlsx in writer.hpp) and reads it
// back (read_table), so the two cannot drift apart.
//
// The rule every caller keeps: nothing is imported unless Table::report is
// empty. read_table fails outright (an Error) when the file cannot be taken
// at all — not an .xlsx, hostile, empty, wrong headers; otherwise it returns
// every row together with the report, so that users can fix all their
// mistakes in one go.
//
// This module knows nothing of what the rows mean (power items, officers …):
// validators carry that knowledge in from the caller.
//
// Templates and tables are plain values. read_table is safe to call from
// several threads as long as the validators are.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "sheets/reader.hpp"

namespace xzzf::sheets {

// Checks one non-empty cell: nullopt when the value is acceptable, else what
// is wrong with it, in Chinese, for the user (e.g. "日期格式应为 YYYY-MM-DD").
using Validator = std::function<std::optional<std::string>(std::string_view value)>;

// One column of a template.
struct Column {
  std::string key;     // the caller's name for the field, e.g. "name"
  std::string header;  // the header text of the sheet, e.g. "事项名称"
  // A required cell must hold more than white space (ASCII or U+3000).
  bool required = false;
  std::size_t max_length = 0;  // in characters (code points: 中 counts one); 0 = no limit
  Validator validator;         // run on non-empty values only; may be empty
  double width = 0;            // column width in a written file; 0 = from the content
};

// The ordered columns an import expects. Keys and headers are unique and
// non-empty: a template breaking that is a programming error (fatal).
struct Template {
  std::vector<Column> columns;

  [[nodiscard]] std::vector<std::string> headers() const;
  [[nodiscard]] std::vector<std::string> keys() const;
};

// One invalid cell.
struct RowIssue {
  std::uint32_t row = 0;  // 1-based row number as the spreadsheet shows it
  // The header of the cell's column; for a cell outside the template's
  // columns, its column letter ("M").
  std::string column;
  std::string message;  // zh-CN, e.g. "必填项，不能为空"
};

// One data row: values[i] belongs to the template's column i ("" when empty).
struct TableRow {
  std::uint32_t number = 0;  // 1-based row number as the spreadsheet shows it
  std::vector<std::string> values;
};

// What read_table gives back.
struct Table {
  std::vector<std::string> keys;  // the template's keys, in column order
  std::vector<TableRow> rows;     // every non-empty row after the header, valid or not
  std::vector<RowIssue> report;   // every invalid cell, in row then column order
  bool report_truncated = false;  // the report stopped at Limits::max_issues

  // True when every row is valid: the only case in which a caller imports.
  [[nodiscard]] bool valid() const { return report.empty(); }

  // The value of column `key` in `row`. An unknown key is a programming error (fatal).
  [[nodiscard]] const std::string& value(const TableRow& row, std::string_view key) const;

  // The row as key → value.
  [[nodiscard]] std::map<std::string, std::string> as_map(const TableRow& row) const;
};

// Reads the first worksheet of the .xlsx file in `bytes` against `tmpl`.
// The first non-empty row is the header row and must hold the template's
// headers exactly, in order, and nothing else (sheets.wrong_headers names
// the first column that differs, what was expected and what was found).
// Errors: those of read_xlsx, sheets.empty, sheets.wrong_headers.
[[nodiscard]] Result<Table> read_table(std::string_view bytes, const Template& tmpl,
                                       const Limits& limits = {});

// The same for a sheet already read.
[[nodiscard]] Result<Table> read_table(const Sheet& sheet, const Template& tmpl,
                                       const Limits& limits = {});

}  // namespace xzzf::sheets
