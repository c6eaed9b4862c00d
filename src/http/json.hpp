#pragma once

// Decoding JSON request bodies into command structs. ObjectReader hands out
// fields one by one and remembers which it handed out; finish() refuses any
// field the command did not ask for, so a client cannot slip in
// `department_id`, `role` or `status` where they are not accepted.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xzzf::http {

// Parses a request body that must be one JSON object.
[[nodiscard]] Result<nlohmann::json> parse_json_object(std::string_view body);

// Takes the array member `name` out of `body` (so that an ObjectReader on
// the rest does not see it): strings, or integers. Absent: empty.
[[nodiscard]] Result<std::vector<std::string>> take_strings(nlohmann::json& body, const char* name);
[[nodiscard]] Result<std::vector<std::int64_t>> take_ids(nlohmann::json& body, const char* name);

// An optional as an answer's member: its value, or null.
template <typename T>
[[nodiscard]] nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Not thread-safe; lives for one decode.
class ObjectReader {
 public:
  explicit ObjectReader(const nlohmann::json& object) : object_(object) {}

  [[nodiscard]] Result<std::string> string(std::string_view key);
  [[nodiscard]] Result<std::optional<std::string>> optional_string(std::string_view key);
  [[nodiscard]] Result<std::int64_t> integer(std::string_view key);
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view key);
  [[nodiscard]] Result<bool> boolean(std::string_view key);
  [[nodiscard]] Result<std::optional<bool>> optional_boolean(std::string_view key);

  // Refuses the first field (in key order) that was never read.
  [[nodiscard]] Result<void> finish() const;

 private:
  const nlohmann::json* find(std::string_view key);

  const nlohmann::json& object_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace xzzf::http
