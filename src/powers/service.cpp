#include "powers/service.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "core/sectors.hpp"
#include "library/parse.hpp"
#include "powers/authorizations.hpp"
#include "powers/portal.hpp"
#include "powers/repository.hpp"
#include "powers/sheet.hpp"
#include "search/normalize.hpp"
#include "sheets/writer.hpp"

namespace xzzf::powers {
namespace {

using auth::Permission;
using nlohmann::json;
using storage::Tx;

tl::unexpected<Error> invalid(const char* what, std::string detail) {
  return fail(ErrorCode::kPowersInvalid, field("field", what), field("detail", std::move(detail)));
}

std::optional<std::int64_t> actor_id(const auth::Caller& c) {
  return c.user_id != 0 ? std::optional<std::int64_t>(c.user_id) : std::nullopt;
}

// Characters, not bytes: Chinese text is three bytes a character.
std::size_t length(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Checks one basis against the library and fills what it says: refused with
// the notice's article for a 规范性文件 and for a norm not in force that day.
Result<void> resolve(Tx& tx, Basis& b, const std::string& effective_from) {
  // Statutes number articles, paragraphs and items well below 1000.
  if (b.article <= 0 || b.article > 999 || b.sub < 0 || b.sub > 99 || b.paragraph < 0 ||
      b.paragraph > 99 || b.item < 0 || b.item > 99) {
    return invalid("执法依据", "条应为 1 至 999，之、款、项应为 0 至 99");
  }
  XZZF_TRY(norm, repo::norm_info(tx, b.norm_id));
  if (!norm)
    return invalid("执法依据", "法律法规库中没有编号为 " + std::to_string(b.norm_id) + " 的文件");
  b.norm_title = norm->title;
  b.norm_level = norm->level;
  if (norm->level == "normative_doc") {
    return tl::unexpected(make_rule_error(ErrorCode::kPowersNormativeDocBasis, kBasisNotice,
                                          field("norm", norm->title)));
  }
  if (norm->repealed_on && *norm->repealed_on <= effective_from) {
    return tl::unexpected(make_rule_error(ErrorCode::kPowersBasisNotInForce, kBasisNotice,
                                          field("norm", norm->title), field("date", effective_from),
                                          field("state", "已废止（" + *norm->repealed_on + "）")));
  }
  XZZF_TRY(version, repo::version_in_force(tx, b.norm_id, effective_from));
  if (!version) {
    // Not yet in force that day, or in force with a text the library lacks.
    if (!norm->adopted_on || effective_from < *norm->adopted_on) {
      return tl::unexpected(make_rule_error(
          ErrorCode::kPowersBasisNotInForce, kBasisNotice, field("norm", norm->title),
          field("date", effective_from), field("state", "尚未施行")));
    }
    return invalid("执法依据", "法律法规库没有《" + norm->title + "》在 " + effective_from +
                                   " 施行的文本，请先导入该版本或调整施行日期");
  }
  b.norm_version_id = version->first;
  b.version_date = version->second;
  XZZF_TRY(text, repo::article_text(tx, b.norm_version_id, b.article, b.sub));
  b.label = basis_label(b);
  if (!text) {
    std::string article = "第" + library::chinese_number(b.article) + "条";
    if (b.sub > 0) article += "之" + library::chinese_number(b.sub);
    return fail(ErrorCode::kPowersArticleNotFound, field("norm", norm->title),
                field("version", b.version_date), field("label", article));
  }
  b.article_text = *text;
  // The 款 and 项 must exist: paragraphs are the article's lines that do not
  // start with a bracket; items are those that do, under the paragraph
  // before them.
  std::vector<int> items_per_paragraph;
  std::string_view rest = *text;
  while (!rest.empty() || items_per_paragraph.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    // Items are numbered （一） in most published texts, (一) in some.
    if ((line.starts_with("（") || line.starts_with("(")) && !items_per_paragraph.empty()) {
      ++items_per_paragraph.back();
    } else {
      items_per_paragraph.push_back(0);
    }
    if (nl == std::string_view::npos) break;
  }
  const auto paragraphs = static_cast<int>(items_per_paragraph.size());
  const int in_paragraph = b.paragraph > 0 ? b.paragraph : 1;
  if (b.paragraph > paragraphs ||
      (b.item > 0 && b.item > items_per_paragraph[static_cast<std::size_t>(in_paragraph - 1)])) {
    std::string part = "第" + library::chinese_number(b.article) + "条";
    if (b.sub > 0) part += "之" + library::chinese_number(b.sub);
    if (b.paragraph > 0) part += "第" + library::chinese_number(b.paragraph) + "款";
    if (b.item > 0) part += "第（" + library::chinese_number(b.item) + "）项";
    return fail(ErrorCode::kPowersArticleNotFound, field("norm", norm->title),
                field("version", b.version_date), field("label", part));
  }
  return {};
}

// The checks every save runs; fills the bases from the library.
Result<void> validate(Tx& tx, const repo::DepartmentInfo& d, Content& c) {
  if (c.name.empty() || length(c.name) > 200) return invalid("事项名称", "应为 1 至 200 个字");
  if (category(c.category) == nullptr) {
    return invalid("职权类别",
                   "应为 license、penalty、coercion、confirmation、payment、levy、"
                   "adjudication、inspection 或 other：" +
                       c.category);
  }
  if (std::find(d.sectors.begin(), d.sectors.end(), c.sector) == d.sectors.end()) {
    return invalid("执法领域", "应为本部门的执法领域之一：" + c.sector);
  }
  if (!Date::parse(c.effective_from))
    return invalid("施行日期", "应为 YYYY-MM-DD：" + c.effective_from);
  for (const auto* text : {&c.scope, &c.responsibility, &c.time_limit}) {
    if (length(*text) > 2000) return invalid("文字内容", "每项不超过 2000 字");
  }
  if (c.liabilities.size() > 50) return invalid("追责情形", "不超过 50 条");
  for (const auto& l : c.liabilities) {
    if (l.empty() || length(l) > 500 || l.find('\n') != std::string::npos) {
      return invalid("追责情形", "每条 1 至 500 字，不含换行");
    }
  }
  if (c.agency_id) {
    XZZF_TRY(ok, repo::agency_of_department(tx, *c.agency_id, d.id));
    if (!ok) return invalid("承办机构", "不是本部门的在用内设机构");
  }
  if (c.post_id) {
    XZZF_TRY(ok, repo::post_of_department(tx, *c.post_id, d.id));
    if (!ok) return invalid("承办岗位", "不是本部门的岗位");
  }
  if (c.bases.empty()) {
    return tl::unexpected(
        make_rule_error(ErrorCode::kPowersNoBasis, kBasisNotice, field("name", c.name)));
  }
  if (c.bases.size() > 20) return invalid("执法依据", "不超过 20 条");
  for (auto& b : c.bases) XZZF_CHECK(resolve(tx, b, c.effective_from));
  return {};
}

json snapshot(const std::string& code, const Content& c) {
  json bases = json::array();
  for (const auto& b : c.bases) {
    bases.push_back({{"norm_id", b.norm_id},
                     {"norm_version_id", b.norm_version_id},
                     {"article", b.article},
                     {"sub", b.sub},
                     {"paragraph", b.paragraph},
                     {"item", b.item},
                     {"label", b.label}});
  }
  return json{{"code", code},
              {"name", c.name},
              {"category", c.category},
              {"sector", c.sector},
              {"scope", c.scope},
              {"bases", bases},
              {"agency_id", c.agency_id ? json(*c.agency_id) : json(nullptr)},
              {"post_id", c.post_id ? json(*c.post_id) : json(nullptr)},
              {"responsibility", c.responsibility},
              {"time_limit", c.time_limit},
              {"liabilities", c.liabilities},
              {"effective_from", c.effective_from}};
}

// The snapshot of a version that changes where the item belongs.
json change_snapshot(const Item& it) {
  json snap = snapshot(it.code, it.content);
  if (it.change != "create" && it.change != "amend") {
    snap["change"] = it.change;
    if (it.target_department_id) snap["target_department_id"] = *it.target_department_id;
    if (it.authorization_id) snap["authorization_id"] = *it.authorization_id;
  }
  return snap;
}

// The next free code of `category` in a department: 411481-SCJG-CF-012.
Result<std::string> next_code(Tx& tx, const repo::DepartmentInfo& d, const std::string& cat) {
  const std::string prefix = d.code + "-" + std::string(category(cat)->letter) + "-";
  XZZF_TRY(next, repo::next_number(tx, d.id, prefix));
  return prefix + fmt::format("{:03}", next);
}

// Where a delegate (下放) or transfer (转移) of `it` may go, checked when it is
// requested and again at every later step (the decision may have expired,
// the department may have changed meanwhile): the target department, and
// the decision it rests on.
Result<repo::DepartmentInfo> check_move(Tx& tx, const Item& it, const std::string& today) {
  const bool delegate = it.change == "delegate";
  const char* verb = delegate ? "下放" : "转移";
  XZZF_TRY(from, repo::department(tx, it.department_id));
  XZZF_TRY(target, repo::department(tx, it.target_department_id.value_or(0)));
  if (!from || !target) {
    return fail(ErrorCode::kOrgDepartmentNotFound,
                field("id", it.target_department_id.value_or(0)));
  }
  auto refuse = [&](std::string detail) {
    return fail(ErrorCode::kPowersChangeTarget, field("action", verb),
                field("target", target->name), field("detail", std::move(detail)));
  };
  if (target->id == from->id) return refuse("事项已属于该部门");
  if (target->status != "active") return refuse("该部门已不在用");
  if (delegate) {
    if (target->jurisdiction_level != "township") {
      return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateTarget, kBasisDelegate,
                                            field("target", target->name)));
    }
    if (it.content.category != "penalty") {
      return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateCategory, kBasisDelegate,
                                            field("name", it.content.name)));
    }
    if (target->jurisdiction_parent_id != from->jurisdiction_id) {
      return tl::unexpected(make_rule_error(ErrorCode::kPowersDelegateCounty, kBasisDelegate,
                                            field("target", target->name),
                                            field("department", from->name)));
    }
  } else if (target->jurisdiction_id != from->jurisdiction_id) {
    XZZF_TRY(decision, it.authorization_id ? repo::authorization(tx, *it.authorization_id)
                                           : Result<std::optional<Authorization>>());
    if (decision && decision->kind == "concentrate") {
      // Under a 相对集中 decision: the law says which government.
      return tl::unexpected(
          make_rule_error(ErrorCode::kPowersConcentrateGovernment, kBasisConcentrateGovernment,
                          field("target", target->name), field("department", from->name)));
    }
    return refuse("转移限于同一级人民政府的部门之间");
  }
  if (std::find(target->sectors.begin(), target->sectors.end(), it.content.sector) ==
      target->sectors.end()) {
    std::string sector = it.content.sector;
    for (const auto& sec : sectors()) {
      if (sec.code == it.content.sector) sector = std::string(sec.name);
    }
    return refuse("该部门没有“" + sector + "”执法领域");
  }
  if (it.authorization_id) {
    XZZF_TRY(a, repo::authorization(tx, *it.authorization_id));
    if (!a) return fail(ErrorCode::kPowersAuthorizationNotFound, field("id", *it.authorization_id));
    auto mismatch = [&](std::string detail) {
      return fail(ErrorCode::kPowersAuthorizationMismatch, field("title", a->title),
                  field("action", verb), field("detail", std::move(detail)));
    };
    const char* kind = delegate ? "delegate" : "concentrate";
    if (a->kind != kind) {
      return mismatch(std::string("它是") + std::string(authorization_kind_name(a->kind)) +
                      "决定，此处须为" + std::string(authorization_kind_name(kind)) + "决定");
    }
    if (a->grantor_department_id != from->id) return mismatch("授出部门不是“" + from->name + "”");
    if (a->grantee_department_id != target->id) {
      return mismatch("承接部门不是“" + target->name + "”");
    }
    // A decision that names its powers covers those only (the province
    // decides which powers go down, 行政处罚法 第二十四条).
    if (!a->item_ids.empty() &&
        std::find(a->item_ids.begin(), a->item_ids.end(), it.id) == a->item_ids.end()) {
      return mismatch("决定所列事项中没有“" + it.content.name + "”");
    }
    if (a->effective_on > today) return mismatch("自 " + a->effective_on + " 起生效");
    if (a->valid_until && *a->valid_until < today) {
      return mismatch("已于 " + *a->valid_until + " 到期");
    }
  } else if (delegate) {
    return invalid("下放决定", "下放须依据已登记的下放决定");
  }
  return *target;
}

struct Step {
  const char* action;
  Permission permission;
  std::vector<std::string_view> from;
  const char* to;
  const char* verb;  // for messages: 提交审核
};

const Step* step_of(std::string_view action) {
  static const std::vector<Step> steps = {
      {"submit", Permission::kPowerEdit, {"draft", "returned"}, "submitted", "提交审核"},
      {"return", Permission::kPowerReview, {"submitted"}, "returned", "退回"},
      {"approve", Permission::kPowerReview, {"submitted"}, "approved", "审核通过"},
      {"publish", Permission::kPowerReview, {"approved"}, "published", "公布"},
      {"amend", Permission::kPowerEdit, {"published"}, "draft", "修订"},
      {"withdraw", Permission::kPowerEdit, {"submitted", "returned"}, "published", "撤回变更申请"},
  };
  for (const auto& s : steps) {
    if (s.action == action) return &s;
  }
  return nullptr;
}

}  // namespace

std::string basis_label(const Basis& b) {
  std::string label = "《" + b.norm_title + "》第" + library::chinese_number(b.article) + "条";
  if (b.sub > 0) label += "之" + library::chinese_number(b.sub);
  if (b.paragraph > 0) label += "第" + library::chinese_number(b.paragraph) + "款";
  if (b.item > 0) label += "第（" + library::chinese_number(b.item) + "）项";
  return label;
}

const std::vector<Category>& categories() {
  static const std::vector<Category> list = {
      {"license", "行政许可", "XK"},      {"penalty", "行政处罚", "CF"},
      {"coercion", "行政强制", "QZ"},     {"confirmation", "行政确认", "QR"},
      {"payment", "行政给付", "JF"},      {"levy", "行政征收", "ZS"},
      {"adjudication", "行政裁决", "CJ"}, {"inspection", "行政检查", "JC"},
      {"other", "其他行政权力", "QT"},
  };
  return list;
}

const Category* category(std::string_view code) {
  for (const auto& c : categories()) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

std::string_view status_name(std::string_view status) {
  if (status == "draft") return "草稿";
  if (status == "submitted") return "待审核";
  if (status == "returned") return "已退回";
  if (status == "approved") return "已审核";
  if (status == "published") return "已公布";
  if (status == "cancelled") return "已取消";
  return status;
}

std::string_view change_name(std::string_view change) {
  if (change == "create") return "新增";
  if (change == "amend") return "修订";
  if (change == "cancel") return "取消";
  if (change == "delegate") return "下放";
  if (change == "transfer") return "转移";
  return change;
}

Result<Page<Item>> PowerService::items(const Caller& caller, const ItemQuery& query) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  static constexpr std::array<std::string_view, 6> kStatuses = {
      "draft", "submitted", "returned", "approved", "published", "cancelled"};
  if (!query.status.empty() &&
      std::find(kStatuses.begin(), kStatuses.end(), query.status) == kStatuses.end()) {
    return fail(
        ErrorCode::kQueryInvalid, field("name", "status"),
        field("detail", "应为 draft、submitted、returned、approved、published 或 cancelled"));
  }
  if (!query.category.empty() && category(query.category) == nullptr) {
    return fail(ErrorCode::kQueryInvalid, field("name", "category"),
                field("detail", query.category));
  }
  return db_.read([&](Tx& tx) { return repo::list(tx, caller.scope, query); });
}

Result<Item> PowerService::item(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  return db_.read([&](Tx& tx) -> Result<Item> {
    XZZF_TRY(item, repo::find(tx, id));
    if (!item) return fail(ErrorCode::kPowersNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(item->department_id, item->jurisdiction_id));
    return *item;
  });
}

Result<std::vector<Version>> PowerService::versions(const Caller& caller, std::int64_t id) const {
  XZZF_TRY(it, item(caller, id));
  return db_.read([&](Tx& tx) { return repo::versions(tx, it.id); });
}

Result<std::vector<Review>> PowerService::reviews(const Caller& caller, std::int64_t id) const {
  XZZF_TRY(it, item(caller, id));
  return db_.read([&](Tx& tx) { return repo::reviews(tx, it.id); });
}

Result<Item> PowerService::create(const Caller& caller, std::int64_t department_id,
                                  const std::string& code, const Content& content) const {
  XZZF_CHECK(caller.require(Permission::kPowerEdit));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Item> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(dept, repo::department(tx, department_id));
    if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", department_id));
    XZZF_CHECK(caller.scope.check(dept->id, dept->jurisdiction_id));
    if (dept->status != "active") {
      return fail(ErrorCode::kOrgDepartmentInactive, field("name", dept->name),
                  field("status", dept->status));
    }
    Content c = content;
    XZZF_CHECK(validate(tx, *dept, c));
    std::string item_code = code;
    if (item_code.empty()) {
      const std::string prefix = dept->code + "-" + std::string(category(c.category)->letter) + "-";
      XZZF_TRY(next, repo::next_number(tx, dept->id, prefix));
      item_code = prefix + fmt::format("{:03}", next);
    } else if (length(item_code) > 64 || item_code.find_first_of(" \t\r\n") != std::string::npos) {
      return invalid("事项编码", "不超过 64 个字符，不含空白");
    }
    XZZF_TRY(taken, repo::code_taken(tx, dept->id, item_code));
    if (taken) return fail(ErrorCode::kPowersDuplicateCode, field("code", item_code));
    XZZF_TRY(id, repo::insert(tx, dept->id, item_code, c, now.micros));
    const json snap = snapshot(item_code, c);
    XZZF_CHECK(repo::save_version(tx, id, 1, "draft", snap.dump(), now.micros));
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor_id(caller),
                                               .jurisdiction_id = dept->jurisdiction_id,
                                               .department_id = dept->id,
                                               .subject_type = "power_item",
                                               .subject_id = id,
                                               .action = "power_item.created",
                                               .payload = {{"version", 1}, {"snapshot", snap}}}));
    XZZF_TRY(saved, repo::find(tx, id));
    return *saved;
  });
}

Result<Item> PowerService::update(const Caller& caller, std::int64_t id,
                                  const Content& content) const {
  XZZF_CHECK(caller.require(Permission::kPowerEdit));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Item> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(current, repo::find(tx, id));
    if (!current) return fail(ErrorCode::kPowersNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(current->department_id, current->jurisdiction_id));
    if (current->status != "draft" && current->status != "returned") {
      return fail(ErrorCode::kPowersState, field("name", current->content.name),
                  field("status", std::string(status_name(current->status))),
                  field("action", "修改（已提交或已公布的事项须先退回或发起修订）"));
    }
    if (current->change == "cancel" || current->change == "delegate" ||
        current->change == "transfer") {
      return fail(ErrorCode::kPowersState, field("name", current->content.name),
                  field("status", std::string(status_name(current->status))),
                  field("action", "在取消、下放或转移的申请中修改内容（请先撤回申请）"));
    }
    XZZF_TRY(dept, repo::department(tx, current->department_id));
    Content c = content;
    XZZF_CHECK(validate(tx, *dept, c));
    XZZF_CHECK(repo::update_content(tx, id, c, now.micros));
    const json snap = snapshot(current->code, c);
    XZZF_CHECK(
        repo::save_version(tx, id, current->version, current->status, snap.dump(), now.micros));
    XZZF_CHECK(journal_.record(
        tx, record::Act{.at = now,
                        .actor_user_id = actor_id(caller),
                        .jurisdiction_id = current->jurisdiction_id,
                        .department_id = current->department_id,
                        .subject_type = "power_item",
                        .subject_id = id,
                        .action = "power_item.updated",
                        .payload = {{"version", current->version}, {"snapshot", snap}}}));
    XZZF_TRY(saved, repo::find(tx, id));
    return *saved;
  });
}

Result<Item> PowerService::transition(const Caller& caller, std::int64_t id,
                                      const std::string& action, const std::string& comment) const {
  const Step* step = step_of(action);
  if (step == nullptr) {
    return invalid("操作", "应为 submit、return、approve、publish、amend 或 withdraw：" + action);
  }
  XZZF_CHECK(caller.require(step->permission));
  if (action == "return" && comment.empty()) return invalid("退回意见", "退回须写明理由");
  if (length(comment) > 2000) return invalid("意见", "不超过 2000 字");
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Item> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(current, repo::find(tx, id));
    if (!current) return fail(ErrorCode::kPowersNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(current->department_id, current->jurisdiction_id));
    if (std::find(step->from.begin(), step->from.end(), current->status) == step->from.end()) {
      return fail(ErrorCode::kPowersState, field("name", current->content.name),
                  field("status", std::string(status_name(current->status))),
                  field("action", step->verb));
    }
    Item it = *current;
    const bool moves = it.change == "delegate" || it.change == "transfer";
    if ((action == "submit" || action == "approve" || action == "publish") &&
        it.change != "cancel") {
      // The law may have changed since the item was saved. Its bases stay on
      // the version they were checked against (a newer text may number the
      // same article for another provision): a stale basis is refused, and
      // the department re-saves the item against the text now in force. A
      // cancellation is exactly what a repealed basis calls for.
      for (const auto& b : it.content.bases) {
        if (b.stale) {
          return fail(ErrorCode::kPowersBasisStale, field("name", it.content.name),
                      field("label", b.label), field("date", b.version_date));
        }
      }
    }
    const std::string today = Date::of(now).to_string();
    std::optional<repo::DepartmentInfo> target;
    if (moves && (action == "submit" || action == "approve" || action == "publish")) {
      XZZF_TRY(t, check_move(tx, it, today));
      // The reviewer answers for the department the item goes to as well.
      if (action != "submit") XZZF_CHECK(caller.scope.check(t.id, t.jurisdiction_id));
      target = std::move(t);
    }
    const bool withdraws = action == "withdraw";
    if (withdraws &&
        (!current->published_version || it.change == "create" || it.change == "amend")) {
      return fail(ErrorCode::kPowersState, field("name", it.content.name),
                  field("status", std::string(status_name(it.status))),
                  field("action", "撤回（只有取消、下放、转移的申请可以撤回）"));
    }
    std::string to = step->to;
    if (withdraws) {
      // The published version stays as it is; the request is kept as a
      // version of its own, marked withdrawn.
      XZZF_CHECK(repo::set_change(tx, id, "amend", std::nullopt, std::nullopt));
    }
    if (action == "amend") {
      ++it.version;
      it.change = "amend";
      it.target_department_id.reset();
      it.authorization_id.reset();
      XZZF_CHECK(repo::set_change(tx, id, "amend", std::nullopt, std::nullopt));
    }
    if (action == "publish") {
      if (it.change == "cancel") {
        to = "cancelled";
        it.cancelled_on = today;
        XZZF_CHECK(repo::set_cancelled(tx, id, *it.cancelled_on));
        XZZF_CHECK(portal::withdraw(tx, id));
      } else if (moves) {
        // Under the department it now belongs to, with that department's
        // code; its agency and post were the old department's.
        XZZF_TRY(code, next_code(tx, *target, it.content.category));
        XZZF_CHECK(repo::move(tx, id, target->id, code));
        it.department_id = target->id;
        it.department_name = target->name;
        it.jurisdiction_id = target->jurisdiction_id;
        it.code = code;
        it.content.agency_id.reset();
        it.content.post_id.reset();
      }
    }
    XZZF_CHECK(repo::set_status(
        tx, id, to, it.version,
        action == "publish" ? std::optional(it.version) : current->published_version, comment,
        now.micros));
    it.status = to;
    const json snap = change_snapshot(it);
    XZZF_CHECK(repo::save_version(tx, id, it.version, withdraws ? "withdrawn" : to, snap.dump(),
                                  now.micros));
    if (action == "publish" && it.change != "cancel") {
      XZZF_CHECK(portal::publish(tx, it, snap.dump(), now.micros));
    }
    XZZF_CHECK(repo::add_review(tx, id, it.version, action, comment, actor_id(caller), now.micros));
    json payload{{"version", it.version},
                 {"status", to},
                 {"change", it.change},
                 {"comment", comment},
                 {"snapshot", snap}};
    if (action == "publish" && moves) {
      payload["from_department_id"] = current->department_id;
      payload["from_code"] = current->code;
    }
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor_id(caller),
                                               .jurisdiction_id = it.jurisdiction_id,
                                               .department_id = it.department_id,
                                               .subject_type = "power_item",
                                               .subject_id = id,
                                               .action = std::string("power_item.") + action,
                                               .payload = std::move(payload)}));
    XZZF_TRY(saved, repo::find(tx, id));
    return *saved;
  });
}

Result<Item> PowerService::request_change(const Caller& caller, std::int64_t id,
                                          const ChangeRequest& request) const {
  const std::string& action = request.action;
  const char* verb = action == "cancel"     ? "申请取消"
                     : action == "delegate" ? "申请下放"
                     : action == "transfer" ? "申请转移"
                                            : nullptr;
  if (verb == nullptr) return invalid("操作", "应为 cancel、delegate 或 transfer：" + action);
  XZZF_CHECK(caller.require(Permission::kPowerEdit));
  if (request.comment.empty()) return invalid("理由", std::string(verb) + "须写明理由");
  if (length(request.comment) > 2000) return invalid("理由", "不超过 2000 字");
  if (action == "cancel" && (request.department_id || request.authorization_id)) {
    return invalid("申请取消", "不带目标部门和授权决定");
  }
  if (action != "cancel" && !request.department_id) {
    return invalid("目标部门", std::string(verb) + "须指明承接的部门");
  }
  const Instant now = clock_.now();
  const std::string today = Date::of(clock_.now()).to_string();
  return db_.write([&](Tx& tx) -> Result<Item> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(current, repo::find(tx, id));
    if (!current) return fail(ErrorCode::kPowersNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(current->department_id, current->jurisdiction_id));
    if (current->status != "published") {
      return fail(ErrorCode::kPowersState, field("name", current->content.name),
                  field("status", std::string(status_name(current->status))),
                  field("action", verb));
    }
    Item it = *current;
    it.change = action;
    it.target_department_id = request.department_id;
    it.authorization_id = request.authorization_id;
    if (action != "cancel") XZZF_CHECK(check_move(tx, it, today));
    ++it.version;
    it.status = "submitted";
    XZZF_CHECK(repo::set_change(tx, id, action, it.target_department_id, it.authorization_id));
    XZZF_CHECK(repo::set_status(tx, id, "submitted", it.version, current->published_version,
                                request.comment, now.micros));
    const json snap = change_snapshot(it);
    XZZF_CHECK(repo::save_version(tx, id, it.version, "submitted", snap.dump(), now.micros));
    XZZF_CHECK(repo::add_review(tx, id, it.version, action, request.comment, actor_id(caller),
                                now.micros));
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor_id(caller),
                                               .jurisdiction_id = it.jurisdiction_id,
                                               .department_id = it.department_id,
                                               .subject_type = "power_item",
                                               .subject_id = id,
                                               .action = "power_item." + action,
                                               .payload = {{"version", it.version},
                                                           {"status", "submitted"},
                                                           {"change", action},
                                                           {"comment", request.comment},
                                                           {"snapshot", snap}}}));
    XZZF_TRY(saved, repo::find(tx, id));
    return *saved;
  });
}

Result<Progress> PowerService::progress(const Caller& caller,
                                        std::optional<std::int64_t> jurisdiction_id) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  return db_.read([&](Tx& tx) -> Result<Progress> {
    Progress p;
    p.today = Date::of(clock_.now()).to_string();
    std::optional<std::int64_t> asked = jurisdiction_id;
    if (caller.scope.kind() == auth::Scope::Kind::kDepartment) {
      asked.reset();  // a department sees itself, under its own jurisdiction's deadline
    } else if (asked) {
      XZZF_CHECK(caller.scope.check(std::nullopt, *asked));
    }
    p.jurisdiction_id = asked ? asked : caller.jurisdiction_id;
    XZZF_TRY(departments, repo::progress(tx, caller.scope, asked));
    p.departments = std::move(departments);
    // The deadline the nearest government set: a township's is its county's.
    for (auto j = p.jurisdiction_id; j && !p.deadline;) {
      XZZF_TRY(deadline, repo::deadline(tx, *j));
      p.deadline = deadline;
      XZZF_TRY(parent, tx.query_one("SELECT parent_id FROM jurisdictions WHERE id = ?", {*j}));
      j = parent ? parent->opt_i64(0) : std::nullopt;
    }
    return p;
  });
}

Result<std::string> PowerService::set_deadline(const Caller& caller, std::int64_t jurisdiction_id,
                                               const std::string& deadline) const {
  XZZF_CHECK(caller.require(Permission::kPowerReview));
  if (!Date::parse(deadline)) return invalid("完成期限", "应为 YYYY-MM-DD：" + deadline);
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<std::string> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(exists, tx.query_one("SELECT 1 FROM jurisdictions WHERE id = ?", {jurisdiction_id}));
    if (!exists) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", jurisdiction_id));
    XZZF_CHECK(caller.scope.check(std::nullopt, jurisdiction_id));
    XZZF_TRY(before, repo::deadline(tx, jurisdiction_id));
    XZZF_CHECK(repo::set_deadline(tx, jurisdiction_id, deadline, actor_id(caller), now.micros));
    XZZF_CHECK(journal_.record(
        tx, record::Act{.at = now,
                        .actor_user_id = actor_id(caller),
                        .jurisdiction_id = jurisdiction_id,
                        .subject_type = "power_list",
                        .subject_id = jurisdiction_id,
                        .action = "power_list.deadline_set",
                        .payload = {{"deadline", deadline},
                                    {"previous", before ? json(*before) : json(nullptr)}}}));
    return deadline;
  });
}

Result<void> PowerService::follow_merge(Tx& tx, const org::MergeEvent& event) const {
  XZZF_TRY(into, repo::department(tx, event.into_id));
  if (!into) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", event.into_id));
  XZZF_TRY(ids, repo::ids_of_department(tx, event.from_id));
  for (auto item_id : ids) {
    XZZF_TRY(it, repo::find(tx, item_id));
    // The code moves with the item unless the absorbing department uses it.
    std::string code = it->code;
    XZZF_TRY(taken, repo::code_taken(tx, into->id, code));
    if (taken) {
      XZZF_TRY(fresh, next_code(tx, *into, it->content.category));
      code = fresh;
    }
    XZZF_CHECK(repo::follow(tx, item_id, into->id, code));
    XZZF_CHECK(portal::follow(tx, item_id, into->id, into->jurisdiction_id, code));
    XZZF_CHECK(journal_.record(tx, record::Act{.at = event.at,
                                               .actor_user_id = event.actor_user_id,
                                               .jurisdiction_id = into->jurisdiction_id,
                                               .department_id = into->id,
                                               .subject_type = "power_item",
                                               .subject_id = item_id,
                                               .action = "power_item.followed_merge",
                                               .payload = {{"from_department_id", event.from_id},
                                                           {"into_department_id", into->id},
                                                           {"from_code", it->code},
                                                           {"code", code},
                                                           {"date", event.date}}}));
  }
  // Changes in review that name the merged department: a delegation or
  // transfer to it now goes to the department that absorbed it, and one
  // that now points at the item's own department is moot — what stays in
  // review is its content, as an amendment. Each on the record.
  constexpr const char* kPending = "status IN ('draft', 'submitted', 'returned', 'approved')";
  XZZF_TRY(pending,
           tx.query(std::string("SELECT id, department_id, target_department_id FROM power_items "
                                "WHERE target_department_id IN (?, ?) AND change IN ('delegate', "
                                "'transfer') AND ") +
                        kPending,
                    {event.from_id, into->id}));
  for (const auto& r : pending) {
    const std::int64_t item_id = r.i64(0);
    const bool moot = r.i64(1) == into->id;
    if (!moot && r.i64(2) != event.from_id) continue;  // another department's, to `into`
    if (moot) {
      XZZF_CHECK(repo::set_change(tx, item_id, "amend", std::nullopt, std::nullopt));
    } else {
      XZZF_CHECK(tx.exec("UPDATE power_items SET target_department_id = ? WHERE id = ?",
                         {into->id, item_id}));
    }
    XZZF_CHECK(journal_.record(tx, record::Act{.at = event.at,
                                               .actor_user_id = event.actor_user_id,
                                               .jurisdiction_id = into->jurisdiction_id,
                                               .department_id = r.i64(1),
                                               .subject_type = "power_item",
                                               .subject_id = item_id,
                                               .action = moot ? "power_item.change_dropped"
                                                              : "power_item.change_retargeted",
                                               .payload = {{"merged_department_id", event.from_id},
                                                           {"into_department_id", into->id},
                                                           {"date", event.date}}}));
  }
  return {};
}

Result<Page<PublicItem>> PowerService::public_items(const PublicQuery& query) const {
  if (!query.category.empty() && category(query.category) == nullptr) {
    return fail(ErrorCode::kQueryInvalid, field("name", "category"),
                field("detail", query.category));
  }
  PublicQuery q = query;
  XZZF_TRY(text, search::query_text(query.q));
  q.q = std::move(text);
  return db_.read([&](Tx& tx) { return portal::list(tx, q); });
}

Result<PublicItem> PowerService::public_item(std::int64_t id) const {
  return db_.read([&](Tx& tx) -> Result<PublicItem> {
    XZZF_TRY(it, portal::find(tx, id));
    if (!it) return fail(ErrorCode::kPowersNotFound, field("id", id));
    return *it;
  });
}

Result<PublicSummary> PowerService::public_summary() const {
  return db_.read([&](Tx& tx) { return portal::summary(tx); });
}

Result<std::int64_t> PowerService::index_published() const {
  return db_.write([&](Tx& tx) { return portal::index_missing(tx); });
}

Result<PowerService::ImportReport> PowerService::import_items(const Caller& caller,
                                                              std::int64_t department_id,
                                                              std::string_view xlsx) const {
  XZZF_CHECK(caller.require(Permission::kPowerEdit));
  sheets::Limits limits;
  limits.max_rows = kMaxImportRows;
  XZZF_TRY(table, sheets::read_table(xlsx, power_template(), limits));
  ImportReport report;
  if (!table.valid()) {
    report.issues = table.report;
    return report;
  }
  const Instant now = clock_.now();
  std::vector<sheets::RowIssue> issues;
  auto result = db_.write([&](Tx& tx) -> Result<ImportReport> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(dept, repo::department(tx, department_id));
    if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", department_id));
    XZZF_CHECK(caller.scope.check(dept->id, dept->jurisdiction_id));
    struct Ready {
      std::string code;
      Content content;
    };
    std::vector<Ready> ready;
    std::set<std::string> codes;
    for (const auto& row : table.rows) {
      auto issue = [&](const char* column, std::string message) {
        issues.push_back({row.number, column, std::move(message)});
      };
      const std::size_t before = issues.size();
      Content c;
      c.name = table.value(row, "name");
      for (const auto& cat : categories()) {
        if (cat.name == table.value(row, "category") || cat.code == table.value(row, "category")) {
          c.category = std::string(cat.code);
        }
      }
      const std::string& sector = table.value(row, "sector");
      for (const auto& sec : sectors()) {
        if (sec.name == sector || sec.code == sector) c.sector = std::string(sec.code);
      }
      if (c.sector.empty()) issue("执法领域", "未知的执法领域：" + sector);
      for (const auto& label : split_list(table.value(row, "bases"))) {
        auto ref = parse_basis_label(label);
        if (!ref) continue;  // the template's validator reported it
        XZZF_TRY(norm, repo::norm_id_by_title(tx, ref->title));
        if (!norm) {
          issue("实施依据", "法律法规库中没有《" + ref->title + "》");
          continue;
        }
        ref->basis.norm_id = *norm;
        c.bases.push_back(ref->basis);
      }
      c.scope = table.value(row, "scope");
      if (const auto& agency = table.value(row, "agency"); !agency.empty()) {
        XZZF_TRY(id, repo::agency_by_name(tx, dept->id, agency));
        if (!id) issue("承办机构", "本部门没有名为“" + agency + "”的在用内设机构");
        c.agency_id = id;
      }
      if (const auto& post = table.value(row, "post"); !post.empty()) {
        XZZF_TRY(id, repo::post_by_name(tx, dept->id, post));
        if (!id) issue("承办岗位", "本部门没有名为“" + post + "”的岗位");
        c.post_id = id;
      }
      c.responsibility = table.value(row, "responsibility");
      c.time_limit = table.value(row, "time_limit");
      // One liability per line (a liability's own text may hold ；).
      std::string_view lines = table.value(row, "liabilities");
      while (!lines.empty()) {
        const auto nl = lines.find('\n');
        std::string line(lines.substr(0, nl));
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) c.liabilities.push_back(std::move(line));
        if (nl == std::string_view::npos) break;
        lines.remove_prefix(nl + 1);
      }
      c.effective_from = table.value(row, "effective_from");
      std::string code = table.value(row, "code");
      if (!code.empty()) {
        XZZF_TRY(taken, repo::code_taken(tx, dept->id, code));
        if (taken || !codes.insert(code).second) issue("事项编码", "编码“" + code + "”已被使用");
      }
      if (issues.size() == before) {
        if (auto ok = validate(tx, *dept, c); !ok) {
          const auto code_of = ok.error().code;
          const bool basis = code_of == ErrorCode::kPowersNoBasis ||
                             code_of == ErrorCode::kPowersNormativeDocBasis ||
                             code_of == ErrorCode::kPowersBasisNotInForce ||
                             code_of == ErrorCode::kPowersArticleNotFound;
          std::string message = ok.error().message;
          if (ok.error().basis) message += "（依据：" + *ok.error().basis + "）";
          issue(basis ? "实施依据" : "", std::move(message));
        }
      }
      if (issues.size() == before) ready.push_back({std::move(code), std::move(c)});
    }
    if (!issues.empty())
      return fail(ErrorCode::kPowersImportInvalid, field("count", issues.size()));
    // Rows with their own codes first, so that a generated code never takes
    // one a later row names.
    std::stable_partition(ready.begin(), ready.end(),
                          [](const Ready& r) { return !r.code.empty(); });
    for (auto& r : ready) {
      std::string code = r.code;
      if (code.empty()) {
        const std::string prefix =
            dept->code + "-" + std::string(category(r.content.category)->letter) + "-";
        XZZF_TRY(next, repo::next_number(tx, dept->id, prefix));
        code = prefix + fmt::format("{:03}", next);
      }
      XZZF_TRY(id, repo::insert(tx, dept->id, code, r.content, now.micros));
      const json snap = snapshot(code, r.content);
      XZZF_CHECK(repo::save_version(tx, id, 1, "draft", snap.dump(), now.micros));
      XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                                 .actor_user_id = actor_id(caller),
                                                 .jurisdiction_id = dept->jurisdiction_id,
                                                 .department_id = dept->id,
                                                 .subject_type = "power_item",
                                                 .subject_id = id,
                                                 .action = "power_item.imported",
                                                 .payload = {{"version", 1}, {"snapshot", snap}}}));
    }
    return ImportReport{.imported = static_cast<int>(ready.size()), .issues = {}};
  });
  if (!result && result.error().code == ErrorCode::kPowersImportInvalid) {
    report.issues = std::move(issues);
    return report;
  }
  return result;
}

Result<std::string> PowerService::export_items(const Caller& caller,
                                               std::int64_t department_id) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  XZZF_TRY(rows, db_.read([&](Tx& tx) -> Result<sheets::Rows> {
    XZZF_TRY(dept, repo::department(tx, department_id));
    if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", department_id));
    XZZF_CHECK(caller.scope.check(dept->id, dept->jurisdiction_id));
    XZZF_TRY(ids, repo::ids_of_department(tx, dept->id));
    sheets::Rows out;
    for (auto id : ids) {
      XZZF_TRY(it, repo::find(tx, id));
      // A cancelled item is no longer on the list.
      if (!it || it->status == "cancelled") continue;
      std::string sector_name = it->content.sector;
      for (const auto& sec : sectors()) {
        if (sec.code == it->content.sector) sector_name = std::string(sec.name);
      }
      out.push_back(export_row(*it, sector_name));
    }
    return out;
  }));
  return sheets::xlsx_bytes("权责清单", power_template(), rows);
}

}  // namespace xzzf::powers
