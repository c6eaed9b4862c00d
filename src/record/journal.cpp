#include "record/journal.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace xzzf::record {
namespace {

// Member names that hold personal data in plaintext. A keyed hash of such a
// field goes under a name ending in "_hmac", which is not on this list.
constexpr std::array<std::string_view, 14> kPersonalFields = {
    "address", "birth_date",     "display_name", "email",    "full_name", "id_card",   "id_number",
    "mobile",  "name_of_person", "party_name",   "password", "phone",     "real_name", "telephone"};

bool personal(std::string_view key) {
  for (std::string_view name : kPersonalFields) {
    if (key == name) return true;
  }
  return false;
}

// The first member (at any depth) named like personal data, or empty.
std::string personal_member(const nlohmann::json& value) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (personal(key)) return key;
      if (auto inner = personal_member(member); !inner.empty()) return inner;
    }
  } else if (value.is_array()) {
    for (const auto& member : value) {
      if (auto inner = personal_member(member); !inner.empty()) return inner;
    }
  }
  return {};
}

}  // namespace

Result<std::uint64_t> Journal::record(storage::Tx& tx, Act act) const {
  if (act.subject_type.empty() || act.action.empty()) {
    return fail(ErrorCode::kRecordActInvalid,
                field("detail", std::string("缺少对象类型或行为名称")));
  }
  if (auto key = personal_member(act.payload); !key.empty()) {
    return fail(ErrorCode::kRecordPersonalData, field("field", key));
  }
  Entry entry{.seq = 0,
              .at = act.at.micros != 0 ? act.at : clock_.now(),
              .actor_user_id = act.actor_user_id,
              .jurisdiction_id = act.jurisdiction_id,
              .department_id = act.department_id,
              .subject_type = std::move(act.subject_type),
              .subject_id = act.subject_id,
              .action = std::move(act.action),
              .payload = std::move(act.payload)};
  return log_.append(tx, std::move(entry));
}

}  // namespace xzzf::record
