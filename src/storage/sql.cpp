#include "storage/internal/sql.hpp"

#include <cstdint>
#include <variant>

namespace xzzf::storage::internal {
namespace {

enum class Span : std::uint8_t { kCode, kQuoted, kComment };

// Calls on_byte(i, span) for every byte of `sql` except the `?` placeholders
// outside quotes and comments, for which it calls on_placeholder().
template <typename OnByte, typename OnPlaceholder>
void scan(std::string_view sql, OnByte on_byte, OnPlaceholder on_placeholder) {
  std::size_t i = 0;
  const std::size_t n = sql.size();
  auto span_until = [&](std::size_t end, Span span) {
    for (; i < end && i < n; ++i) on_byte(i, span);
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted run ends at the next quote ('' and "" are escapes, which the
      // loop treats as two adjacent runs).
      std::size_t end = sql.find(c, i + 1);
      span_until(end == std::string_view::npos ? n : end + 1, Span::kQuoted);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      span_until(end == std::string_view::npos ? n : end + 1, Span::kComment);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      span_until(end == std::string_view::npos ? n : end + 2, Span::kComment);
    } else if (c == '?') {
      on_placeholder();
      ++i;
    } else {
      on_byte(i, Span::kCode);
      ++i;
    }
  }
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
  RewrittenSql out;
  out.text.reserve(sql.size() + 16);
  bool ended = false;  // a ';' outside quotes and comments was seen
  scan(
      sql,
      [&](std::size_t i, Span span) {
        out.text.push_back(sql[i]);
        if (span == Span::kComment) return;
        if (span == Span::kCode && (sql[i] == ';' || is_space(sql[i]))) {
          ended = ended || sql[i] == ';';
          return;
        }
        if (ended) out.several_statements = true;
      },
      [&] {
        if (ended) out.several_statements = true;
        ++out.placeholders;
        out.text += ":p";
        out.text += std::to_string(out.placeholders);
      });
  return out;
}

bool is_identifier(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

std::string_view trim_statement_end(std::string_view sql) {
  while (!sql.empty()) {
    const char c = sql.back();
    if (c != ';' && c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    sql.remove_suffix(1);
  }
  return sql;
}

bool is_storable_text(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c == 0) return false;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = p[k];
      if ((cc & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

Result<void> check_params(const Params& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto* s = std::get_if<std::string>(&params[i].variant());
    if (s != nullptr && !is_storable_text(*s)) {
      return fail(ErrorCode::kDbError,
                  field("detail", "第 " + std::to_string(i + 1) +
                                      " 个参数不是有效的 UTF-8 文本（或含 NUL 字符）"));
    }
  }
  return {};
}

}  // namespace xzzf::storage::internal

namespace xzzf::storage {

std::string like_contains(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

}  // namespace xzzf::storage
