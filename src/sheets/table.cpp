#include "sheets/table.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <set>

#include "sheets/internal/template.hpp"
#include "sheets/internal/text.hpp"

namespace xzzf::sheets {
namespace {

// True when `text` holds nothing but white space, ASCII or the ideographic
// space (U+3000) Chinese input methods type.
bool blank(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) {
      i += kIdeographicSpace.size();
    } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

std::string quoted(std::string_view header) {
  return header.empty() ? std::string("空白") : fmt::format("“{}”", header);
}

// Checks the header row against the template.
Result<void> check_headers(const SheetRow& header, const Template& tmpl) {
  const std::size_t width = std::max(header.cells.size(), tmpl.columns.size());
  for (std::size_t i = 0; i < width; ++i) {
    // string_view on both sides: a std::string on one would make the other a temporary.
    const std::string_view expected =
        i < tmpl.columns.size() ? std::string_view(tmpl.columns[i].header) : std::string_view();
    const std::string_view found =
        i < header.cells.size() ? std::string_view(header.cells[i]) : std::string_view();
    if (expected == found) continue;
    std::string headers;
    for (const auto& c : tmpl.columns) {
      if (!headers.empty()) headers += "、";
      headers += quoted(c.header);
    }
    return fail(ErrorCode::kSheetsWrongHeaders, field("row", header.number),
                field("column", internal::column_letters(static_cast<std::uint32_t>(i + 1))),
                field("expected", quoted(expected)), field("found", quoted(found)),
                field("headers", headers));
  }
  return {};
}

}  // namespace

namespace internal {

void require_valid_template(const Template& tmpl) {
  std::set<std::string_view> keys;
  std::set<std::string_view> headers;
  if (tmpl.columns.empty()) {
    spdlog::critical("sheets: a template has no column");
    std::abort();
  }
  for (const auto& c : tmpl.columns) {
    if (c.key.empty() || c.header.empty() || !keys.insert(c.key).second ||
        !headers.insert(c.header).second) {
      spdlog::critical("sheets: template column '{}' ('{}') is empty or repeated", c.key, c.header);
      std::abort();
    }
  }
}

}  // namespace internal

std::vector<std::string> Template::headers() const {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.header);
  return out;
}

std::vector<std::string> Template::keys() const {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.key);
  return out;
}

const std::string& Table::value(const TableRow& row, std::string_view key) const {
  for (std::size_t i = 0; i < keys.size() && i < row.values.size(); ++i) {
    if (keys[i] == key) return row.values[i];
  }
  spdlog::critical("sheets: no column '{}' in the table", key);
  std::abort();
}

std::map<std::string, std::string> Table::as_map(const TableRow& row) const {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < keys.size() && i < row.values.size(); ++i) {
    out.emplace(keys[i], row.values[i]);
  }
  return out;
}

Result<Table> read_table(std::string_view bytes, const Template& tmpl, const Limits& limits) {
  internal::require_valid_template(tmpl);
  XZZF_TRY(sheet, read_xlsx(bytes, limits));
  return read_table(sheet, tmpl, limits);
}

Result<Table> read_table(const Sheet& sheet, const Template& tmpl, const Limits& limits) {
  internal::require_valid_template(tmpl);
  if (sheet.rows.empty()) return fail(ErrorCode::kSheetsEmpty, field("sheet", sheet.name));
  XZZF_CHECK(check_headers(sheet.rows.front(), tmpl));

  Table table;
  table.keys = tmpl.keys();
  const auto report = [&](std::uint32_t row, std::string column, std::string message) {
    if (table.report.size() >= limits.max_issues) {
      table.report_truncated = true;
      return;
    }
    table.report.push_back({row, std::move(column), std::move(message)});
  };
  const std::size_t width = tmpl.columns.size();
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    const SheetRow& in = sheet.rows[r];
    TableRow row{in.number, std::vector<std::string>(width)};
    for (std::size_t i = 0; i < in.cells.size(); ++i) {
      if (i < width) {
        row.values[i] = in.cells[i];
      } else if (!in.cells[i].empty()) {
        report(in.number, internal::column_letters(static_cast<std::uint32_t>(i + 1)),
               "该列不在模板中（没有表头），内容不会被导入，请删除");
      }
    }
    for (std::size_t i = 0; i < width; ++i) {
      const Column& column = tmpl.columns[i];
      const std::string& value = row.values[i];
      if (blank(value)) {
        if (column.required) report(in.number, column.header, "必填项，不能为空");
        continue;
      }
      if (column.max_length > 0) {
        const std::size_t length = internal::char_count(value);
        if (length > column.max_length) {
          report(in.number, column.header,
                 fmt::format("不能超过 {} 个字（现有 {} 个字）", column.max_length, length));
          continue;
        }
      }
      if (column.validator) {
        if (auto message = column.validator(value)) {
          report(in.number, column.header, std::move(*message));
        }
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace xzzf::sheets
