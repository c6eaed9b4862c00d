#include "app/access_log.hpp"

#include <fmt/format.h>

namespace xzzf::app {

namespace {

// The length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms and surrogates are not valid UTF-8.
  if (n == 2 && c < 0xC2) return 0;
  if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;
  if (n == 4 &&
      (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90))) {
    return 0;
  }
  return n;
}

// The time changes once a second, the log line many thousand times: format it
// once per second and thread.
const std::string& shanghai_time(Instant at) {
  thread_local std::int64_t second = -1;
  thread_local std::string text;
  std::int64_t s = at.micros / 1000000;
  if (s != second) {
    second = s;
    text = format_shanghai_iso8601(Instant{s * 1000000});
  }
  return text;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (std::size_t n = utf8_length(text, i); n > 0) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  out += '"';
}

std::string format_access_line(const server::RequestLog& r, Instant at) {
  std::string out;
  out.reserve(256);
  out += "{\"ts\":\"";
  out += shanghai_time(at);
  out += "\",\"rid\":";
  append_json_string(out, r.request_id);
  out += ",\"remote\":";
  append_json_string(out, r.remote_addr);
  out += ",\"method\":";
  append_json_string(out, r.method);
  out += ",\"path\":";
  append_json_string(out, r.path);
  out += ",\"route\":";
  append_json_string(out, r.route);
  fmt::format_to(std::back_inserter(out), ",\"status\":{},\"bytes\":{},\"ms\":{:.3f}", r.status,
                 r.bytes, static_cast<double>(r.duration.count()) / 1000.0);
  if (!r.error_code.empty()) {
    out += ",\"error\":";
    append_json_string(out, r.error_code);
  }
  if (!r.actor.empty()) {
    out += ",\"user\":";
    append_json_string(out, r.actor);
  }
  out += '}';
  return out;
}

}  // namespace xzzf::app
