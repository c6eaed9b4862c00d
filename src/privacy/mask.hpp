#pragma once

// How personal data is shown where the viewer may not see it whole (lists,
// exports, other roles), and what a valid value looks like.

#include <string>
#include <string_view>

namespace xzzf::privacy {

// 居民身份证号码 (GB 11643-1999): 17 digits, a birth date at 7–14, and the
// check character of the ISO 7064 MOD 11-2 scheme (0–9 or X).
[[nodiscard]] bool valid_id_number(std::string_view id);
// The check character (0–9 or X) of the first 17 digits of such a number.
[[nodiscard]] char id_check_character(std::string_view first17);
// Spaces trimmed, a lower-case x made upper case: the form that is sealed
// and digested, so that one number has one digest.
[[nodiscard]] std::string normalize_id_number(std::string_view id);
// "411481********1234": the region and the last four; anything else but its
// last two characters hidden.
[[nodiscard]] std::string mask_id_number(std::string_view id);

// A mobile number (11 digits from 1) or a landline (not from 1: digits and
// up to two inner hyphens, 7 to 20 characters).
[[nodiscard]] bool valid_phone(std::string_view phone);
// "138****5678"; a landline keeps its first three and last two digits.
[[nodiscard]] std::string mask_phone(std::string_view phone);

}  // namespace xzzf::privacy
