#pragma once

// The one definition of a search match (检索匹配), shared by the index
// (search/index.hpp) and by any plain scan: a document matches a query when
// one of its fields, normalized, contains the normalized query as a
// substring. Normalized means NFKC followed by full case folding (ICU's
// NFKC_Casefold, "nfkc_cf"): full-width Ｆｏｏ１２３ is foo123, ＡＢＣ and Abc are
// abc, the ligature ﬁ is fi, the Kelvin sign is k, ß is ss; Chinese text and
// punctuation such as 〔〕 and 《》 stay as they are.
//
// Free functions without state of their own (ICU's normalizer is a process-wide
// immutable singleton): safe to call from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xzzf::search {

// The most code points a query may have after query_text's clean-up.
inline constexpr std::size_t kMaxQueryChars = 64;

// NFKC then full case folding. Ill-formed UTF-8 becomes U+FFFD (one per
// maximal ill-formed subsequence), and so does U+0000, which neither database
// stores: the result is always valid, storable UTF-8. Never throws.
[[nodiscard]] std::string normalize(std::string_view utf8);

// A user's query (the `q` of a list): control characters (\n, \t …) removed,
// normalized, surrounding white space trimmed. More than kMaxQueryChars code
// points is refused (query.invalid, name q). An empty result means no filter.
[[nodiscard]] Result<std::string> query_text(std::string_view raw);

// The definition of a match, for scans and tests: some field, normalized,
// contains `normalized_query` (a query_text result; an empty one matches
// everything).
[[nodiscard]] bool matches(const std::vector<std::string>& fields,
                           std::string_view normalized_query);

// The number of code points of valid UTF-8 `text`.
[[nodiscard]] std::size_t code_points(std::string_view text);

}  // namespace xzzf::search
