#include "powers/service.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "core/sectors.hpp"
#include "library/parse.hpp"
#include "powers/repository.hpp"
#include "powers/sheet.hpp"
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
  // start with （; items are those that do, under the paragraph before them.
  std::vector<int> items_per_paragraph;
  std::string_view rest = *text;
  while (!rest.empty() || items_per_paragraph.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.starts_with("（") && !items_per_paragraph.empty()) {
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
  return status;
}

Result<Page<Item>> PowerService::items(const Caller& caller, const ItemQuery& query) const {
  XZZF_CHECK(caller.require(Permission::kPowerRead));
  static constexpr std::array<std::string_view, 5> kStatuses = {"draft", "submitted", "returned",
                                                                "approved", "published"};
  if (!query.status.empty() &&
      std::find(kStatuses.begin(), kStatuses.end(), query.status) == kStatuses.end()) {
    return fail(ErrorCode::kQueryInvalid, field("name", "status"),
                field("detail", "应为 draft、submitted、returned、approved 或 published"));
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
    return invalid("操作", "应为 submit、return、approve、publish 或 amend：" + action);
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
    std::int64_t version = current->version;
    Content c = current->content;
    if (action == "submit" || action == "approve" || action == "publish") {
      // The law may have changed since the item was saved. Its bases stay on
      // the version they were checked against (a newer text may number the
      // same article for another provision): a stale basis is refused, and
      // the department re-saves the item against the text now in force.
      for (const auto& b : c.bases) {
        if (b.stale) {
          return fail(ErrorCode::kPowersBasisStale, field("name", c.name), field("label", b.label),
                      field("date", b.version_date));
        }
      }
    }
    if (action == "amend") ++version;
    XZZF_CHECK(
        repo::set_status(tx, id, step->to, version,
                         action == "publish" ? std::optional(version) : current->published_version,
                         comment, now.micros));
    const json snap = snapshot(current->code, c);
    XZZF_CHECK(repo::save_version(tx, id, version, step->to, snap.dump(), now.micros));
    XZZF_CHECK(repo::add_review(tx, id, version, action, comment, actor_id(caller), now.micros));
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor_id(caller),
                                               .jurisdiction_id = current->jurisdiction_id,
                                               .department_id = current->department_id,
                                               .subject_type = "power_item",
                                               .subject_id = id,
                                               .action = std::string("power_item.") + action,
                                               .payload = {{"version", version},
                                                           {"status", step->to},
                                                           {"comment", comment},
                                                           {"snapshot", snap}}}));
    XZZF_TRY(saved, repo::find(tx, id));
    return *saved;
  });
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
      if (!it) continue;
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
