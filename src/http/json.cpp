#include "http/json.hpp"

namespace xzzf::http {

Result<nlohmann::json> parse_json_object(std::string_view body) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(ErrorCode::kJsonMalformed, field("detail", fmt::format("第 {} 字节附近", e.byte)));
  }
  if (!value.is_object()) return fail(ErrorCode::kJsonNotObject);
  return value;
}

const nlohmann::json* ObjectReader::find(std::string_view key) {
  read_.emplace(key);
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> ObjectReader::optional_string(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) {
    return fail(ErrorCode::kJsonWrongType, field("field", std::string(key)),
                field("expected", "字符串"));
  }
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::string> ObjectReader::string(std::string_view key) {
  auto v = optional_string(key);
  if (!v) return fail(v.error());
  if (!*v) return fail(ErrorCode::kJsonMissingField, field("field", std::string(key)));
  return std::move(**v);
}

Result<std::optional<std::int64_t>> ObjectReader::optional_integer(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) {
    return fail(ErrorCode::kJsonWrongType, field("field", std::string(key)),
                field("expected", "整数"));
  }
  return std::optional<std::int64_t>(v->get<std::int64_t>());
}

Result<std::int64_t> ObjectReader::integer(std::string_view key) {
  auto v = optional_integer(key);
  if (!v) return fail(v.error());
  if (!*v) return fail(ErrorCode::kJsonMissingField, field("field", std::string(key)));
  return **v;
}

Result<std::optional<bool>> ObjectReader::optional_boolean(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) {
    return fail(ErrorCode::kJsonWrongType, field("field", std::string(key)),
                field("expected", "布尔值"));
  }
  return std::optional<bool>(v->get<bool>());
}

Result<bool> ObjectReader::boolean(std::string_view key) {
  auto v = optional_boolean(key);
  if (!v) return fail(v.error());
  if (!*v) return fail(ErrorCode::kJsonMissingField, field("field", std::string(key)));
  return **v;
}

Result<void> ObjectReader::finish() const {
  for (const auto& [key, value] : object_.items()) {
    if (read_.find(key) == read_.end()) {
      return fail(ErrorCode::kJsonUnknownField, field("field", key));
    }
  }
  return {};
}

Result<std::vector<std::string>> take_strings(nlohmann::json& body, const char* name) {
  std::vector<std::string> out;
  if (!body.contains(name)) return out;
  nlohmann::json value = body[name];
  body.erase(name);
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "字符串数组"));
  }
  for (const auto& v : value) {
    if (!v.is_string()) {
      return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "字符串数组"));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::vector<std::int64_t>> take_ids(nlohmann::json& body, const char* name) {
  std::vector<std::int64_t> out;
  if (!body.contains(name)) return out;
  nlohmann::json value = body[name];
  body.erase(name);
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "整数数组"));
  }
  for (const auto& v : value) {
    if (!v.is_number_integer()) {
      return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "整数数组"));
    }
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}
}  // namespace xzzf::http
