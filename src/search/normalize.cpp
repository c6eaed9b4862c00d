#include "search/normalize.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace xzzf::search {
namespace {

// ICU's NFKC_Casefold normalizer. Missing ICU data is a broken installation:
// a fatal check, not an error every search would have to carry.
const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) {
      std::fprintf(stderr, "xzzf: ICU NFKC_Casefold data unavailable: %s\n", u_errorName(status));
      std::abort();
    }
    return n;
  }();
  return *instance;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Calls fn(code point, bytes) for each code point of `text`; an ill-formed
// sequence comes as U+FFFD with its bytes.
template <typename Fn>
void for_each_code_point(std::string_view text, Fn fn) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  std::int32_t i = 0;
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) c = 0xFFFD;
    fn(c, text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
}

bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0 || b >= 0x80) return false;
  }
  return true;
}

// Well-formed UTF-8 without U+0000: ICU may work on the bytes directly.
bool is_clean_utf8(std::string_view text) {
  bool clean = true;
  for_each_code_point(text, [&](UChar32 c, std::string_view bytes) {
    if (c == 0 || (c == 0xFFFD && bytes != kReplacement)) clean = false;
  });
  return clean;
}

[[noreturn]] void icu_failed(UErrorCode status) {
  // Only memory exhaustion gets here: ICU reports it instead of throwing.
  std::fprintf(stderr, "xzzf: ICU normalization failed: %s\n", u_errorName(status));
  std::abort();
}

}  // namespace

std::string normalize(std::string_view utf8) {
  // ASCII without NUL: NFKC changes nothing and case folding lowers A-Z only
  // (the test compares this path with ICU's for every ASCII character).
  if (is_plain_ascii(utf8)) {
    std::string out(utf8);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  const icu::Normalizer2& n = nfkc_casefold();
  UErrorCode status = U_ZERO_ERROR;
  if (is_clean_utf8(utf8)) {
    // Most stored text is normalized already: check before copying through.
    const icu::StringPiece piece(utf8.data(), static_cast<std::int32_t>(utf8.size()));
    if (n.isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(utf8);
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<std::int32_t>(utf8.size()));
    n.normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status)) icu_failed(status);
    return out;
  }
  // fromUTF8 replaces ill-formed sequences with U+FFFD.
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  source.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0)),
                        icu::UnicodeString(static_cast<UChar32>(0xFFFD)));
  icu::UnicodeString folded = n.normalize(source, status);
  if (U_FAILURE(status)) icu_failed(status);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

Result<std::string> query_text(std::string_view raw) {
  // Controls go first, so that what they separated normalizes as one text.
  std::string kept;
  kept.reserve(raw.size());
  for_each_code_point(raw, [&](UChar32 c, std::string_view bytes) {
    if (u_charType(c) == U_CONTROL_CHAR) return;
    if (c == 0xFFFD) {
      kept += kReplacement;
    } else {
      kept += bytes;
    }
  });
  std::string text = normalize(kept);

  // Trim Unicode white space (U+3000 is already a space after NFKC).
  std::size_t begin = 0;
  std::size_t end = 0;
  bool seen = false;
  std::size_t offset = 0;
  for_each_code_point(text, [&](UChar32 c, std::string_view bytes) {
    if (!u_isUWhiteSpace(c)) {
      if (!seen) begin = offset;
      seen = true;
      end = offset + bytes.size();
    }
    offset += bytes.size();
  });
  if (!seen) return std::string();
  text = text.substr(begin, end - begin);

  if (code_points(text) > kMaxQueryChars) {
    return fail(ErrorCode::kQueryInvalid, field("name", "q"),
                field("detail", "检索词不能超过 " + std::to_string(kMaxQueryChars) + " 个字"));
  }
  return text;
}

bool matches(const std::vector<std::string>& fields, std::string_view normalized_query) {
  if (normalized_query.empty()) return true;
  for (const auto& f : fields) {
    if (normalize(f).find(normalized_query) != std::string::npos) return true;
  }
  return false;
}

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  }
  return n;
}

}  // namespace xzzf::search
