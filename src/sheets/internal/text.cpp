#include "sheets/internal/text.hpp"

#include <fmt/format.h>

namespace xzzf::sheets::internal {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at text[i], advancing i past it; kInvalid (and i past
// the offending byte) for a malformed sequence.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
    min = 0x10000;
  } else {
    ++i;
    return kInvalid;
  }
  if (text.size() - i < length) {
    ++i;
    return kInvalid;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xC0u) != 0x80u) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (c & 0x3Fu);
  }
  i += length;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The UTF-16 code unit of an escape "_xHHHH_" at text[i], or nullopt.
std::optional<char16_t> escape_at(std::string_view text, std::size_t i) {
  if (text.size() - i < 7 || text[i] != '_' || text[i + 1] != 'x' || text[i + 6] != '_') {
    return std::nullopt;
  }
  unsigned value = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int h = hex_value(text[i + k]);
    if (h < 0) return std::nullopt;
    value = value * 16 + static_cast<unsigned>(h);
  }
  return static_cast<char16_t>(value);
}

// Control characters that XML 1.0 cannot carry as they are, and the carriage
// return that XML parsers fold into line feeds.
bool is_encoded_control(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b < 0x20 && c != '\t' && c != '\n';
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    if (next_code_point(text, i) == kInvalid) return false;
  }
  return true;
}

std::size_t char_count(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  }
  return n;
}

std::size_t utf16_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0u) != 0x80u) n += b >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::string column_letters(std::uint32_t column) {
  std::string out;
  while (column > 0) {
    const std::uint32_t rem = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return out;
}

std::optional<std::uint32_t> parse_row_number(std::string_view text) {
  if (text.empty() || text.size() > 7 || text[0] == '0') return std::nullopt;
  std::uint32_t row = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (row > kMaxSheetRow) return std::nullopt;
  return row;
}

std::optional<CellRef> parse_cell_ref(std::string_view text) {
  std::size_t i = 0;
  std::uint32_t column = 0;
  while (i < text.size() && text[i] >= 'A' && text[i] <= 'Z') {
    if (i == 3) return std::nullopt;
    column = column * 26 + static_cast<std::uint32_t>(text[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || column > kMaxSheetColumn) return std::nullopt;
  const auto row = parse_row_number(text.substr(i));
  if (!row) return std::nullopt;
  return CellRef{column, *row};
}

std::string decode_xstring(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto unit = text[i] == '_' ? escape_at(text, i) : std::nullopt;
    if (!unit || *unit == 0 || (*unit >= 0xDC00 && *unit <= 0xDFFF)) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    if (*unit >= 0xD800 && *unit <= 0xDBFF) {
      // A character outside the BMP takes two escapes, high then low surrogate.
      const auto low = escape_at(text, i + 7 <= text.size() ? i + 7 : text.size());
      if (!low || *low < 0xDC00 || *low > 0xDFFF) {
        out.push_back(text[i]);
        ++i;
        continue;
      }
      append_utf8(out, 0x10000 + ((static_cast<char32_t>(*unit) - 0xD800) << 10) +
                           (static_cast<char32_t>(*low) - 0xDC00));
      i += 14;
      continue;
    }
    append_utf8(out, *unit);
    i += 7;
  }
  return out;
}

std::string encode_xstring(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_encoded_control(c)) {
      out += fmt::format("_x{:04X}_", static_cast<unsigned>(c));
      continue;
    }
    // "_x0041" followed by "_" or by a control character (whose escape starts
    // with "_") would read back as an escape: escape its underscore.
    if (c == '_' && text.size() - i >= 7 && text[i + 1] == 'x' && hex_value(text[i + 2]) >= 0 &&
        hex_value(text[i + 3]) >= 0 && hex_value(text[i + 4]) >= 0 && hex_value(text[i + 5]) >= 0 &&
        (text[i + 6] == '_' || is_encoded_control(text[i + 6]))) {
      out += "_x005F_";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = next_code_point(text, i);
    width += cp != kInvalid && is_wide(cp) ? 2 : 1;
  }
  return width;
}

}  // namespace xzzf::sheets::internal
