#include "sheets/csv.hpp"

namespace xzzf::sheets {
namespace {

bool starts_formula(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void append_line(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_escape_cell(cells[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string csv_escape_cell(std::string_view cell) {
  std::string text;
  text.reserve(cell.size() + 3);
  if (starts_formula(cell)) text += '\'';
  text += cell;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string write_csv(const std::vector<std::string>& headers, const Rows& rows) {
  std::string out = "\xEF\xBB\xBF";
  append_line(out, headers);
  for (const auto& row : rows) append_line(out, row);
  return out;
}

std::string write_csv(const Template& tmpl, const Rows& rows) {
  return write_csv(tmpl.headers(), rows);
}

}  // namespace xzzf::sheets
