#include "record/entry.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace xzzf::record {
namespace {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      auto ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Result<void> append_string(std::string& out, std::string_view s, const std::string& path) {
  if (!valid_utf8(s)) {
    return fail(ErrorCode::kJsonWrongType, field("field", path), field("expected", "UTF-8 文本"));
  }
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x0A:
        out += "\\n";
        break;
      case 0x0C:
        out += "\\f";
        break;
      case 0x0D:
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return {};
}

Result<void> append_value(std::string& out, const nlohmann::json& v, const std::string& path) {
  using Type = nlohmann::json::value_t;
  switch (v.type()) {
    case Type::null:
      out += "null";
      return {};
    case Type::boolean:
      out += v.get<bool>() ? "true" : "false";
      return {};
    case Type::number_integer:
      out += fmt::format("{}", v.get<std::int64_t>());
      return {};
    case Type::number_unsigned:
      out += fmt::format("{}", v.get<std::uint64_t>());
      return {};
    case Type::string:
      return append_string(out, v.get_ref<const std::string&>(), path);
    case Type::array: {
      out.push_back('[');
      std::size_t i = 0;
      for (const auto& item : v) {
        if (i > 0) out.push_back(',');
        XZZF_CHECK(append_value(out, item, fmt::format("{}[{}]", path, i)));
        ++i;
      }
      out.push_back(']');
      return {};
    }
    case Type::object: {
      // nlohmann::json keeps members in a std::map<std::string, …>, whose
      // order is std::char_traits<char>::compare: unsigned byte order.
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        std::string child = path + "." + key;
        XZZF_CHECK(append_string(out, key, child));
        out.push_back(':');
        XZZF_CHECK(append_value(out, item, child));
      }
      out.push_back('}');
      return {};
    }
    case Type::number_float:
      return fail(ErrorCode::kJsonWrongType, field("field", path),
                  field("expected", "整数（记录中不允许浮点数）"));
    case Type::binary:
    case Type::discarded:
      break;
  }
  return fail(ErrorCode::kJsonWrongType, field("field", path), field("expected", "JSON 值"));
}

void append_key(std::string& out, std::string_view key, bool first) {
  if (!first) out.push_back(',');
  out.push_back('"');
  out += key;
  out += "\":";
}

void append_optional(std::string& out, const std::optional<std::int64_t>& v) {
  if (v) {
    out += fmt::format("{}", *v);
  } else {
    out += "null";
  }
}

}  // namespace

Result<std::string> canonical_json(const nlohmann::json& value) {
  std::string out;
  XZZF_CHECK(append_value(out, value, "payload"));
  return out;
}

namespace {

// The canonical bytes with the payload either serialized from `payload` or,
// when that is null, taken verbatim from `payload_text`.
Result<std::string> entry_bytes(const Entry& entry, const nlohmann::json* payload,
                                std::string_view payload_text) {
  std::string out;
  out.reserve(192 + payload_text.size());
  out.push_back('{');
  append_key(out, "action", true);
  XZZF_CHECK(append_string(out, entry.action, "action"));
  append_key(out, "actor_user_id", false);
  append_optional(out, entry.actor_user_id);
  append_key(out, "at_us", false);
  out += fmt::format("{}", entry.at.micros);
  append_key(out, "department_id", false);
  append_optional(out, entry.department_id);
  append_key(out, "jurisdiction_id", false);
  append_optional(out, entry.jurisdiction_id);
  append_key(out, "payload", false);
  if (payload != nullptr) {
    XZZF_CHECK(append_value(out, *payload, "payload"));
  } else {
    out += payload_text;
  }
  append_key(out, "seq", false);
  out += fmt::format("{}", entry.seq);
  append_key(out, "subject_id", false);
  out += fmt::format("{}", entry.subject_id);
  append_key(out, "subject_type", false);
  XZZF_CHECK(append_string(out, entry.subject_type, "subject_type"));
  out.push_back('}');
  return out;
}

}  // namespace

Result<std::string> canonical_bytes(const Entry& entry) {
  return entry_bytes(entry, &entry.payload, {});
}

Result<std::string> canonical_bytes(const Entry& entry, std::string_view payload_json) {
  return entry_bytes(entry, nullptr, payload_json);
}

std::optional<std::int64_t> parse_canonical_int(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  if (digits.front() == '0' && (digits.size() > 1 || text.size() > 1)) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace xzzf::record
