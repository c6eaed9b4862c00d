#include "library/service.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "record/hash.hpp"

namespace xzzf::library {
namespace {

using auth::Permission;
using nlohmann::json;
using storage::Params;
using storage::Row;
using storage::Tx;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Labels are joined with '、' in norm_versions.removed_articles.
constexpr std::string_view kLabelSeparator = "、";

std::string join_labels(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) {
    if (!out.empty()) out += kLabelSeparator;
    out += l;
  }
  return out;
}

std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto at = rest.find(kLabelSeparator);
    out.emplace_back(rest.substr(0, at));
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + kLabelSeparator.size());
  }
  return out;
}

// The bytes a version's hash binds: title, then each article's label,
// chapter and text, one per line.
std::string text_digest(const ParsedNorm& text) {
  std::string bytes = text.title + "\n";
  for (const auto& a : text.articles) bytes += a.label + "\t" + a.chapter + "\t" + a.text + "\n";
  return record::to_hex(record::digest(record::HashAlgorithm::kSha256, bytes));
}

constexpr const char* kNormSelect =
    "SELECT n.id, n.title, n.level, n.issuer, n.doc_number, n.region_code, n.adopted_on, "
    "n.repealed_on, (SELECT COUNT(*) FROM norm_versions v WHERE v.norm_id = n.id), "
    "lv.id, lv.version_date, lv.effective_on, (SELECT MIN(v3.version_date) FROM norm_versions v3 "
    "WHERE v3.norm_id = n.id) FROM norms n "
    "LEFT JOIN norm_versions lv ON lv.id = (SELECT v2.id FROM norm_versions v2 WHERE "
    "v2.norm_id = n.id ORDER BY v2.version_date DESC LIMIT 1)";

Norm norm_of(const Row& r) {
  return Norm{.id = r.i64(0),
              .title = r.text(1),
              .level = r.text(2),
              .issuer = r.text(3),
              .doc_number = r.text(4),
              .region_code = r.text(5),
              .adopted_on = r.opt_text(6),
              .repealed_on = r.opt_text(7),
              .version_count = r.i64(8),
              .latest_version_id = r.opt_i64(9),
              .latest_version_date = r.opt_text(10),
              .latest_effective_on = r.opt_text(11),
              .earliest_version_date = r.opt_text(12)};
}

constexpr const char* kVersionSelect =
    "SELECT id, norm_id, version_date, effective_on, kind, history, source, text_sha256, "
    "article_count, removed_articles, changed_count FROM norm_versions";

NormVersion version_of(const Row& r) {
  return NormVersion{.id = r.i64(0),
                     .norm_id = r.i64(1),
                     .version_date = r.text(2),
                     .effective_on = r.opt_text(3),
                     .kind = r.text(4),
                     .history = r.text(5),
                     .source = r.text(6),
                     .text_sha256 = r.text(7),
                     .article_count = r.i64(8),
                     .removed_articles = split_labels(r.text(9)),
                     .changed_count = r.i64(10)};
}

Result<std::optional<Norm>> find_norm(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one(std::string(kNormSelect) + " WHERE n.id = ?", {id}));
  if (!row) return std::optional<Norm>();
  return std::optional<Norm>(norm_of(*row));
}

// The region a text of the shipped laws folder applies to: national/ is
// national law; a Henan or 商丘 text says so in its title or in the body that
// adopted it. Empty when unknown.
std::string region_of(const std::filesystem::path& relative, const ParsedNorm& text) {
  const std::string first = relative.begin() != relative.end() ? relative.begin()->string() : "";
  if (first == "national") return "000000";
  if (text.title.starts_with("商丘") || contains(text.history_text, "商丘市")) return "411400";
  if (text.title.starts_with("河南省") || contains(text.history_text, "河南省")) return "410000";
  return "";
}

}  // namespace

const std::vector<std::string_view>& levels() {
  static const std::vector<std::string_view> list = {
      "law",       "admin_regulation", "local_regulation",
      "dept_rule", "local_gov_rule",   "normative_doc"};
  return list;
}

bool is_level(std::string_view level) {
  const auto& l = levels();
  return std::find(l.begin(), l.end(), level) != l.end();
}

std::string_view level_name(std::string_view level) {
  if (level == "law") return "法律";
  if (level == "admin_regulation") return "行政法规";
  if (level == "local_regulation") return "地方性法规";
  if (level == "dept_rule") return "部门规章";
  if (level == "local_gov_rule") return "地方政府规章";
  if (level == "normative_doc") return "规范性文件";
  return level;
}

Provenance infer_provenance(const ParsedNorm& norm, std::string_view region_code) {
  Provenance p;
  const std::string& h = norm.history_text;
  static const std::regex order(
      "(中华人民共和国国务院令第[0-9]+号|国务院令第[0-9]+号|[^\\s，。、]*"
      "人民政府令第[0-9]+号|[^\\s，。、]*(部|总局|委员会)令第[0-9]+号)");
  std::smatch m;
  if (std::regex_search(h, m, order)) p.doc_number = m[1].str();
  const bool national = region_code == "000000";
  if (national && contains(h, "全国人民代表大会")) {
    p.level = "law";
    p.issuer = contains(h, "常务委员会") && !contains(h, "全国人民代表大会第")
                   ? "全国人民代表大会常务委员会"
                   : "全国人民代表大会";
  } else if (national && (contains(h, "国务院") || contains(h, "国家发展计划委员会"))) {
    p.level = "admin_regulation";
    p.issuer = "国务院";
  } else if (contains(h, "人民政府令")) {
    p.level = "local_gov_rule";
    p.issuer = region_code == "411400" ? "商丘市人民政府" : "河南省人民政府";
  } else if (contains(h, "人民代表大会常务委员会")) {
    p.level = "local_regulation";
    p.issuer =
        region_code == "411400" ? "商丘市人民代表大会常务委员会" : "河南省人民代表大会常务委员会";
  } else if (contains(h, "部令") || contains(h, "总局令")) {
    p.level = "dept_rule";
  } else if (national && norm.title.ends_with("法")) {
    p.level = "law";
  }
  return p;
}

Result<ImportResult> LibraryService::import_text(const ParsedNorm& text, const ImportMeta& meta,
                                                 std::optional<std::int64_t> actor) const {
  Provenance prov = infer_provenance(text, meta.region_code);
  const std::string level = meta.level.empty() ? prov.level : meta.level;
  auto invalid = [&](std::string detail) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", "《" + text.title + "》"),
                field("detail", std::move(detail)));
  };
  if (!is_level(level)) return invalid("无法确定效力层级，请指明");
  if (meta.region_code.empty()) return invalid("无法确定适用地域（行政区划代码）");
  if (meta.source.empty()) return invalid("须注明文本来源");
  std::string version_date = meta.version_date;
  if (version_date.empty() && !text.history.empty()) version_date = text.history.back().date;
  if (!Date::parse(version_date)) return invalid("无法确定版本日期");
  // What made this version, when its history names the day; a text whose
  // history stops earlier (an amendment not recorded in it) says "other".
  std::string kind = "other";
  std::optional<std::string> adopted_on;
  for (const auto& e : text.history) {
    if (!adopted_on && (e.kind == "adopted" || e.kind == "promulgated")) adopted_on = e.date;
    if (e.date == version_date && e.kind != "other") kind = e.kind;
  }
  const std::string sha = text_digest(text);
  // The commencement article keeps the first version's date through later
  // amendments: a date before this version's says nothing about when the
  // amendment took effect (unknown, then).
  std::optional<std::string> effective_on = text.effective_on;
  if (effective_on && *effective_on < version_date) effective_on.reset();
  if (meta.effective_on) {
    if (!Date::parse(*meta.effective_on) || *meta.effective_on < version_date) {
      return invalid("施行日期应为不早于版本日期的 YYYY-MM-DD");
    }
    effective_on = meta.effective_on;
  }
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<ImportResult> {
    XZZF_CHECK(journal_.hold(tx));
    ImportResult result;
    XZZF_TRY(existing, tx.query_one("SELECT id FROM norms WHERE title = ?", {text.title}));
    if (existing) {
      result.norm_id = existing->i64(0);
    } else {
      XZZF_TRY(id, tx.insert("INSERT INTO norms (title, level, issuer, doc_number, region_code, "
                             "adopted_on, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             {text.title, level, prov.issuer, prov.doc_number, meta.region_code,
                              adopted_on, now.micros}));
      result.norm_id = id;
    }
    XZZF_TRY(same, tx.query_one("SELECT id, text_sha256 FROM norm_versions WHERE norm_id = ? AND "
                                "version_date = ?",
                                {result.norm_id, version_date}));
    if (same) {
      if (same->text(1) != sha) {
        return fail(ErrorCode::kLibraryVersionConflict, field("title", text.title),
                    field("date", version_date), field("stored", same->text(1).substr(0, 12)),
                    field("given", sha.substr(0, 12)));
      }
      result.version_id = same->i64(0);
      return result;
    }
    XZZF_TRY(newer, tx.query_one("SELECT version_date FROM norm_versions WHERE norm_id = ? AND "
                                 "version_date > ? ORDER BY version_date LIMIT 1",
                                 {result.norm_id, version_date}));
    if (newer) {
      return invalid("已有较新的版本（" + newer->text(0) + "），旧版本须按日期顺序先导入");
    }
    // The previous version's articles, to mark what this one changes.
    std::map<std::pair<std::int64_t, std::int64_t>, std::pair<std::string, std::string>> before;
    XZZF_TRY(previous, tx.query_one("SELECT id FROM norm_versions WHERE norm_id = ? ORDER BY "
                                    "version_date DESC LIMIT 1",
                                    {result.norm_id}));
    if (meta.amends_version_id && (!previous || previous->i64(0) != *meta.amends_version_id)) {
      return fail(ErrorCode::kLibraryBaseChanged, field("title", text.title));
    }
    if (previous) {
      XZZF_TRY(rows, tx.query("SELECT number, sub, label, text FROM norm_articles WHERE "
                              "version_id = ?",
                              {previous->i64(0)}));
      for (const auto& r : rows) before[{r.i64(0), r.i64(1)}] = {r.text(2), r.text(3)};
    }
    std::vector<std::string> changes;
    changes.reserve(text.articles.size());
    for (const auto& a : text.articles) {
      if (!previous) {
        changes.emplace_back("none");
        continue;
      }
      auto it = before.find({a.number, a.sub});
      if (it == before.end()) {
        changes.emplace_back("new");
        ++result.changed_count;
      } else {
        changes.emplace_back(it->second.second == a.text ? "none" : "changed");
        if (it->second.second != a.text) ++result.changed_count;
        before.erase(it);
      }
    }
    for (const auto& [key, value] : before) result.removed_articles.push_back(value.first);
    XZZF_TRY(vid,
             tx.insert("INSERT INTO norm_versions (norm_id, version_date, effective_on, "
                       "kind, history, source, text_sha256, article_count, "
                       "removed_articles, changed_count, created_at_us) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {result.norm_id, version_date, effective_on, kind, text.history_text,
                        meta.source, sha, static_cast<std::int64_t>(text.articles.size()),
                        join_labels(result.removed_articles), result.changed_count, now.micros}));
    result.version_id = vid;
    for (std::size_t i = 0; i < text.articles.size(); ++i) {
      const auto& a = text.articles[i];
      XZZF_CHECK(
          tx.exec("INSERT INTO norm_articles (version_id, number, sub, label, chapter, "
                  "text, change) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {vid, a.number, a.sub, a.label, a.chapter, a.text, changes[i]}));
    }
    result.created = true;
    json payload{{"title", text.title},
                 {"level", level},
                 {"region_code", meta.region_code},
                 {"version_date", version_date},
                 {"effective_on", effective_on ? json(*effective_on) : json(nullptr)},
                 {"kind", kind},
                 {"source", meta.source},
                 {"text_sha256", sha},
                 {"article_count", text.articles.size()},
                 {"changed_count", result.changed_count},
                 {"removed_articles", result.removed_articles}};
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor,
                                               .subject_type = "norm",
                                               .subject_id = result.norm_id,
                                               .action = previous ? "norm.amended" : "norm.added",
                                               .payload = std::move(payload)}));
    return result;
  });
}

Result<LibraryService::DirectoryImport> LibraryService::import_directory(
    const std::filesystem::path& dir, const std::string& source,
    const std::function<void(int, int)>& progress) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", dir.string()),
                field("detail", "不是目录"));
  }
  struct Pending {
    ParsedNorm text;
    ImportMeta meta;
    std::string file;
  };
  std::vector<Pending> pending;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".md" &&
        it->path().filename() != "README.md") {
      files.push_back(it->path());
    }
  }
  if (ec) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", dir.string()),
                field("detail", ec.message()));
  }
  std::sort(files.begin(), files.end());
  static const std::regex dated(".*\\(([0-9]{4}-[0-9]{2}-[0-9]{2})\\)\\.md$");
  for (const auto& path : files) {
    const std::string rel = fs::relative(path, dir, ec).string();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    auto parsed = parse_norm_text(body.str());
    if (!parsed) {
      return fail(ErrorCode::kLibraryImportInvalid, field("file", rel),
                  field("detail", parsed.error().message));
    }
    ImportMeta meta;
    meta.region_code = region_of(fs::relative(path, dir, ec), *parsed);
    std::smatch m;
    const std::string name = path.filename().string();
    if (std::regex_match(name, m, dated)) meta.version_date = m[1].str();
    meta.source = source + "：" + rel;
    pending.push_back({*std::move(parsed), std::move(meta), rel});
  }
  // Versions of one norm in date order (a file without a date goes by its history).
  auto date_of = [](const Pending& p) {
    if (!p.meta.version_date.empty()) return p.meta.version_date;
    return p.text.history.empty() ? std::string() : p.text.history.back().date;
  };
  std::stable_sort(pending.begin(), pending.end(), [&](const Pending& a, const Pending& b) {
    return std::pair(a.text.title, date_of(a)) < std::pair(b.text.title, date_of(b));
  });
  DirectoryImport out;
  for (const auto& p : pending) {
    auto r = import_text(p.text, p.meta, std::nullopt);
    if (!r) {
      return fail(ErrorCode::kLibraryImportInvalid, field("file", p.file),
                  field("detail", r.error().message));
    }
    ++out.files;
    if (r->created) ++out.created;
    if (progress) progress(out.files, static_cast<int>(pending.size()));
  }
  return out;
}

Result<Page<Norm>> LibraryService::norms(const Caller& caller, const NormQuery& query) const {
  XZZF_CHECK(caller.require(Permission::kLibraryRead));
  if (!query.level.empty() && !is_level(query.level)) {
    return fail(ErrorCode::kQueryInvalid, field("name", "level"),
                field("detail",
                      "应为 law、admin_regulation、local_regulation、dept_rule、"
                      "local_gov_rule 或 normative_doc"));
  }
  return db_.read([&](Tx& tx) -> Result<Page<Norm>> {
    std::string where = " WHERE 1 = 1";
    Params params;
    if (!query.q.empty()) {
      where += " AND n.title LIKE ? ESCAPE '\\'";
      params.emplace_back(storage::like_contains(query.q));
    }
    if (!query.level.empty()) {
      where += " AND n.level = ?";
      params.emplace_back(query.level);
    }
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM norms n" + where, params));
    Params page_params = params;
    page_params.emplace_back(query.page.page_size);
    page_params.emplace_back(query.page.offset());
    XZZF_TRY(rows, tx.query(std::string(kNormSelect) + where +
                                " ORDER BY CASE n.level WHEN 'law' THEN 0 WHEN "
                                "'admin_regulation' THEN 1 WHEN 'local_regulation' THEN 2 WHEN "
                                "'dept_rule' THEN 3 WHEN 'local_gov_rule' THEN 4 ELSE 5 END, "
                                "n.title LIMIT ? OFFSET ?",
                            page_params));
    Page<Norm> page;
    page.total = count ? count->i64(0) : 0;
    for (const auto& r : rows) page.items.push_back(norm_of(r));
    return page;
  });
}

Result<Norm> LibraryService::norm(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kLibraryRead));
  return db_.read([&](Tx& tx) -> Result<Norm> {
    XZZF_TRY(n, find_norm(tx, id));
    if (!n) return fail(ErrorCode::kLibraryNormNotFound, field("id", id));
    return *n;
  });
}

Result<std::vector<NormVersion>> LibraryService::versions(const Caller& caller,
                                                          std::int64_t norm_id) const {
  XZZF_CHECK(caller.require(Permission::kLibraryRead));
  return db_.read([&](Tx& tx) -> Result<std::vector<NormVersion>> {
    XZZF_TRY(n, find_norm(tx, norm_id));
    if (!n) return fail(ErrorCode::kLibraryNormNotFound, field("id", norm_id));
    XZZF_TRY(rows,
             tx.query(std::string(kVersionSelect) + " WHERE norm_id = ? ORDER BY version_date",
                      {norm_id}));
    std::vector<NormVersion> out;
    for (const auto& r : rows) out.push_back(version_of(r));
    return out;
  });
}

Result<std::vector<Article>> LibraryService::articles(const Caller& caller, std::int64_t norm_id,
                                                      std::optional<std::int64_t> version_id,
                                                      const std::string& date) const {
  XZZF_CHECK(caller.require(Permission::kLibraryRead));
  if (!date.empty() && !Date::parse(date)) {
    return fail(ErrorCode::kQueryInvalid, field("name", "date"),
                field("detail", "应为 YYYY-MM-DD 格式的日期"));
  }
  return db_.read([&](Tx& tx) -> Result<std::vector<Article>> {
    XZZF_TRY(n, find_norm(tx, norm_id));
    if (!n) return fail(ErrorCode::kLibraryNormNotFound, field("id", norm_id));
    std::optional<std::int64_t> vid;
    if (version_id) {
      XZZF_TRY(row, tx.query_one("SELECT id FROM norm_versions WHERE id = ? AND norm_id = ?",
                                 {*version_id, norm_id}));
      if (row) vid = row->i64(0);
    } else if (!date.empty()) {
      XZZF_TRY(row, tx.query_one("SELECT id FROM norm_versions WHERE norm_id = ? AND "
                                 "COALESCE(effective_on, version_date) <= ? "
                                 "ORDER BY version_date DESC LIMIT 1",
                                 {norm_id, date}));
      if (row) vid = row->i64(0);
    } else {
      vid = n->latest_version_id;
    }
    if (!vid) {
      std::string detail = "《" + n->title + "》没有该版本";
      if (!date.empty()) {
        // Not yet in force, or in force with a text older than the library's.
        detail = n->adopted_on && date < *n->adopted_on
                     ? "《" + n->title + "》在 " + date + " 尚未施行"
                     : "法律法规库没有《" + n->title + "》在 " + date +
                           " 施行的文本（库内最早版本为 " + n->earliest_version_date.value_or("-") +
                           "）";
      }
      return fail(ErrorCode::kLibraryVersionNotFound, field("detail", detail));
    }
    XZZF_TRY(rows, tx.query("SELECT id, version_id, number, sub, label, chapter, text, change "
                            "FROM norm_articles WHERE version_id = ? ORDER BY number, sub",
                            {*vid}));
    std::vector<Article> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
      out.push_back(Article{.id = r.i64(0),
                            .version_id = r.i64(1),
                            .number = static_cast<int>(r.i64(2)),
                            .sub = static_cast<int>(r.i64(3)),
                            .label = r.text(4),
                            .chapter = r.text(5),
                            .text = r.text(6),
                            .change = r.text(7)});
    }
    return out;
  });
}

Result<ImportResult> LibraryService::amend(const Caller& caller, std::int64_t norm_id,
                                           const Amendment& am) const {
  XZZF_CHECK(caller.require(Permission::kLibraryManage));
  auto invalid = [](std::string detail) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", "修正内容"),
                field("detail", std::move(detail)));
  };
  if (!Date::parse(am.version_date)) return invalid("版本日期应为 YYYY-MM-DD");
  if (am.kind != "amended" && am.kind != "revised") return invalid("类型应为 amended 或 revised");
  if (am.note.empty() || am.note.size() > 1500) return invalid("须写明修正经过（不超过 500 字）");
  if (am.source.empty() || am.source.size() > 1500) return invalid("须注明文本来源");
  if (am.articles.empty() && am.removed.empty()) return invalid("没有修改任何条文");
  if (am.articles.size() + am.removed.size() > 2000) return invalid("一次修改的条文过多");
  // The latest text, as the base of the new one.
  XZZF_TRY(base, db_.read([&](Tx& tx) -> Result<std::pair<ParsedNorm, ImportMeta>> {
    XZZF_TRY(n, tx.query_one("SELECT title, level, region_code, repealed_on FROM norms WHERE "
                             "id = ?",
                             {norm_id}));
    if (!n) return fail(ErrorCode::kLibraryNormNotFound, field("id", norm_id));
    if (n->opt_text(3)) return invalid("《" + n->text(0) + "》已于 " + *n->opt_text(3) + " 废止");
    XZZF_TRY(v, tx.query_one("SELECT id, history, version_date FROM norm_versions WHERE "
                             "norm_id = ? ORDER BY version_date DESC LIMIT 1",
                             {norm_id}));
    if (!v) return invalid("《" + n->text(0) + "》尚无文本，不能录入修正");
    if (am.version_date <= v->text(2)) {
      return invalid("版本日期须晚于现行版本（" + v->text(2) + "）");
    }
    ParsedNorm text;
    text.title = n->text(0);
    text.history_text = v->text(1);
    XZZF_TRY(rows, tx.query("SELECT number, sub, label, chapter, text FROM norm_articles WHERE "
                            "version_id = ? ORDER BY number, sub",
                            {v->i64(0)}));
    for (const auto& r : rows) {
      text.articles.push_back({static_cast<int>(r.i64(0)), static_cast<int>(r.i64(1)), r.text(2),
                               r.text(3), r.text(4)});
    }
    ImportMeta meta{.level = n->text(1),
                    .region_code = n->text(2),
                    .version_date = am.version_date,
                    .source = am.source,
                    .effective_on = am.effective_on,
                    .amends_version_id = v->i64(0)};
    return std::pair(std::move(text), std::move(meta));
  }));
  auto& [text, meta] = base;
  auto find = [&](int number, int sub) {
    return std::find_if(text.articles.begin(), text.articles.end(),
                        [&](const ParsedArticle& a) { return a.number == number && a.sub == sub; });
  };
  for (const auto& [number, sub] : am.removed) {
    auto it = find(number, sub);
    if (it == text.articles.end()) {
      return invalid("现行文本中没有第" + chinese_number(number) + "条" +
                     (sub > 0 ? "之" + chinese_number(sub) : std::string()));
    }
    text.articles.erase(it);
  }
  std::set<std::pair<int, int>> seen;
  for (const auto& a : am.articles) {
    if (a.number < 1 || a.number > 9999 || a.sub < 0 || a.sub > 99)
      return invalid("条应为 1 至 9999，之应为 0 至 99");
    if (!seen.insert({a.number, a.sub}).second) return invalid("同一条文出现两次");
    std::string body = a.text;
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    if (body.empty() || body.size() > 30000) return invalid("条文内容不能为空，且不超过一万字");
    auto it = find(a.number, a.sub);
    if (it != text.articles.end()) {
      it->text = body;
      continue;
    }
    ParsedArticle added{.number = a.number,
                        .sub = a.sub,
                        .label = "第" + chinese_number(a.number) + "条" +
                                 (a.sub > 0 ? "之" + chinese_number(a.sub) : std::string()),
                        .chapter = "",
                        .text = body};
    // A new article sits in the chapter of the one before it.
    auto after =
        std::find_if(text.articles.begin(), text.articles.end(), [&](const ParsedArticle& x) {
          return std::pair(x.number, x.sub) > std::pair(a.number, a.sub);
        });
    if (after != text.articles.begin()) added.chapter = std::prev(after)->chapter;
    text.articles.insert(after, std::move(added));
  }
  const std::string day = am.version_date;
  text.history.push_back({day, am.note, am.kind});
  text.history_text += (text.history_text.empty() ? "" : "\n") + am.note;
  return import_text(text, meta,
                     caller.user_id != 0 ? std::optional(caller.user_id) : std::nullopt);
}

Result<Norm> LibraryService::repeal(const Caller& caller, std::int64_t norm_id,
                                    const std::string& date, const std::string& note) const {
  XZZF_CHECK(caller.require(Permission::kLibraryManage));
  if (!Date::parse(date)) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", "废止决定"),
                field("detail", "废止日期应为 YYYY-MM-DD"));
  }
  if (note.empty() || note.size() > 1500) {
    return fail(ErrorCode::kLibraryImportInvalid, field("file", "废止决定"),
                field("detail", "须写明废止的文件（不超过 500 字）"));
  }
  const Instant now = clock_.now();
  auto done = db_.write([&](Tx& tx) -> Result<void> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(n, tx.query_one("SELECT title, repealed_on, adopted_on FROM norms WHERE id = ?",
                             {norm_id}));
    if (!n) return fail(ErrorCode::kLibraryNormNotFound, field("id", norm_id));
    if (n->opt_text(1)) {
      return fail(ErrorCode::kLibraryImportInvalid, field("file", "《" + n->text(0) + "》"),
                  field("detail", "已于 " + *n->opt_text(1) + " 废止"));
    }
    if (n->opt_text(2) && date < *n->opt_text(2)) {
      return fail(ErrorCode::kLibraryImportInvalid, field("file", "《" + n->text(0) + "》"),
                  field("detail", "废止日期不能早于通过日期 " + *n->opt_text(2)));
    }
    XZZF_CHECK(tx.exec("UPDATE norms SET repealed_on = ? WHERE id = ?", {date, norm_id}));
    XZZF_CHECK(journal_.record(
        tx, record::Act{
                .at = now,
                .actor_user_id = caller.user_id != 0 ? std::optional(caller.user_id) : std::nullopt,
                .subject_type = "norm",
                .subject_id = norm_id,
                .action = "norm.repealed",
                .payload = {{"title", n->text(0)}, {"repealed_on", date}, {"note", note}}}));
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return norm(caller, norm_id);
}

}  // namespace xzzf::library
