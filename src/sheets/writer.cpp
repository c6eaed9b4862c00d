#include "sheets/writer.hpp"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <system_error>

#include "sheets/internal/template.hpp"
#include "sheets/internal/text.hpp"

namespace xzzf::sheets {
namespace {

// Widths in Excel's unit (about one Latin character of the default font).
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 50;
// Excel's built-in number format "@" (text).
constexpr std::uint8_t kTextFormatIndex = 49;
// Enough rows to judge a column's width without measuring a whole export.
constexpr std::size_t kRowsMeasured = 1'000;

struct Layout {
  std::vector<std::string> headers;
  std::vector<double> widths;  // 0 = from the content
};

// Closes an unfinished workbook without writing anything.
struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};

std::string describe_lxw(lxw_error error) {
  switch (error) {
    case LXW_ERROR_CREATING_XLSX_FILE:
      return "无法创建文件";
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
      return "无法读写临时文件";
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
      return "内存不足";
    default:
      return fmt::format("libxlsxwriter 错误 {}：{}", static_cast<int>(error), lxw_strerror(error));
  }
}

Result<void> check_cell(std::string_view text, std::size_t row, std::size_t column) {
  const auto row_number = row + 1;
  const auto column_name = internal::column_letters(static_cast<std::uint32_t>(column + 1));
  if (!internal::valid_utf8(text) || text.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::kSheetsInvalidText, field("row", row_number),
                field("column", column_name));
  }
  if (const std::size_t length = internal::utf16_length(text); length > kMaxCellLength) {
    return fail(ErrorCode::kSheetsCellTooLong, field("row", row_number),
                field("column", column_name), field("length", length),
                field("limit", kMaxCellLength));
  }
  return {};
}

Result<void> check_sheet_name(std::string_view name) {
  const auto bad = [&](const char* detail) {
    return fail(ErrorCode::kSheetsBadSheetName, field("name", name),
                field("detail", std::string(detail)));
  };
  if (name.empty()) return bad("不能为空");
  if (!internal::valid_utf8(name) || name.find('\0') != std::string_view::npos) {
    return bad("不是有效的 UTF-8 文本");
  }
  if (internal::char_count(name) > LXW_SHEETNAME_MAX) return bad("不能超过 31 个字");
  if (name.find_first_of("[]:*?/\\") != std::string_view::npos) {
    return bad("不能含有 [ ] : * ? / \\ 字符");
  }
  if (name.front() == '\'' || name.back() == '\'') return bad("不能以单引号开头或结尾");
  return {};
}

double fitted_width(const std::string& header, const Rows& rows, std::size_t column) {
  std::size_t widest = internal::display_width(header);
  const std::size_t measured = std::min(rows.size(), kRowsMeasured);
  for (std::size_t r = 0; r < measured; ++r) {
    if (column >= rows[r].size()) continue;
    // A multi-line cell is as wide as its longest line.
    std::string_view text = rows[r][column];
    while (!text.empty()) {
      const auto nl = text.find('\n');
      widest = std::max(widest, internal::display_width(text.substr(0, nl)));
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
    if (static_cast<double>(widest) >= kMaxWidth) break;
  }
  return std::clamp(static_cast<double>(widest) + 2, kMinWidth, kMaxWidth);
}

Result<void> write(const std::filesystem::path& path, std::string_view sheet_name,
                   const Layout& layout, const Rows& rows) {
  XZZF_CHECK(check_sheet_name(sheet_name));
  std::size_t columns = layout.headers.size();
  for (std::size_t c = 0; c < layout.headers.size(); ++c) {
    XZZF_CHECK(check_cell(layout.headers[c], 0, c));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    columns = std::max(columns, rows[r].size());
    for (std::size_t c = 0; c < rows[r].size(); ++c) XZZF_CHECK(check_cell(rows[r][c], r + 1, c));
  }
  if (rows.size() + 1 > LXW_ROW_MAX || columns > LXW_COL_MAX) {
    return fail(ErrorCode::kSheetsWriteFailed,
                field("detail", fmt::format("超出 Excel 工作表的范围（{} 行，{} 列）",
                                            rows.size() + 1, columns)));
  }

  std::unique_ptr<lxw_workbook, WorkbookFree> workbook(workbook_new(path.c_str()));
  if (!workbook) {
    return fail(ErrorCode::kSheetsWriteFailed, field("detail", std::string("内存不足")));
  }
  const std::string name(sheet_name);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook.get(), name.c_str());
  if (sheet == nullptr) {
    return fail(ErrorCode::kSheetsBadSheetName, field("name", sheet_name),
                field("detail", std::string("Excel 不接受这个名称")));
  }
  lxw_format* header_format = workbook_add_format(workbook.get());
  format_set_bold(header_format);
  format_set_num_format_index(header_format, kTextFormatIndex);
  format_set_align(header_format, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* text_format = workbook_add_format(workbook.get());
  format_set_num_format_index(text_format, kTextFormatIndex);
  format_set_align(text_format, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* wrapped_format = workbook_add_format(workbook.get());
  format_set_num_format_index(wrapped_format, kTextFormatIndex);
  format_set_align(wrapped_format, LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap(wrapped_format);

  const auto check = [&](lxw_error error) -> Result<void> {
    if (error == LXW_NO_ERROR) return {};
    return fail(ErrorCode::kSheetsWriteFailed, field("detail", describe_lxw(error)));
  };
  // Columns of the header: text format (so that what users type stays text),
  // fitted width, wrapped where the text is wider than the column.
  for (std::size_t c = 0; c < layout.headers.size(); ++c) {
    const double fitted = fitted_width(layout.headers[c], rows, c);
    const double width = layout.widths[c] > 0 ? layout.widths[c] : fitted;
    lxw_format* format = fitted >= kMaxWidth || width < fitted ? wrapped_format : text_format;
    const auto col = static_cast<lxw_col_t>(c);
    XZZF_CHECK(check(worksheet_set_column(sheet, col, col, width, format)));
  }
  for (std::size_t c = 0; c < layout.headers.size(); ++c) {
    const std::string text = internal::encode_xstring(layout.headers[c]);
    XZZF_CHECK(check(
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), text.c_str(), header_format)));
  }
  worksheet_freeze_panes(sheet, 1, 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      const std::string text = internal::encode_xstring(rows[r][c]);
      XZZF_CHECK(check(worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1),
                                              static_cast<lxw_col_t>(c), text.c_str(), nullptr)));
    }
  }
  // workbook_close writes the file and frees the workbook, even when it fails.
  const lxw_error closed = workbook_close(workbook.release());
  if (closed != LXW_NO_ERROR) {
    return fail(ErrorCode::kSheetsWriteFailed,
                field("detail", fmt::format("{}（{}）", describe_lxw(closed), path.string())));
  }
  return {};
}

Layout layout_of(const Template& tmpl) {
  internal::require_valid_template(tmpl);
  Layout layout;
  for (const auto& c : tmpl.columns) {
    layout.headers.push_back(c.header);
    layout.widths.push_back(c.width);
  }
  return layout;
}

Layout layout_of(const std::vector<std::string>& headers) {
  return Layout{headers, std::vector<double>(headers.size(), 0.0)};
}

// A file created for one call and removed when it ends.
class TempFile {
 public:
  static Result<TempFile> create() {
    std::error_code ec;
    const auto dir = std::filesystem::temp_directory_path(ec);
    if (ec) return failure(ec.message());
    std::string name = (dir / "xzzf-sheet-XXXXXX").string();
    const int fd = mkstemp(name.data());
    if (fd < 0) return failure(std::error_code(errno, std::generic_category()).message());
    close(fd);
    return TempFile(std::move(name));
  }
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  static tl::unexpected<Error> failure(const std::string& why) {
    return fail(ErrorCode::kSheetsWriteFailed, field("detail", "无法创建临时文件：" + why));
  }

  std::filesystem::path path_;
};

Result<std::string> bytes_of(std::string_view sheet_name, const Layout& layout, const Rows& rows) {
  XZZF_TRY(file, TempFile::create());
  XZZF_CHECK(write(file.path(), sheet_name, layout, rows));
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || bytes.empty()) {
    return fail(ErrorCode::kSheetsWriteFailed, field("detail", std::string("无法读回临时文件")));
  }
  return bytes;
}

}  // namespace

Result<void> write_xlsx(const std::filesystem::path& path, std::string_view sheet_name,
                        const Template& tmpl, const Rows& rows) {
  return write(path, sheet_name, layout_of(tmpl), rows);
}

Result<void> write_xlsx(const std::filesystem::path& path, std::string_view sheet_name,
                        const std::vector<std::string>& headers, const Rows& rows) {
  return write(path, sheet_name, layout_of(headers), rows);
}

Result<std::string> xlsx_bytes(std::string_view sheet_name, const Template& tmpl,
                               const Rows& rows) {
  return bytes_of(sheet_name, layout_of(tmpl), rows);
}

Result<std::string> xlsx_bytes(std::string_view sheet_name, const std::vector<std::string>& headers,
                               const Rows& rows) {
  return bytes_of(sheet_name, layout_of(headers), rows);
}

}  // namespace xzzf::sheets
