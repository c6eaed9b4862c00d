#pragma once

// One entry of the full-process record (全过程记录) and its canonical bytes:
// the fixed serialization whose RFC 9162 leaf hash goes into the tree, so it
// must come out byte for byte the same on SQLite and PostgreSQL, in this
// version and every later one.
//
// Canonical bytes of an entry: one JSON object (RFC 8259) with exactly these
// nine members, in this order (byte order of the keys):
//
//   {"action":…,"actor_user_id":…,"at_us":…,"department_id":…,
//    "jurisdiction_id":…,"payload":…,"seq":…,"subject_id":…,"subject_type":…}
//
// - no whitespace anywhere outside strings;
// - integers in plain decimal: no plus sign, no leading zeros, no fraction or
//   exponent, "-" only for negative values, "0" for zero; an absent id is an
//   explicit null;
// - at_us is the instant in microseconds since the Unix epoch (UTC);
// - strings are UTF-8 as given (Chinese text is NOT \u-escaped); only '"' and
//   '\' are escaped as \" and \\, and the control characters U+0000–U+001F as
//   \b \t \n \f \r for 0x08 0x09 0x0A 0x0C 0x0D and \u00xx (lower-case hex)
//   for the rest; invalid UTF-8 is refused;
// - the payload is any JSON value serialized by the same rules, objects with
//   their members sorted by the unsigned byte order of their UTF-8 keys
//   (duplicate keys cannot occur), arrays in their order, true/false/null as
//   such. Floating-point numbers are refused (their text is not canonical):
//   carry money as integer fen, ratios as integer numerators, etc.
//
// The functions are pure and safe from any thread.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace xzzf::record {

struct Entry {
  std::uint64_t seq = 0;  // assigned by RecordLog::append
  Instant at;
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::int64_t> jurisdiction_id;
  std::optional<std::int64_t> department_id;
  std::string subject_type;  // e.g. "user", "department", "case"
  std::int64_t subject_id = 0;
  std::string action;  // e.g. "create", "grant_role"
  nlohmann::json payload = nlohmann::json::object();
};

// The canonical bytes of `entry` (see the header comment). Fails with
// json.wrong_type when the payload holds a floating-point number or a binary
// value, or when a string is not valid UTF-8.
[[nodiscard]] Result<std::string> canonical_bytes(const Entry& entry);

// The same bytes with the payload given as its canonical JSON text (what
// record_entries.payload stores), inserted verbatim; entry.payload is
// ignored. The append serializes the payload once this way, and the verifier
// hashes exactly what is stored without parsing it: any change to the stored
// text changes the leaf.
[[nodiscard]] Result<std::string> canonical_bytes(const Entry& entry,
                                                  std::string_view payload_json);

// An integer written by the rules above ("0", "-3", "42"; no sign on
// zero, no leading zeros, within 64 bits), else nullopt. The verifier reads
// stored integers as text through this, so that a value an attacker put in a
// column (a fraction, a word) is a finding, not a failed read.
[[nodiscard]] std::optional<std::int64_t> parse_canonical_int(std::string_view text);

// The canonical serialization of one JSON value, by the same rules: what
// record_entries.payload stores.
[[nodiscard]] Result<std::string> canonical_json(const nlohmann::json& value);

}  // namespace xzzf::record
