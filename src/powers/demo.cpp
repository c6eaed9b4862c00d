#include "powers/demo.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "auth/caller.hpp"
#include "core/embedded.hpp"
#include "library/parse.hpp"
#include "library/service.hpp"
#include "powers/authorizations.hpp"
#include "powers/repository.hpp"
#include "powers/service.hpp"
#include "powers/sheet.hpp"

namespace xzzf::embedded {
const std::vector<File>& powers_data_files();  // src/powers/data/*, by cmake/embed.cmake
}  // namespace xzzf::embedded

namespace xzzf::powers {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using storage::Tx;

constexpr std::string_view kDemoFile = "src/powers/data/demo_items.json";

tl::unexpected<Error> bad_data(std::string detail) {
  return fail(ErrorCode::kPowersInvalid, field("field", "演示权责清单"),
              field("detail", std::move(detail)));
}

// The error of one item, named: the catalog message says what, not which.
tl::unexpected<Error> about(const DemoItem& d, Error e) {
  e.message = "演示事项“" + d.content.name + "”（" + d.department + "）：" + e.message;
  return tl::unexpected(std::move(e));
}

struct Defaults {
  std::string responsibility;
  std::string time_limit;
  std::vector<std::string> liabilities;
};

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  for (const auto& s : j) out.push_back(s.get<std::string>());
  return out;
}

// A basis as the data file writes it. A title may hold 《》 itself
// (河南省实施《中华人民共和国农产品质量安全法》办法): it ends at the 》 before 第.
std::optional<BasisRef> parse_label(const std::string& label) {
  constexpr std::string_view kOpen = "《";
  const auto end = label.find("》第");
  if (!label.starts_with(kOpen) || end == std::string::npos || end <= kOpen.size()) {
    return std::nullopt;
  }
  auto ref = parse_basis_label("《-" + label.substr(end));
  if (!ref) return std::nullopt;
  ref->title = label.substr(kOpen.size(), end - kOpen.size());
  return ref;
}

// The review steps that take a new draft to `state`.
std::vector<std::string> steps_to(const std::string& state) {
  if (state == "submitted") return {"submit"};
  if (state == "returned") return {"submit", "return"};
  if (state == "approved") return {"submit", "approve"};
  if (state == "published") return {"submit", "approve", "publish"};
  return {};
}

// Reads the list; nlohmann throws on a missing key or a wrong type, which
// the caller turns into an error.
DemoList parse_list(const json& doc, std::vector<std::string>& problems) {
  std::map<std::string, Defaults> templates;
  for (const auto& [category_code, t] : doc.at("templates").items()) {
    templates[category_code] =
        Defaults{t.at("responsibility").get<std::string>(), t.at("time_limit").get<std::string>(),
                 strings(t.at("liabilities"))};
  }
  struct Department {
    std::string agency;
    std::string post;
    std::vector<std::string> liabilities;
  };
  std::map<std::string, Department> departments;
  for (const auto& [code, d] : doc.at("departments").items()) {
    departments[code] = Department{
        d.value("agency", ""), d.value("post", ""),
        d.contains("liabilities") ? strings(d.at("liabilities")) : std::vector<std::string>{}};
  }
  DemoList list;
  list.superseded_texts = strings(doc.at("superseded_texts"));
  for (const auto& j : doc.at("items")) {
    DemoItem d;
    d.department = j.at("department").get<std::string>();
    Content& c = d.content;
    c.name = j.at("name").get<std::string>();
    c.category = j.at("category").get<std::string>();
    c.sector = j.at("sector").get<std::string>();
    c.scope = j.at("scope").get<std::string>();
    c.effective_from = j.at("effective_from").get<std::string>();
    const auto problem = [&](const std::string& what) {
      problems.push_back("“" + c.name + "”：" + what);
    };
    for (const auto& label : j.at("bases")) {
      auto ref = parse_label(label.get<std::string>());
      if (!ref) {
        problem("无法识别的依据 " + label.get<std::string>());
        continue;
      }
      d.norm_titles.push_back(ref->title);
      c.bases.push_back(ref->basis);
    }
    const auto dept = departments.find(d.department);
    const auto tmpl = templates.find(c.category);
    if (dept == departments.end()) problem("departments 中没有 " + d.department);
    if (tmpl == templates.end()) problem("templates 中没有 " + c.category);
    if (dept == departments.end() || tmpl == templates.end()) continue;
    d.agency = j.value("agency", dept->second.agency);
    d.post = j.value("post", dept->second.post);
    c.responsibility = j.value("responsibility", tmpl->second.responsibility);
    c.time_limit = j.value("time_limit", tmpl->second.time_limit);
    c.liabilities =
        j.contains("liabilities") ? strings(j.at("liabilities")) : tmpl->second.liabilities;
    c.liabilities.insert(c.liabilities.end(), dept->second.liabilities.begin(),
                         dept->second.liabilities.end());
    d.state = j.value("state", "published");
    d.comment = j.value("comment", "");
    d.history = j.value("history", false);
    if (d.state != "draft" && steps_to(d.state).empty()) problem("未知的状态 " + d.state);
    if (d.state == "returned" && d.comment.empty()) problem("退回须写明理由（comment）");
    if (d.history && d.state != "published") problem("旧版本依据的事项应为已公布");
    list.items.push_back(std::move(d));
  }
  return list;
}

// Takes the demo items through PowerService as the legal office (the system
// acting: no user id), one department's existing names at a time.
class Loader {
 public:
  Loader(storage::Database& db, const Clock& clock,
         const std::map<std::string, std::int64_t>& department_ids)
      : db_(db), service_(db, clock), department_ids_(department_ids) {
    caller_.username = "xzzf-demo";
    caller_.display_name = "演示数据";
    caller_.roles = {auth::Role::kLegalOffice};
    caller_.scope = auth::Scope::all();
  }

  Result<DemoResult> run(const DemoList& list, bool history_only) {
    DemoResult out;
    std::vector<const DemoItem*> items;
    for (const auto& d : list.items) {
      if (!history_only || d.history) items.push_back(&d);
    }
    // The norms first: an empty library (no laws/ at hand) loads nothing,
    // a library lacking some of them is an error.
    std::set<std::string> titles;
    for (const auto* d : items) titles.insert(d->norm_titles.begin(), d->norm_titles.end());
    std::vector<std::string> missing;
    for (const auto& title : titles) {
      XZZF_TRY(id, db_.read([&](Tx& tx) { return repo::norm_id_by_title(tx, title); }));
      if (id) {
        norm_ids_[title] = *id;
      } else {
        missing.push_back(title);
      }
    }
    if (!titles.empty() && missing.size() == titles.size()) {
      out.library_empty = true;
      return out;
    }
    if (!missing.empty()) return bad_data("法律法规库中没有《" + missing.front() + "》");
    std::map<std::int64_t, std::set<std::string>> names;
    for (const auto* d : items) {
      const auto dept = department_ids_.find(d->department);
      if (dept == department_ids_.end()) return bad_data("演示组织中没有部门 " + d->department);
      if (!names.contains(dept->second)) {
        XZZF_TRY(existing, names_of(dept->second));
        names[dept->second] = std::move(existing);
      }
      if (names[dept->second].contains(d->content.name)) {
        ++out.existing;
        continue;
      }
      XZZF_TRY(status, load(*d, dept->second));
      names[dept->second].insert(d->content.name);
      ++out.created;
      ++out.by_status[status];
    }
    for (const auto& department : names) {
      ItemQuery q;
      q.department_id = department.first;
      q.flagged_only = true;
      q.page.page_size = 1;
      XZZF_TRY(flagged, service_.items(caller_, q));
      out.flagged += static_cast<int>(flagged.total);
    }
    return out;
  }

 private:
  Result<std::set<std::string>> names_of(std::int64_t department_id) {
    std::set<std::string> out;
    ItemQuery q;
    q.department_id = department_id;
    q.page.page_size = kMaxPageSize;
    for (q.page.page = 1;; ++q.page.page) {
      XZZF_TRY(page, service_.items(caller_, q));
      for (const auto& it : page.items) out.insert(it.content.name);
      if (page.items.empty() || q.page.page * q.page.page_size >= page.total) break;
    }
    // Items the department handed over by a decision (load_demo_decisions)
    // now belong elsewhere: they are there already.
    XZZF_TRY(handed, db_.read([&](Tx& tx) {
      return tx.query(
          "SELECT i.name FROM authorization_items ai JOIN authorizations a ON "
          "a.id = ai.authorization_id JOIN power_items i ON i.id = ai.item_id "
          "WHERE a.grantor_department_id = ?",
          {department_id});
    }));
    for (const auto& r : handed) out.insert(r.text(0));
    return out;
  }

  // Creates one item and takes it to its state; returns the status reached.
  Result<std::string> load(const DemoItem& d, std::int64_t department_id) {
    Content c = d.content;
    for (std::size_t i = 0; i < c.bases.size(); ++i) {
      c.bases[i].norm_id = norm_ids_.at(d.norm_titles[i]);
    }
    if (!d.agency.empty()) {
      XZZF_TRY(id,
               db_.read([&](Tx& tx) { return repo::agency_by_name(tx, department_id, d.agency); }));
      if (!id)
        return about(d, make_error(ErrorCode::kPowersInvalid, field("field", "承办机构"),
                                   field("detail", "部门没有“" + d.agency + "”")));
      c.agency_id = *id;
    }
    if (!d.post.empty()) {
      XZZF_TRY(id, db_.read([&](Tx& tx) { return repo::post_by_name(tx, department_id, d.post); }));
      if (!id)
        return about(d, make_error(ErrorCode::kPowersInvalid, field("field", "承办岗位"),
                                   field("detail", "部门没有“" + d.post + "”")));
      c.post_id = *id;
    }
    auto created = service_.create(caller_, department_id, "", c);
    if (!created) return about(d, created.error());
    std::string status = created->status;
    for (const auto& action : steps_to(d.state)) {
      std::string comment;
      if (action == "return") comment = d.comment;
      if (action == "approve") comment = "实施依据与条文核对一致，同意。";
      if (action == "publish") comment = "同意公布。";
      auto step = service_.transition(caller_, created->id, action, comment);
      // Loaded after the text that amended it, a history item cannot be
      // submitted: it stays a draft, on the revision list all the same.
      if (!step && d.history && step.error().code == ErrorCode::kPowersBasisStale) break;
      if (!step) return about(d, step.error());
      status = step->status;
    }
    return status;
  }

  storage::Database& db_;
  PowerService service_;
  const std::map<std::string, std::int64_t>& department_ids_;
  auth::Caller caller_;
  std::map<std::string, std::int64_t> norm_ids_;
};

}  // namespace

Result<DemoList> demo_list() {
  for (const auto& f : embedded::powers_data_files()) {
    if (f.path != kDemoFile) continue;
    const json doc = json::parse(f.bytes.begin(), f.bytes.end(), nullptr, false);
    if (doc.is_discarded()) return bad_data(std::string(kDemoFile) + " 不是有效的 JSON");
    std::vector<std::string> problems;
    DemoList list;
    try {
      list = parse_list(doc, problems);
    } catch (const json::exception& e) {
      return bad_data(std::string(kDemoFile) + "：" + e.what());
    }
    if (!problems.empty()) {
      return bad_data(problems.front() + "（共 " + std::to_string(problems.size()) + " 处）");
    }
    return list;
  }
  return bad_data(std::string(kDemoFile) + " 未编入本程序");
}

Result<DemoResult> load_demo_history(storage::Database& db, const Clock& clock,
                                     const std::map<std::string, std::int64_t>& department_ids,
                                     const fs::path& laws_dir, const std::string& source) {
  std::error_code ec;
  if (!fs::is_directory(laws_dir, ec)) return DemoResult{};
  XZZF_TRY(list, demo_list());
  library::LibraryService library(db, clock);
  int imported = 0;
  static const std::regex dated(".*\\(([0-9]{4}-[0-9]{2}-[0-9]{2})\\)\\.md$");
  for (const auto& rel : list.superseded_texts) {
    // Only national texts are superseded in laws/; the region of a provincial
    // one would follow from its title, as import_directory does it.
    if (!rel.starts_with("national/")) return bad_data(rel + " 不在 national/ 下");
    std::ifstream in(laws_dir / fs::u8path(rel), std::ios::binary);
    if (!in) return bad_data("法律文本目录中没有 " + rel);
    std::ostringstream body;
    body << in.rdbuf();
    XZZF_TRY(text, library::parse_norm_text(body.str()));
    library::ImportMeta meta;
    meta.region_code = "000000";
    std::smatch m;
    if (std::regex_match(rel, m, dated)) meta.version_date = m[1].str();
    meta.source = source + "：" + rel;
    XZZF_TRY(done, library.import_text(text, meta, std::nullopt));
    if (done.created) ++imported;
  }
  XZZF_TRY(out, Loader(db, clock, department_ids).run(list, true));
  out.texts_imported = imported;
  return out;
}

std::string demo_summary(const DemoResult& history, const DemoResult& rest) {
  if (rest.library_empty) return "权责清单：法律法规库中没有所引法律文本，跳过";
  const int created = history.created + rest.created;
  if (created == 0) {
    return "权责清单：已有 " + std::to_string(rest.existing) + " 项，未新建；待修订 " +
           std::to_string(rest.flagged) + " 项";
  }
  std::string line = "权责清单：新建 " + std::to_string(created) + " 项（";
  const std::pair<const char*, const char*> states[] = {{"published", "已公布"},
                                                        {"approved", "已审核"},
                                                        {"submitted", "待审核"},
                                                        {"returned", "已退回"},
                                                        {"draft", "草稿"}};
  bool first = true;
  for (const auto& [status, name] : states) {
    int n = 0;
    for (const auto* r : {&history, &rest}) {
      if (auto it = r->by_status.find(status); it != r->by_status.end()) n += it->second;
    }
    if (n == 0) continue;
    line += std::string(first ? "" : "、") + name + " " + std::to_string(n) + " 项";
    first = false;
  }
  return line + "），待修订 " + std::to_string(rest.flagged) + " 项";
}

Result<DemoResult> load_demo(storage::Database& db, const Clock& clock,
                             const std::map<std::string, std::int64_t>& department_ids) {
  XZZF_TRY(list, demo_list());
  return Loader(db, clock, department_ids).run(list, false);
}

// The decisions below are demo values, not the numbers and dates of real
// documents (as the organization's 确认文件 in org/demo.cpp).
constexpr const char* kDemoDelegationTitle = "关于赋予乡镇人民政府部分县级行政处罚权的决定（演示）";

Result<int> load_demo_decisions(storage::Database& db, const Clock& clock,
                                const std::map<std::string, std::int64_t>& department_ids) {
  const auto urban = department_ids.find("411481-CGJ");
  const auto town = department_ids.find("411481101-ZF");
  const auto housing = department_ids.find("411481-ZJ");
  if (urban == department_ids.end() || town == department_ids.end() ||
      housing == department_ids.end()) {
    return 0;
  }
  XZZF_TRY(done, db.read([&](Tx& tx) {
    return tx.query_one("SELECT 1 FROM authorizations WHERE title = ?", {kDemoDelegationTitle});
  }));
  if (done) return 0;
  auth::Caller office;
  office.username = "xzzf-demo";
  office.display_name = "演示数据";
  office.roles = {auth::Role::kLegalOffice};
  office.scope = auth::Scope::all();
  // Two published items of 城市管理局 in the township's 城市管理 sector.
  XZZF_TRY(ids, db.read([&](Tx& tx) -> Result<std::vector<std::int64_t>> {
    XZZF_TRY(rows, tx.query("SELECT id FROM power_items WHERE department_id = ? AND status = "
                            "'published' AND sector = 'urban' AND category = 'penalty' ORDER BY "
                            "code LIMIT 2",
                            {urban->second}));
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.i64(0));
    return out;
  }));
  AuthorizationService decisions(db, clock);
  Authorization delegation{
      .kind = "delegate",
      .title = kDemoDelegationTitle,
      .doc_number = "豫政〔2021〕37号",
      .issuer = "河南省人民政府",
      .decided_on = "2021-11-20",
      .effective_on = "2022-01-01",
      .grantor_department_id = urban->second,
      .grantee_department_id = town->second,
      .scope = "市容环境卫生管理方面的行政处罚权，由芒山镇人民政府以自己的名义行使",
      .item_ids = ids};
  XZZF_TRY(d, decisions.create(office, delegation));
  Authorization concentration{.kind = "concentrate",
                              .title = "关于在永城市开展相对集中行政处罚权工作的决定（演示）",
                              .doc_number = "豫政〔2019〕12号",
                              .issuer = "河南省人民政府",
                              .decided_on = "2019-03-15",
                              .effective_on = "2019-05-01",
                              .grantor_department_id = housing->second,
                              .grantee_department_id = urban->second,
                              .scope = "住房城乡建设领域违法建设、建筑垃圾管理方面的行政处罚权",
                              .item_ids = {}};
  XZZF_CHECK(decisions.create(office, concentration));
  PowerService powers(db, clock);
  if (!ids.empty()) {
    XZZF_CHECK(powers.request_change(office, ids.front(),
                                     {.action = "delegate",
                                      .comment = "依下放决定，由芒山镇人民政府行使",
                                      .department_id = town->second,
                                      .authorization_id = d.id}));
    XZZF_CHECK(powers.transition(office, ids.front(), "approve", ""));
    XZZF_CHECK(powers.transition(office, ids.front(), "publish", ""));
  }
  XZZF_TRY(county, db.read([&](Tx& tx) {
    return tx.query_one("SELECT jurisdiction_id FROM departments WHERE id = ?", {urban->second});
  }));
  if (county) {
    XZZF_CHECK(powers.set_deadline(office, county->i64(0),
                                   Date::of(clock.now()).plus_days(31).to_string()));
  }
  return 2;
}

}  // namespace xzzf::powers
