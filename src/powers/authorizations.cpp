#include "powers/authorizations.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "powers/repository.hpp"
#include "search/normalize.hpp"

namespace xzzf::powers {
namespace {

using auth::Permission;
using nlohmann::json;
using storage::Params;
using storage::Row;
using storage::Tx;

tl::unexpected<Error> invalid(const char* what, std::string detail) {
  return fail(ErrorCode::kPowersAuthorizationInvalid, field("field", what),
              field("detail", std::move(detail)));
}

constexpr const char* kSelect =
    "SELECT a.id, a.kind, a.title, a.doc_number, a.issuer, a.decided_on, a.effective_on, "
    "a.valid_until, a.jurisdiction_id, a.grantor_department_id, g.name, "
    "a.grantee_department_id, gd.name, a.grantee_name, a.scope, a.created_at_us "
    "FROM authorizations a JOIN departments g ON g.id = a.grantor_department_id "
    "LEFT JOIN departments gd ON gd.id = a.grantee_department_id";

Authorization authorization_of(const Row& r) {
  Authorization a;
  a.id = r.i64(0);
  a.kind = r.text(1);
  a.title = r.text(2);
  a.doc_number = r.text(3);
  a.issuer = r.text(4);
  a.decided_on = r.text(5);
  a.effective_on = r.text(6);
  a.valid_until = r.opt_text(7);
  a.jurisdiction_id = r.i64(8);
  a.grantor_department_id = r.i64(9);
  a.grantor_department_name = r.text(10);
  a.grantee_department_id = r.opt_i64(11);
  a.grantee_department_name = r.opt_text(12);
  a.grantee_name = r.text(13);
  a.scope = r.text(14);
  a.created_at_us = r.i64(15);
  return a;
}

Result<void> fill_items(Tx& tx, Authorization& a) {
  XZZF_TRY(rows, tx.query("SELECT i.id, i.code, i.name FROM authorization_items ai JOIN "
                          "power_items i ON i.id = ai.item_id WHERE ai.authorization_id = ? "
                          "ORDER BY i.code",
                          {a.id}));
  for (const auto& r : rows) {
    a.item_ids.push_back(r.i64(0));
    a.items.push_back({r.i64(0), r.text(1), r.text(2)});
  }
  return {};
}

// 河南省人民政府, 广西壮族自治区人民政府, 上海市人民政府: a province's
// government (not its general office, 办公厅).
bool provincial_government(const std::string& issuer) {
  for (const char* city : {"北京市", "天津市", "上海市", "重庆市"}) {
    if (issuer == std::string(city) + "人民政府") return true;
  }
  return issuer.ends_with("省人民政府") || issuer.ends_with("自治区人民政府");
}

}  // namespace

namespace repo {
Result<std::optional<Authorization>> authorization(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one(std::string(kSelect) + " WHERE a.id = ?", {id}));
  if (!row) return std::optional<Authorization>();
  Authorization a = authorization_of(*row);
  XZZF_CHECK(fill_items(tx, a));
  return std::optional<Authorization>(std::move(a));
}
}  // namespace repo

std::string_view authorization_kind_name(std::string_view kind) {
  if (kind == "delegate") return "下放";
  if (kind == "concentrate") return "相对集中行政处罚权";
  if (kind == "entrust") return "委托";
  return kind;
}

Result<Page<Authorization>> AuthorizationService::list(const Caller& caller,
                                                       const AuthorizationQuery& query) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  if (!query.kind.empty() && query.kind != "delegate" && query.kind != "concentrate" &&
      query.kind != "entrust") {
    return fail(ErrorCode::kQueryInvalid, field("name", "kind"),
                field("detail", "应为 delegate、concentrate 或 entrust"));
  }
  return db_.read([&](Tx& tx) -> Result<Page<Authorization>> {
    const auto grantor = caller.scope.filter("a.grantor_department_id", "g.jurisdiction_id");
    const auto grantee = caller.scope.filter("a.grantee_department_id", "gd.jurisdiction_id");
    std::string where = " WHERE (" + grantor.sql + " OR (a.grantee_department_id IS NOT NULL AND " +
                        grantee.sql + "))";
    Params params = grantor.params;
    params.insert(params.end(), grantee.params.begin(), grantee.params.end());
    if (!query.kind.empty()) {
      where += " AND a.kind = ?";
      params.emplace_back(query.kind);
    }
    if (query.department_id) {
      where += " AND (a.grantor_department_id = ? OR a.grantee_department_id = ?)";
      params.emplace_back(*query.department_id);
      params.emplace_back(*query.department_id);
    }
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM authorizations a JOIN departments g ON "
                                 "g.id = a.grantor_department_id LEFT JOIN departments gd ON "
                                 "gd.id = a.grantee_department_id" +
                                     where,
                                 params));
    params.emplace_back(query.page.page_size);
    params.emplace_back(query.page.offset());
    XZZF_TRY(rows, tx.query(std::string(kSelect) + where +
                                " ORDER BY a.effective_on DESC, a.id DESC LIMIT ? OFFSET ?",
                            params));
    Page<Authorization> page;
    page.total = count ? count->i64(0) : 0;
    for (const auto& r : rows) {
      page.items.push_back(authorization_of(r));
      XZZF_CHECK(fill_items(tx, page.items.back()));
    }
    return page;
  });
}

Result<Authorization> AuthorizationService::get(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  return db_.read([&](Tx& tx) -> Result<Authorization> {
    XZZF_TRY(a, repo::authorization(tx, id));
    if (!a) return fail(ErrorCode::kPowersAuthorizationNotFound, field("id", id));
    XZZF_TRY(grantor, repo::department(tx, a->grantor_department_id));
    if (!grantor) return fail(ErrorCode::kPowersAuthorizationNotFound, field("id", id));
    auto seen = caller.scope.check(grantor->id, grantor->jurisdiction_id);
    if (!seen && a->grantee_department_id) {
      XZZF_TRY(grantee, repo::department(tx, *a->grantee_department_id));
      if (grantee) seen = caller.scope.check(grantee->id, grantee->jurisdiction_id);
    }
    XZZF_CHECK(seen);
    return *a;
  });
}

Result<Authorization> AuthorizationService::create(const Caller& caller,
                                                   const Authorization& in) const {
  XZZF_CHECK(caller.require(Permission::kPowerReview));
  Authorization a = in;
  if (a.kind != "delegate" && a.kind != "concentrate" && a.kind != "entrust") {
    return invalid("决定类型",
                   "应为 delegate（下放）、concentrate（相对集中行政处罚权）或 "
                   "entrust（委托）：" +
                       a.kind);
  }
  for (const auto& [what, text, most] :
       {std::tuple{"决定名称", &a.title, 200}, std::tuple{"文号", &a.doc_number, 100},
        std::tuple{"决定机关", &a.issuer, 100}}) {
    if (text->empty() || search::code_points(*text) > static_cast<std::size_t>(most)) {
      return invalid(what, "应为 1 至 " + std::to_string(most) + " 个字");
    }
  }
  if (search::code_points(a.scope) > 2000) return invalid("权限范围", "不超过 2000 字");
  if (search::code_points(a.grantee_name) > 200) return invalid("受托组织", "不超过 200 字");
  for (const auto& [what, date] :
       {std::pair{"决定日期", &a.decided_on}, std::pair{"生效日期", &a.effective_on}}) {
    if (!Date::parse(*date)) return invalid(what, "应为 YYYY-MM-DD：" + *date);
  }
  if (a.effective_on < a.decided_on) return invalid("生效日期", "不能早于决定日期");
  if (a.valid_until && (!Date::parse(*a.valid_until) || *a.valid_until < a.effective_on)) {
    return invalid("有效期至", "应为不早于生效日期的 YYYY-MM-DD：" + *a.valid_until);
  }
  if (a.item_ids.size() > 500) return invalid("事项", "一次不超过 500 项");
  if (a.kind == "entrust") {
    // 委托书应当载明委托的具体事项、权限、期限.
    std::vector<std::string> missing;
    if (a.item_ids.empty()) missing.emplace_back("委托的具体事项");
    if (a.scope.empty()) missing.emplace_back("权限");
    if (!a.valid_until) missing.emplace_back("期限");
    if (a.grantee_name.empty() && !a.grantee_department_id) missing.emplace_back("受委托组织");
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : "、") + m;
      return tl::unexpected(make_rule_error(ErrorCode::kPowersEntrustIncomplete, kBasisEntrust,
                                            field("missing", list)));
    }
  } else if (!a.grantee_department_id) {
    return invalid("承接部门", "下放和相对集中须指明承接的部门");
  }
  if (a.kind == "concentrate" && a.issuer != "国务院" && !provincial_government(a.issuer)) {
    return tl::unexpected(make_rule_error(ErrorCode::kPowersConcentrateIssuer, kBasisConcentrate,
                                          field("issuer", a.issuer)));
  }
  if (a.kind == "delegate" && !provincial_government(a.issuer)) {
    return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateIssuer, kBasisDelegate,
                                          field("issuer", a.issuer)));
  }
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Authorization> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(grantor, repo::department(tx, a.grantor_department_id));
    if (!grantor) {
      return fail(ErrorCode::kOrgDepartmentNotFound, field("id", a.grantor_department_id));
    }
    XZZF_CHECK(caller.scope.check(grantor->id, grantor->jurisdiction_id));
    a.jurisdiction_id = grantor->jurisdiction_id;
    if (a.grantee_department_id) {
      XZZF_TRY(grantee, repo::department(tx, *a.grantee_department_id));
      if (!grantee) {
        return fail(ErrorCode::kOrgDepartmentNotFound, field("id", *a.grantee_department_id));
      }
      XZZF_CHECK(caller.scope.check(grantee->id, grantee->jurisdiction_id));
      if (grantee->id == grantor->id) return invalid("承接部门", "不能与授出部门相同");
      if (grantee->status != "active") {
        return fail(ErrorCode::kOrgDepartmentInactive, field("name", grantee->name),
                    field("status", grantee->status));
      }
      if (a.kind == "delegate") {
        if (grantee->jurisdiction_level != "township") {
          return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateTarget, kBasisDelegate,
                                                field("target", grantee->name)));
        }
        if (grantee->jurisdiction_parent_id != grantor->jurisdiction_id) {
          return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateCounty, kBasisDelegate,
                                                field("target", grantee->name),
                                                field("department", grantor->name)));
        }
      } else if (a.kind == "concentrate" && grantee->jurisdiction_id != grantor->jurisdiction_id) {
        return tl::unexpected(
            make_rule_error(ErrorCode::kPowersConcentrateGovernment, kBasisConcentrateGovernment,
                            field("target", grantee->name), field("department", grantor->name)));
      }
      if (a.grantee_name.empty()) a.grantee_name = grantee->name;
    }
    std::set<std::int64_t> seen;
    for (auto item_id : a.item_ids) {
      if (!seen.insert(item_id).second) return invalid("事项", "重复：" + std::to_string(item_id));
      XZZF_TRY(item, repo::find(tx, item_id));
      if (!item || item->department_id != grantor->id) {
        return invalid("事项", "不是“" + grantor->name + "”的事项：" + std::to_string(item_id));
      }
    }
    XZZF_TRY(id, tx.insert("INSERT INTO authorizations (kind, title, doc_number, issuer, "
                           "decided_on, effective_on, valid_until, jurisdiction_id, "
                           "grantor_department_id, grantee_department_id, grantee_name, scope, "
                           "created_by, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?)",
                           {a.kind, a.title, a.doc_number, a.issuer, a.decided_on, a.effective_on,
                            a.valid_until, a.jurisdiction_id, a.grantor_department_id,
                            a.grantee_department_id, a.grantee_name, a.scope,
                            caller.user_id != 0 ? std::optional(caller.user_id) : std::nullopt,
                            now.micros}));
    for (auto item_id : a.item_ids) XZZF_CHECK(repo::link_authorization(tx, id, item_id));
    XZZF_CHECK(journal_.record(
        tx,
        record::Act{
            .at = now,
            .actor_user_id = caller.user_id != 0 ? std::optional(caller.user_id) : std::nullopt,
            .jurisdiction_id = a.jurisdiction_id,
            .department_id = a.grantor_department_id,
            .subject_type = "authorization",
            .subject_id = id,
            .action = "authorization.created",
            .payload = {{"kind", a.kind},
                        {"title", a.title},
                        {"doc_number", a.doc_number},
                        {"issuer", a.issuer},
                        {"decided_on", a.decided_on},
                        {"effective_on", a.effective_on},
                        {"valid_until", a.valid_until ? json(*a.valid_until) : json(nullptr)},
                        {"grantor_department_id", a.grantor_department_id},
                        {"grantee_department_id",
                         a.grantee_department_id ? json(*a.grantee_department_id) : json(nullptr)},
                        {"grantee_name", a.grantee_name},
                        {"scope", a.scope},
                        {"items", a.item_ids}}}));
    XZZF_TRY(saved, repo::authorization(tx, id));
    return *saved;
  });
}

}  // namespace xzzf::powers
