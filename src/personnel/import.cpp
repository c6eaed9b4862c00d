// PersonnelService's imports (personnel/sheet.hpp): officers, and the
// certificate numbers the province issued. Each reads the file against its
// template, checks every row inside one write transaction with the rules of
// create_officer() and review(), and writes all rows or none.

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "personnel/repository.hpp"
#include "personnel/service.hpp"
#include "privacy/mask.hpp"

namespace xzzf::personnel {
namespace {

using auth::Permission;
using storage::Tx;

// The report of one import: the template's issues, then those of the rows'
// own checks, at most one per cell (the first said wins, so the template's
// message stands), in row then column order, and no more than the reader's
// bound (nothing is imported anyway).
class Report {
 public:
  Report(const sheets::Template& tmpl, const sheets::Table& table, std::size_t most)
      : tmpl_(tmpl), most_(most) {
    for (const auto& i : table.report) add(i.row, i.column, i.message);
  }

  void add(std::uint32_t row, const std::string& column, std::string message) {
    if (issues_.size() >= most_ || !cells_.emplace(row, column).second) return;
    issues_.push_back({row, column, std::move(message)});
  }
  [[nodiscard]] bool has(std::uint32_t row, const std::string& column) const {
    return cells_.contains({row, column});
  }
  [[nodiscard]] bool empty() const { return issues_.empty(); }
  [[nodiscard]] std::size_t size() const { return issues_.size(); }

  [[nodiscard]] std::vector<sheets::RowIssue> sorted() && {
    const auto index = [this](const std::string& column) {
      const auto& cols = tmpl_.columns;
      const auto at = std::find_if(cols.begin(), cols.end(),
                                   [&](const sheets::Column& c) { return c.header == column; });
      // A column letter (a cell right of the template's columns) comes last.
      return static_cast<std::size_t>(at - cols.begin());
    };
    std::stable_sort(issues_.begin(), issues_.end(),
                     [&](const sheets::RowIssue& a, const sheets::RowIssue& b) {
                       if (a.row != b.row) return a.row < b.row;
                       return index(a.column) < index(b.column);
                     });
    return std::move(issues_);
  }

 private:
  const sheets::Template& tmpl_;
  std::size_t most_;
  std::vector<sheets::RowIssue> issues_;
  std::set<std::pair<std::uint32_t, std::string>> cells_;
};

sheets::Limits import_limits() {
  sheets::Limits limits;
  limits.max_rows = kMaxImportRows;
  return limits;
}

constexpr const char* kExampleRow = "这是模板中的示例行（虚构的身份证号码），请删除后再导入";

}  // namespace

Result<ImportReport> PersonnelService::import_officers(const Caller& caller,
                                                       std::int64_t department_id,
                                                       std::string_view xlsx) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  const sheets::Limits limits = import_limits();
  XZZF_TRY(table, sheets::read_table(xlsx, officer_template(), limits));
  Report report(officer_template(), table, limits.max_issues);
  const Instant now = clock_.now();
  auto imported = db_.write([&](Tx& tx) -> Result<int> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(dept, repo::department(tx, department_id));
    if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", department_id));
    XZZF_CHECK(caller.scope.check(dept->id, dept->jurisdiction_id));
    std::vector<NewOfficer> ready;
    std::map<std::string, std::uint32_t> first_row;  // digest → the row that has it first
    std::map<std::string, std::optional<std::int64_t>> posts;  // name → post
    for (const auto& row : table.rows) {
      const auto cell = [&](std::string_view key) { return trimmed(table.value(row, key)); };
      const std::string employment = cell("employment");
      NewOfficer cmd{.department_id = dept->id,
                     .full_name = cell("full_name"),
                     .id_number = privacy::normalize_id_number(cell("id_number")),
                     .phone = cell("phone"),
                     .employment = employment_of(employment).value_or(employment),
                     .legal_qualification = yes_no(cell("legal_qualification")).value_or(false),
                     .post_started_on = cell("started_on")};
      // create_officer()'s own checks, with the form's names for the columns.
      for (auto& p : officer_problems(cmd)) report.add(row.number, p.field, std::move(p.detail));
      if (const std::string post = cell("post"); !post.empty()) {
        auto known = posts.find(post);
        if (known == posts.end()) {
          XZZF_TRY(id, repo::post_by_name(tx, dept->id, post));
          known = posts.emplace(post, id).first;
        }
        if (!known->second)
          report.add(row.number, "岗位", "本部门没有名为“" + post + "”的在用岗位");
        cmd.post_id = known->second;
      } else if (!cmd.post_started_on.empty()) {
        report.add(row.number, "到岗日期", "填写到岗日期时须同时填写岗位");
      }
      if (privacy::valid_id_number(cmd.id_number)) {
        const std::string masked = privacy::mask_id_number(cmd.id_number);
        const std::string digest = id_digest(cmd.id_number);
        if (cmd.id_number == example_id_number()) {
          report.add(row.number, "身份证号码", kExampleRow);
        } else if (auto [first, fresh] = first_row.emplace(digest, row.number); !fresh) {
          report.add(row.number, "身份证号码",
                     fmt::format("与第 {} 行的身份证号码（{}）重复", first->second, masked));
        } else {
          XZZF_TRY(existing, repo::officer_by_digest(tx, digest));
          // No more than that: where the person works is not the caller's to learn.
          if (existing) {
            report.add(row.number, "身份证号码",
                       "身份证号码为 " + masked + " 的人员已登记为执法人员");
          }
        }
      }
      ready.push_back(std::move(cmd));
    }
    if (!report.empty()) {
      return fail(ErrorCode::kPersonnelImportInvalid, field("count", report.size()));
    }
    for (const auto& cmd : ready) XZZF_CHECK(insert_officer(tx, caller, *dept, cmd, now));
    return static_cast<int>(ready.size());
  });
  if (!imported && imported.error().code == ErrorCode::kPersonnelImportInvalid) {
    return ImportReport{.imported = 0, .issues = std::move(report).sorted()};
  }
  if (!imported) return fail(imported.error());
  return ImportReport{.imported = *imported, .issues = {}};
}

Result<ImportReport> PersonnelService::import_numbers(const Caller& caller,
                                                      std::string_view xlsx) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  const sheets::Limits limits = import_limits();
  XZZF_TRY(table, sheets::read_table(xlsx, number_template(), limits));
  Report report(number_template(), table, limits.max_issues);
  const Instant now = clock_.now();
  auto imported = db_.write([&](Tx& tx) -> Result<int> {
    XZZF_CHECK(journal_.hold(tx));
    struct Ready {
      Certificate certificate;
      std::int64_t jurisdiction_id = 0;
      Review review;
    };
    std::vector<Ready> ready;
    std::map<std::string, std::uint32_t> numbers;        // number → its first row
    std::map<std::int64_t, std::uint32_t> applications;  // certificate → its first row
    for (const auto& row : table.rows) {
      const auto cell = [&](std::string_view key) { return trimmed(table.value(row, key)); };
      const Review r{.approve = true,
                     .number = cell("number"),
                     .issued_on = cell("issued_on"),
                     .expires_on = cell("expires_on"),
                     .reason = "由证件编号导入表格录入"};
      // review()'s own checks of an approval.
      if (auto p = approval_problem(r)) report.add(row.number, p->field, std::move(p->detail));
      if (!r.number.empty() && !report.has(row.number, "证件编号")) {
        if (auto [first, fresh] = numbers.emplace(r.number, row.number); !fresh) {
          report.add(row.number, "证件编号",
                     fmt::format("与第 {} 行的证件编号重复", first->second));
        } else {
          XZZF_TRY(taken, repo::number_taken(tx, r.number));
          if (taken) report.add(row.number, "证件编号", "证件编号 " + r.number + " 已被使用");
        }
      }
      const std::string id_number = privacy::normalize_id_number(cell("id_number"));
      const auto kind = certificate_kind_of(cell("kind"));
      // The template has said what is wrong with either.
      if (!privacy::valid_id_number(id_number) || !kind) continue;
      if (id_number == example_id_number()) {
        report.add(row.number, "身份证号码", kExampleRow);
        continue;
      }
      const std::string masked = privacy::mask_id_number(id_number);
      XZZF_TRY(o, repo::officer_by_digest(tx, id_digest(id_number)));
      // An officer out of scope is not one the caller may learn of.
      if (!o || !caller.scope.check(o->department_id, o->jurisdiction_id)) {
        report.add(row.number, "身份证号码",
                   "在您的管辖范围内没有身份证号码为 " + masked + " 的执法人员");
        continue;
      }
      if (o->full_name != cell("full_name")) {
        report.add(row.number, "姓名", "与身份证号码 " + masked + " 登记的执法人员姓名不一致");
        continue;
      }
      XZZF_TRY(c, repo::applied_certificate(tx, o->id, *kind));
      if (!c) {
        report.add(row.number, "证件种类",
                   fmt::format("该执法人员没有待审核的{}申请", certificate_kind_name(*kind)));
        continue;
      }
      if (!caller.scope.check(c->department_id, o->jurisdiction_id) || !reviewable(caller, *c)) {
        report.add(row.number, "证件种类",
                   fmt::format("该执法人员的{}申请所含区域超出您的管辖范围",
                               certificate_kind_name(*kind)));
        continue;
      }
      if (auto [first, fresh] = applications.emplace(c->id, row.number); !fresh) {
        report.add(row.number, "证件种类",
                   fmt::format("与第 {} 行是该执法人员的同一份申请", first->second));
        continue;
      }
      ready.push_back({std::move(*c), o->jurisdiction_id, r});
    }
    if (!report.empty()) {
      return fail(ErrorCode::kPersonnelImportInvalid, field("count", report.size()));
    }
    for (const auto& x : ready) {
      XZZF_CHECK(issue_certificate(tx, caller, x.certificate, x.jurisdiction_id, x.review, now));
    }
    return static_cast<int>(ready.size());
  });
  if (!imported && imported.error().code == ErrorCode::kPersonnelImportInvalid) {
    return ImportReport{.imported = 0, .issues = std::move(report).sorted()};
  }
  if (!imported) return fail(imported.error());
  return ImportReport{.imported = *imported, .issues = {}};
}

}  // namespace xzzf::personnel
