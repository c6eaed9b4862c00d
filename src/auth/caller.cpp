// Scope: the one place where visibility by department and jurisdiction is
// decided (see caller.hpp).

#include <algorithm>

#include "auth/caller.hpp"

namespace xzzf::auth {

SqlFilter Scope::filter(std::string_view department_column,
                        std::string_view jurisdiction_column) const {
  switch (kind_) {
    case Kind::kAll:
      return {"1 = 1", {}};
    case Kind::kDepartment:
      return {fmt::format("{} = ?", department_column), {*department_id_}};
    case Kind::kJurisdictions: {
      if (jurisdictions_.empty()) return {"1 = 0", {}};
      std::string sql = fmt::format("{} IN (", jurisdiction_column);
      storage::Params params;
      for (auto id : jurisdictions_) {
        sql += params.empty() ? "?" : ", ?";
        params.emplace_back(id);
      }
      sql += ")";
      return {std::move(sql), std::move(params)};
    }
    case Kind::kNone:
      break;
  }
  return {"1 = 0", {}};
}

Result<void> Scope::check(std::optional<std::int64_t> department_id,
                          std::int64_t jurisdiction_id) const {
  switch (kind_) {
    case Kind::kAll:
      return {};
    case Kind::kDepartment:
      if (department_id && department_id == department_id_) return {};
      break;
    case Kind::kJurisdictions:
      if (jurisdictions_.contains(jurisdiction_id)) return {};
      break;
    case Kind::kNone:
      break;
  }
  return fail(ErrorCode::kAuthOutOfScope);
}

bool Caller::has(Permission p) const {
  return std::any_of(roles.begin(), roles.end(), [p](Role r) {
    const auto& perms = permissions_of(r);
    return std::find(perms.begin(), perms.end(), p) != perms.end();
  });
}

Result<void> Caller::require(Permission p) const {
  if (has(p)) return {};
  return fail(ErrorCode::kAuthForbidden, field("permission", std::string(permission_code(p))));
}

bool Caller::has_role(Role r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

}  // namespace xzzf::auth
