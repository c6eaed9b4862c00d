#include "org/service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/regions.hpp"
#include "org/repository.hpp"

namespace xzzf::org {
namespace {

using auth::Caller;
using auth::Permission;
using nlohmann::json;
using storage::Tx;

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxTextBytes = 4000;

Result<void> invalid(const char* what, std::string detail) {
  return fail(ErrorCode::kOrgInvalid, field("field", what), field("detail", std::move(detail)));
}

std::string trimmed(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// A required one-line text: trimmed, not empty, bounded.
Result<std::string> required_text(const char* what, const std::string& value,
                                  std::size_t max = kMaxNameBytes) {
  auto t = trimmed(value);
  if (t.empty()) return tl::unexpected(invalid(what, "不能为空").error());
  if (t.size() > max) {
    return tl::unexpected(invalid(what, "过长（上限 " + std::to_string(max) + " 字节）").error());
  }
  return t;
}

Result<std::string> valid_date(const std::string& text) {
  auto d = Date::parse(text);
  if (!d) return tl::unexpected(d.error());
  return d->to_string();
}

// Known sector codes, each once, in the order given.
Result<std::vector<std::string>> valid_sectors(const std::vector<std::string>& codes) {
  if (codes.empty()) return tl::unexpected(invalid("执法领域", "至少选择一个").error());
  std::vector<std::string> out;
  for (const auto& c : codes) {
    if (!is_sector(c)) return fail(ErrorCode::kOrgUnknownSector, field("sector", c));
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

std::optional<std::int64_t> actor_id(const Caller& c) {
  if (c.user_id > 0) return c.user_id;
  return std::nullopt;
}

}  // namespace

Result<void> check_subject_may_act(const Subject& subject) {
  if (subject.status == "confirmed") return {};
  return tl::unexpected(make_rule_error(ErrorCode::kOrgSubjectNotConfirmed,
                                        kBasisSubjectConfirmation, field("name", subject.name)));
}

namespace {

// Where an organization entity belongs: the jurisdiction and department that
// scope its record entries.
struct Place {
  std::optional<std::int64_t> jurisdiction_id;
  std::optional<std::int64_t> department_id;
};

Result<Place> place_of(Tx& tx, std::string_view entity, std::int64_t id) {
  if (entity == "jurisdiction") return Place{id, std::nullopt};
  std::string_view sql;
  if (entity == "department") {
    sql = "SELECT jurisdiction_id, id FROM departments WHERE id = ?";
  } else if (entity == "agency") {
    sql =
        "SELECT d.jurisdiction_id, d.id FROM agencies a JOIN departments d "
        "ON d.id = a.department_id WHERE a.id = ?";
  } else if (entity == "post") {
    sql =
        "SELECT d.jurisdiction_id, d.id FROM posts p JOIN departments d "
        "ON d.id = p.department_id WHERE p.id = ?";
  } else if (entity == "subject") {
    sql = "SELECT jurisdiction_id, department_id FROM subjects WHERE id = ?";
  } else {
    return Place{};
  }
  XZZF_TRY(row, tx.query_one(sql, {id}));
  if (!row) return Place{};
  return Place{row->opt_i64(0), row->opt_i64(1)};
}

// One change of the organization, written on the transaction of the change
// itself: its org_changes row (the dated history), its entry on the record
// (record::Journal) and its audit event.
struct Recorder {
  const Caller& caller;
  audit::AuditTrail& trail;
  const record::Journal& journal;
  std::int64_t at_us;

  Result<void> operator()(Tx& tx, std::string entity, std::int64_t id, std::string change,
                          std::string effective_date, json before, json after,
                          std::string event) const {
    Change c{.entity = entity,
             .entity_id = id,
             .change = change,
             .effective_date = std::move(effective_date),
             .before_json = before.is_null() ? std::string() : before.dump(),
             .after_json = after.is_null() ? std::string() : after.dump(),
             .actor_user_id = actor_id(caller),
             .at_us = at_us};
    if (auto r = repo::insert_change(tx, c); !r) return r;
    XZZF_TRY(place, place_of(tx, entity, id));
    XZZF_CHECK(journal.record(tx, record::Act{.at = Instant{at_us},
                                              .actor_user_id = actor_id(caller),
                                              .jurisdiction_id = place.jurisdiction_id,
                                              .department_id = place.department_id,
                                              .subject_type = entity,
                                              .subject_id = id,
                                              .action = event,
                                              .payload = json{{"change", change},
                                                              {"effective_date", c.effective_date},
                                                              {"before", before},
                                                              {"after", after}}}));
    audit::AuditEvent e;
    e.at = Instant{at_us};
    e.event = std::move(event);
    e.actor_user_id = actor_id(caller);
    e.actor = caller.username.empty() ? std::string("system") : caller.username;
    e.remote_addr = caller.remote_addr;
    e.request_id = caller.request_id;
    e.detail_json = json{{"entity", entity}, {"id", id},
                         {"change", change}, {"effective_date", c.effective_date},
                         {"before", before}, {"after", after}}
                        .dump();
    return trail.append(tx, e);
  }
};

// Loads a department and checks that the caller may see it.
Result<Department> visible_department(Tx& tx, const Caller& caller, std::int64_t id) {
  auto d = repo::find_department(tx, id);
  if (!d) return tl::unexpected(d.error());
  if (!*d) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", id));
  if (auto ok = caller.scope.check((*d)->id, (*d)->jurisdiction_id); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::move(**d);
}

Result<void> require_active(const Department& d) {
  if (d.status == "active") return {};
  return fail(ErrorCode::kOrgDepartmentInactive, field("name", d.name),
              field("status", d.status == "merged" ? std::string("合并") : std::string("撤销")));
}

Result<Agency> agency_of_department(Tx& tx, std::int64_t department_id, std::int64_t agency_id) {
  auto a = repo::find_agency(tx, agency_id);
  if (!a) return tl::unexpected(a.error());
  if (!*a || (*a)->department_id != department_id) {
    return fail(ErrorCode::kOrgAgencyNotFound, field("id", agency_id));
  }
  return std::move(**a);
}

Result<Subject> visible_subject(Tx& tx, const Caller& caller, std::int64_t id) {
  auto s = repo::find_subject(tx, id);
  if (!s) return tl::unexpected(s.error());
  if (!*s) return fail(ErrorCode::kOrgSubjectNotFound, field("id", id));
  if (auto ok = caller.scope.check((*s)->department_id, (*s)->jurisdiction_id); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::move(**s);
}

Result<Subject> reload_subject(Tx& tx, std::int64_t id) {
  auto s = repo::find_subject(tx, id);
  if (!s) return tl::unexpected(s.error());
  if (!*s) return fail(ErrorCode::kOrgSubjectNotFound, field("id", id));
  return std::move(**s);
}

Result<Department> reload_department(Tx& tx, std::int64_t id) {
  auto d = repo::find_department(tx, id);
  if (!d) return tl::unexpected(d.error());
  if (!*d) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", id));
  return std::move(**d);
}

std::string_view subject_status_name(const std::string& status) {
  if (status == "proposed") return "待确认";
  if (status == "confirmed") return "已确认";
  if (status == "revoked") return "已撤销";
  return status;
}

}  // namespace

// --- Jurisdictions -----------------------------------------------------------

Result<std::vector<Jurisdiction>> OrgService::jurisdictions(const Caller& caller) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([](Tx& tx) { return repo::list_jurisdictions(tx); });
}

Result<Jurisdiction> OrgService::create_jurisdiction(const Caller& caller,
                                                     const NewJurisdiction& cmd) const {
  if (auto ok = caller.require(Permission::kOrgManage); !ok) return tl::unexpected(ok.error());
  NewJurisdiction j = cmd;
  j.code = trimmed(j.code);
  const bool digits = !j.code.empty() && std::all_of(j.code.begin(), j.code.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (j.code.size() != 6 && j.code.size() != 9 && j.code.size() != 12)) {
    return tl::unexpected(
        invalid("行政区划代码", "应为 6 位（县级及以上）或 9、12 位（乡镇、街道）数字：" + j.code)
            .error());
  }
  auto name = required_text("名称", j.name);
  if (!name) return tl::unexpected(name.error());
  j.name = *name;
  const auto& levels = jurisdiction_levels();
  auto level_it = std::find(levels.begin(), levels.end(), j.level);
  if (level_it == levels.end()) {
    return tl::unexpected(
        invalid("层级", "应为 province、city、county 或 township：" + j.level).error());
  }
  // The code must name the level it is given (rule sets find a
  // jurisdiction's levels by its code: a county coded like a province would
  // set the province's values).
  if (region_level(j.code) != region_level_of(j.level)) {
    return tl::unexpected(
        invalid("行政区划代码", j.code + " 不是" + std::string(level_name(j.level)) + "级的代码")
            .error());
  }
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Jurisdiction> {
    if (j.parent_id) {
      auto parent = repo::find_jurisdiction(tx, *j.parent_id);
      if (!parent) return tl::unexpected(parent.error());
      if (!*parent)
        return tl::unexpected(
            invalid("上级区划", "不存在：" + std::to_string(*j.parent_id)).error());
      if (auto ok = caller.scope.check(std::nullopt, (*parent)->id); !ok) {
        return tl::unexpected(ok.error());
      }
      auto parent_level = std::find(levels.begin(), levels.end(), (*parent)->level);
      if (parent_level >= level_it) {
        return fail(ErrorCode::kOrgParentLevel, field("parent", (*parent)->name),
                    field("parent_level", std::string(level_name((*parent)->level))),
                    field("level", std::string(level_name(j.level))));
      }
      if (!region_within(j.code, (*parent)->code)) {
        return tl::unexpected(invalid("行政区划代码", j.code + " 不在上级区划“" + (*parent)->name +
                                                          "”（" + (*parent)->code + "）之内")
                                  .error());
      }
    } else if (caller.scope.kind() != auth::Scope::Kind::kAll) {
      // A root of the tree is the deployment's own business.
      return fail(ErrorCode::kAuthOutOfScope);
    }
    auto existing = repo::find_jurisdiction_by_code(tx, j.code);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return fail(ErrorCode::kOrgDuplicateCode, field("code", j.code));
    auto id = repo::insert_jurisdiction(tx, j, now.micros);
    if (!id) return tl::unexpected(id.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "jurisdiction", *id, "create", Date::of(now).to_string(), nullptr,
                        json{{"code", j.code}, {"name", j.name}, {"level", j.level}},
                        "jurisdiction.created");
        !r) {
      return tl::unexpected(r.error());
    }
    return Jurisdiction{
        .id = *id, .code = j.code, .name = j.name, .level = j.level, .parent_id = j.parent_id};
  }));
}

// --- Departments -------------------------------------------------------------

Result<Page<Department>> OrgService::departments(const Caller& caller,
                                                 const DepartmentQuery& query) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  auto filter = caller.scope.filter("d.id", "d.jurisdiction_id");
  return db_.read([&](Tx& tx) { return repo::list_departments(tx, filter, query); });
}

Result<Department> OrgService::department(const Caller& caller, std::int64_t id) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([&](Tx& tx) { return visible_department(tx, caller, id); });
}

Result<Department> OrgService::create_department(const Caller& caller,
                                                 const NewDepartment& cmd) const {
  if (auto ok = caller.require(Permission::kOrgManage); !ok) return tl::unexpected(ok.error());
  NewDepartment d = cmd;
  auto code = required_text("部门编码", d.code, 64);
  if (!code) return tl::unexpected(code.error());
  d.code = *code;
  auto name = required_text("部门名称", d.name);
  if (!name) return tl::unexpected(name.error());
  d.name = *name;
  d.short_name = trimmed(d.short_name);
  if (d.short_name.size() > kMaxNameBytes) {
    return tl::unexpected(invalid("简称", "过长").error());
  }
  auto sectors = valid_sectors(d.sectors);
  if (!sectors) return tl::unexpected(sectors.error());
  d.sectors = *sectors;
  auto from = valid_date(d.effective_from);
  if (!from) return tl::unexpected(from.error());
  d.effective_from = *from;
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Department> {
    auto j = repo::find_jurisdiction(tx, d.jurisdiction_id);
    if (!j) return tl::unexpected(j.error());
    if (!*j) {
      return tl::unexpected(
          invalid("行政区划", "不存在：" + std::to_string(d.jurisdiction_id)).error());
    }
    if (auto ok = caller.scope.check(std::nullopt, d.jurisdiction_id); !ok) {
      return tl::unexpected(ok.error());
    }
    auto existing = repo::department_id_by_code(tx, d.code);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return fail(ErrorCode::kOrgDuplicateCode, field("code", d.code));
    auto id = repo::insert_department(tx, d, now.micros);
    if (!id) return tl::unexpected(id.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "department", *id, "create", d.effective_from, nullptr,
                        json{{"code", d.code},
                             {"name", d.name},
                             {"short_name", d.short_name},
                             {"jurisdiction_id", d.jurisdiction_id},
                             {"sectors", d.sectors}},
                        "department.created");
        !r) {
      return tl::unexpected(r.error());
    }
    return reload_department(tx, *id);
  }));
}

Result<Department> OrgService::update_department(const Caller& caller, std::int64_t id,
                                                 const DepartmentUpdate& cmd) const {
  if (auto ok = caller.require(Permission::kOrgManage); !ok) return tl::unexpected(ok.error());
  auto date = valid_date(cmd.effective_date);
  if (!date) return tl::unexpected(date.error());
  std::optional<std::string> new_name;
  if (cmd.name) {
    auto n = required_text("部门名称", *cmd.name);
    if (!n) return tl::unexpected(n.error());
    new_name = *n;
  }
  std::optional<std::string> new_short;
  if (cmd.short_name) new_short = trimmed(*cmd.short_name);
  std::optional<std::vector<std::string>> new_sectors;
  if (cmd.sectors) {
    auto s = valid_sectors(*cmd.sectors);
    if (!s) return tl::unexpected(s.error());
    new_sectors = *s;
  }
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Department> {
    auto d = visible_department(tx, caller, id);
    if (!d) return tl::unexpected(d.error());
    if (auto ok = require_active(*d); !ok) return tl::unexpected(ok.error());
    Recorder record{caller, audit_, journal_, now.micros};
    const std::string name = new_name.value_or(d->name);
    const std::string short_name = new_short.value_or(d->short_name);
    if (name != d->name || short_name != d->short_name) {
      if (auto r = repo::update_department_names(tx, id, name, short_name); !r) {
        return tl::unexpected(r.error());
      }
    }
    if (name != d->name) {
      if (auto r = record(tx, "department", id, "rename", *date,
                          json{{"name", d->name}, {"short_name", d->short_name}},
                          json{{"name", name}, {"short_name", short_name}}, "department.renamed");
          !r) {
        return tl::unexpected(r.error());
      }
    } else if (short_name != d->short_name) {
      if (auto r =
              record(tx, "department", id, "update", *date, json{{"short_name", d->short_name}},
                     json{{"short_name", short_name}}, "department.updated");
          !r) {
        return tl::unexpected(r.error());
      }
    }
    if (new_sectors && *new_sectors != d->sectors) {
      if (auto r = repo::set_department_sectors(tx, id, *new_sectors); !r) {
        return tl::unexpected(r.error());
      }
      if (auto r = record(tx, "department", id, "sectors", *date, json{{"sectors", d->sectors}},
                          json{{"sectors", *new_sectors}}, "department.updated");
          !r) {
        return tl::unexpected(r.error());
      }
    }
    return reload_department(tx, id);
  }));
}

Result<Department> OrgService::merge_department(const Caller& caller, std::int64_t id,
                                                const DepartmentMerge& cmd) const {
  if (auto ok = caller.require(Permission::kOrgManage); !ok) return tl::unexpected(ok.error());
  if (cmd.into_department_id == id) return fail(ErrorCode::kOrgMergeSelf);
  auto date = valid_date(cmd.effective_date);
  if (!date) return tl::unexpected(date.error());
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Department> {
    XZZF_CHECK(journal_.hold(tx));  // several acts, with moves between them
    auto from = visible_department(tx, caller, id);
    if (!from) return tl::unexpected(from.error());
    auto into_row = repo::find_department(tx, cmd.into_department_id);
    if (!into_row) return tl::unexpected(into_row.error());
    if (!*into_row) {
      return tl::unexpected(
          invalid("合并目标部门", "不存在：" + std::to_string(cmd.into_department_id)).error());
    }
    const Department& into = **into_row;
    if (auto ok = caller.scope.check(into.id, into.jurisdiction_id); !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = require_active(*from); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_active(into); !ok) return tl::unexpected(ok.error());
    if (*date < from->effective_from) {
      return tl::unexpected(
          invalid("合并日期", "不能早于部门设立日期 " + from->effective_from).error());
    }
    if (from->jurisdiction_id != into.jurisdiction_id) {
      return fail(ErrorCode::kOrgMergeAcrossJurisdictions, field("from", from->name),
                  field("from_jurisdiction", from->jurisdiction_name), field("into", into.name),
                  field("into_jurisdiction", into.jurisdiction_name));
    }
    Recorder record{caller, audit_, journal_, now.micros};
    // A moved agency or post whose name the target already uses keeps its
    // origin in the name: "法制科（原永城市…局）".
    const std::string suffix = "（原" + from->name + "）";
    auto agencies = repo::list_agencies(tx, id);
    if (!agencies) return tl::unexpected(agencies.error());
    json moved_agencies = json::array();
    for (const auto& a : *agencies) {
      auto clash = repo::find_agency_by_name(tx, into.id, a.name);
      if (!clash) return tl::unexpected(clash.error());
      const std::string name = *clash ? a.name + suffix : a.name;
      if (auto r = repo::move_agency(tx, a.id, into.id, name); !r) return tl::unexpected(r.error());
      if (auto r = record(tx, "agency", a.id, "move", *date,
                          json{{"department_id", id}, {"name", a.name}},
                          json{{"department_id", into.id}, {"name", name}}, "agency.moved");
          !r) {
        return tl::unexpected(r.error());
      }
      moved_agencies.push_back(a.id);
    }
    auto posts = repo::list_posts(tx, id);
    if (!posts) return tl::unexpected(posts.error());
    json moved_posts = json::array();
    for (const auto& p : *posts) {
      auto clash = repo::post_name_taken(tx, into.id, p.name);
      if (!clash) return tl::unexpected(clash.error());
      const std::string name = *clash ? p.name + suffix : p.name;
      if (auto r = repo::move_post(tx, p.id, into.id, name); !r) return tl::unexpected(r.error());
      if (auto r =
              record(tx, "post", p.id, "move", *date, json{{"department_id", id}, {"name", p.name}},
                     json{{"department_id", into.id}, {"name", name}}, "post.moved");
          !r) {
        return tl::unexpected(r.error());
      }
      moved_posts.push_back(p.id);
    }
    if (on_merge_) {
      const MergeEvent event{.from_id = id,
                             .into_id = into.id,
                             .date = *date,
                             .actor_user_id = caller.user_id != 0
                                                  ? std::optional<std::int64_t>(caller.user_id)
                                                  : std::nullopt,
                             .at = now};
      if (auto r = on_merge_(tx, event); !r) return tl::unexpected(r.error());
    }
    if (auto r = repo::mark_department_merged(tx, id, into.id, *date); !r) {
      return tl::unexpected(r.error());
    }
    if (auto r = record(tx, "department", id, "merge", *date, json{{"status", from->status}},
                        json{{"status", "merged"},
                             {"merged_into_id", into.id},
                             {"merged_into_name", into.name},
                             {"agencies", moved_agencies},
                             {"posts", moved_posts}},
                        "department.merged");
        !r) {
      return tl::unexpected(r.error());
    }
    if (auto r = record(tx, "department", into.id, "absorb", *date, nullptr,
                        json{{"merged_department_id", id},
                             {"merged_department_name", from->name},
                             {"agencies", moved_agencies},
                             {"posts", moved_posts}},
                        "department.absorbed");
        !r) {
      return tl::unexpected(r.error());
    }
    return reload_department(tx, id);
  }));
}

Result<std::vector<Change>> OrgService::department_history(const Caller& caller,
                                                           std::int64_t id) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([&](Tx& tx) -> Result<std::vector<Change>> {
    auto d = visible_department(tx, caller, id);
    if (!d) return tl::unexpected(d.error());
    return repo::list_changes(tx, "department", id);
  });
}

// --- Agencies and posts ------------------------------------------------------

Result<std::vector<Agency>> OrgService::agencies(const Caller& caller,
                                                 std::int64_t department_id) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([&](Tx& tx) -> Result<std::vector<Agency>> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    return repo::list_agencies(tx, department_id);
  });
}

Result<Agency> OrgService::create_agency(const Caller& caller, std::int64_t department_id,
                                         const NewAgency& cmd) const {
  if (auto ok = caller.require(Permission::kAgencyManage); !ok) return tl::unexpected(ok.error());
  auto name = required_text("机构名称", cmd.name);
  if (!name) return tl::unexpected(name.error());
  if (cmd.duties.size() > kMaxTextBytes) {
    return tl::unexpected(invalid("职责", "过长").error());
  }
  const Instant now = clock_.now();
  std::string from = Date::of(now).to_string();
  if (cmd.effective_from) {
    auto d = valid_date(*cmd.effective_from);
    if (!d) return tl::unexpected(d.error());
    from = *d;
  }
  return notify(db_.write([&](Tx& tx) -> Result<Agency> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    if (auto ok = require_active(*d); !ok) return tl::unexpected(ok.error());
    auto clash = repo::find_agency_by_name(tx, department_id, *name);
    if (!clash) return tl::unexpected(clash.error());
    if (*clash) {
      return fail(ErrorCode::kOrgDuplicateName, field("what", "内设机构"), field("name", *name));
    }
    auto id = repo::insert_agency(tx, department_id, *name, cmd.duties, from, now.micros);
    if (!id) return tl::unexpected(id.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "agency", *id, "create", from, nullptr,
                        json{{"department_id", department_id}, {"name", *name}}, "agency.created");
        !r) {
      return tl::unexpected(r.error());
    }
    return agency_of_department(tx, department_id, *id);
  }));
}

Result<Agency> OrgService::update_agency(const Caller& caller, std::int64_t department_id,
                                         std::int64_t agency_id, const AgencyUpdate& cmd) const {
  if (auto ok = caller.require(Permission::kAgencyManage); !ok) return tl::unexpected(ok.error());
  std::optional<std::string> new_name;
  if (cmd.name) {
    auto n = required_text("机构名称", *cmd.name);
    if (!n) return tl::unexpected(n.error());
    new_name = *n;
  }
  if (cmd.duties && cmd.duties->size() > kMaxTextBytes) {
    return tl::unexpected(invalid("职责", "过长").error());
  }
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Agency> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    auto a = agency_of_department(tx, department_id, agency_id);
    if (!a) return tl::unexpected(a.error());
    if (a->status != "active") return fail(ErrorCode::kOrgAgencyInactive, field("name", a->name));
    const std::string name = new_name.value_or(a->name);
    const std::string duties = cmd.duties.value_or(a->duties);
    if (name != a->name) {
      auto clash = repo::find_agency_by_name(tx, department_id, name);
      if (!clash) return tl::unexpected(clash.error());
      if (*clash) {
        return fail(ErrorCode::kOrgDuplicateName, field("what", "内设机构"), field("name", name));
      }
    }
    if (name == a->name && duties == a->duties) return std::move(*a);
    if (auto r = repo::update_agency(tx, agency_id, name, duties); !r) {
      return tl::unexpected(r.error());
    }
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "agency", agency_id, name != a->name ? "rename" : "update",
                        Date::of(now).to_string(), json{{"name", a->name}, {"duties", a->duties}},
                        json{{"name", name}, {"duties", duties}},
                        name != a->name ? "agency.renamed" : "agency.updated");
        !r) {
      return tl::unexpected(r.error());
    }
    return agency_of_department(tx, department_id, agency_id);
  }));
}

Result<Agency> OrgService::abolish_agency(const Caller& caller, std::int64_t department_id,
                                          std::int64_t agency_id,
                                          const std::string& effective_date) const {
  if (auto ok = caller.require(Permission::kAgencyManage); !ok) return tl::unexpected(ok.error());
  auto date = valid_date(effective_date);
  if (!date) return tl::unexpected(date.error());
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Agency> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    auto a = agency_of_department(tx, department_id, agency_id);
    if (!a) return tl::unexpected(a.error());
    if (a->status != "active") return fail(ErrorCode::kOrgAgencyInactive, field("name", a->name));
    if (*date < a->effective_from) {
      return tl::unexpected(invalid("撤销日期", "不能早于设立日期 " + a->effective_from).error());
    }
    if (auto r = repo::abolish_agency(tx, agency_id, *date); !r) return tl::unexpected(r.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "agency", agency_id, "abolish", *date, json{{"status", "active"}},
                        json{{"status", "abolished"}}, "agency.abolished");
        !r) {
      return tl::unexpected(r.error());
    }
    return agency_of_department(tx, department_id, agency_id);
  }));
}

Result<std::vector<Post>> OrgService::posts(const Caller& caller,
                                            std::int64_t department_id) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([&](Tx& tx) -> Result<std::vector<Post>> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    return repo::list_posts(tx, department_id);
  });
}

Result<Post> OrgService::create_post(const Caller& caller, std::int64_t department_id,
                                     const NewPost& cmd) const {
  if (auto ok = caller.require(Permission::kAgencyManage); !ok) return tl::unexpected(ok.error());
  auto name = required_text("岗位名称", cmd.name);
  if (!name) return tl::unexpected(name.error());
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Post> {
    auto d = visible_department(tx, caller, department_id);
    if (!d) return tl::unexpected(d.error());
    if (auto ok = require_active(*d); !ok) return tl::unexpected(ok.error());
    if (cmd.agency_id) {
      auto a = agency_of_department(tx, department_id, *cmd.agency_id);
      if (!a) return tl::unexpected(a.error());
      if (a->status != "active") return fail(ErrorCode::kOrgAgencyInactive, field("name", a->name));
    }
    auto taken = repo::post_name_taken(tx, department_id, *name);
    if (!taken) return tl::unexpected(taken.error());
    if (*taken)
      return fail(ErrorCode::kOrgDuplicateName, field("what", "岗位"), field("name", *name));
    NewPost p = cmd;
    p.name = *name;
    auto id = repo::insert_post(tx, department_id, p, now.micros);
    if (!id) return tl::unexpected(id.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "post", *id, "create", Date::of(now).to_string(), nullptr,
                        json{{"department_id", department_id},
                             {"agency_id", p.agency_id ? json(*p.agency_id) : json(nullptr)},
                             {"name", p.name},
                             {"is_enforcement", p.is_enforcement}},
                        "post.created");
        !r) {
      return tl::unexpected(r.error());
    }
    auto all = repo::list_posts(tx, department_id);
    if (!all) return tl::unexpected(all.error());
    for (auto& post : *all) {
      if (post.id == *id) return std::move(post);
    }
    return fail(ErrorCode::kDbError, field("detail", "新岗位未找到"));
  }));
}

// --- Subjects ----------------------------------------------------------------

Result<Page<Subject>> OrgService::subjects(const Caller& caller, const SubjectQuery& query) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  if (query.status && *query.status != "proposed" && *query.status != "confirmed" &&
      *query.status != "revoked") {
    return fail(ErrorCode::kQueryInvalid, field("name", "status"),
                field("detail", "应为 proposed、confirmed 或 revoked"));
  }
  auto filter = caller.scope.filter("s.department_id", "s.jurisdiction_id");
  return db_.read([&](Tx& tx) { return repo::list_subjects(tx, filter, query); });
}

Result<Subject> OrgService::subject(const Caller& caller, std::int64_t id) const {
  if (auto ok = caller.require(Permission::kOrgRead); !ok) return tl::unexpected(ok.error());
  return db_.read([&](Tx& tx) { return visible_subject(tx, caller, id); });
}

Result<Subject> OrgService::propose_subject(const Caller& caller, const NewSubject& cmd) const {
  if (auto ok = caller.require(Permission::kSubjectPropose); !ok) {
    return tl::unexpected(ok.error());
  }
  NewSubject s = cmd;
  auto name = required_text("主体名称", s.name);
  if (!name) return tl::unexpected(name.error());
  s.name = *name;
  auto basis = required_text("设立依据", s.basis, kMaxTextBytes);
  if (!basis) return tl::unexpected(basis.error());
  s.basis = *basis;
  if (s.kind != "statutory" && s.kind != "authorized" && s.kind != "entrusted") {
    return tl::unexpected(
        invalid("主体类型",
                "应为 statutory（法定）、authorized（授权）或 entrusted（受委托）：" + s.kind)
            .error());
  }
  if (s.kind == "entrusted" && !s.entrusted_by_department_id) {
    return tl::unexpected(make_rule_error(ErrorCode::kOrgEntrustingDepartment, kBasisEntrustment,
                                          field("detail", "请填写委托行政机关")));
  }
  if (s.kind != "entrusted" && s.entrusted_by_department_id) {
    return tl::unexpected(invalid("委托行政机关", "只有受委托组织才有委托行政机关").error());
  }
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Subject> {
    auto d = visible_department(tx, caller, s.department_id);
    if (!d) return tl::unexpected(d.error());
    if (auto ok = require_active(*d); !ok) return tl::unexpected(ok.error());
    if (s.entrusted_by_department_id) {
      if (*s.entrusted_by_department_id == s.department_id) {
        return tl::unexpected(make_rule_error(ErrorCode::kOrgEntrustingDepartment,
                                              kBasisEntrustment,
                                              field("detail", "委托行政机关不能是受委托组织自身")));
      }
      auto by = repo::find_department(tx, *s.entrusted_by_department_id);
      if (!by) return tl::unexpected(by.error());
      if (!*by) {
        return tl::unexpected(
            invalid("委托行政机关", "不存在：" + std::to_string(*s.entrusted_by_department_id))
                .error());
      }
    }
    auto clash = repo::subject_id_by_name(tx, s.department_id, s.name);
    if (!clash) return tl::unexpected(clash.error());
    if (*clash) {
      return fail(ErrorCode::kOrgDuplicateName, field("what", "执法主体"), field("name", s.name));
    }
    auto id = repo::insert_subject(tx, d->jurisdiction_id, s, now.micros);
    if (!id) return tl::unexpected(id.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "subject", *id, "propose", Date::of(now).to_string(), nullptr,
                        json{{"name", s.name},
                             {"kind", s.kind},
                             {"department_id", s.department_id},
                             {"basis", s.basis}},
                        "subject.proposed");
        !r) {
      return tl::unexpected(r.error());
    }
    return reload_subject(tx, *id);
  }));
}

Result<Subject> OrgService::confirm_subject(const Caller& caller, std::int64_t id,
                                            const SubjectConfirmation& cmd) const {
  if (auto ok = caller.require(Permission::kSubjectConfirm); !ok) {
    return tl::unexpected(ok.error());
  }
  SubjectConfirmation c = cmd;
  auto doc = required_text("确认文件文号", c.confirmation_document);
  if (!doc) return tl::unexpected(doc.error());
  c.confirmation_document = *doc;
  auto on = valid_date(c.confirmed_on);
  if (!on) return tl::unexpected(on.error());
  c.confirmed_on = *on;
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Subject> {
    auto s = visible_subject(tx, caller, id);
    if (!s) return tl::unexpected(s.error());
    if (s->status != "proposed") {
      return fail(ErrorCode::kOrgSubjectState, field("name", s->name),
                  field("status", std::string(subject_status_name(s->status))),
                  field("action", "确认"));
    }
    if (auto r = repo::confirm_subject(tx, id, c, now.micros); !r) return tl::unexpected(r.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(
            tx, "subject", id, "confirm", c.confirmed_on, json{{"status", s->status}},
            json{{"status", "confirmed"}, {"confirmation_document", c.confirmation_document}},
            "subject.confirmed");
        !r) {
      return tl::unexpected(r.error());
    }
    return reload_subject(tx, id);
  }));
}

Result<Subject> OrgService::revoke_subject(const Caller& caller, std::int64_t id,
                                           const SubjectRevocation& cmd) const {
  if (auto ok = caller.require(Permission::kSubjectConfirm); !ok) {
    return tl::unexpected(ok.error());
  }
  SubjectRevocation r = cmd;
  auto reason = required_text("撤销理由", r.reason, kMaxTextBytes);
  if (!reason) return tl::unexpected(reason.error());
  r.reason = *reason;
  auto on = valid_date(r.revoked_on);
  if (!on) return tl::unexpected(on.error());
  r.revoked_on = *on;
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Subject> {
    auto s = visible_subject(tx, caller, id);
    if (!s) return tl::unexpected(s.error());
    if (s->status == "revoked") {
      return fail(ErrorCode::kOrgSubjectState, field("name", s->name),
                  field("status", std::string(subject_status_name(s->status))),
                  field("action", "撤销"));
    }
    if (auto w = repo::revoke_subject(tx, id, r, now.micros); !w) return tl::unexpected(w.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto w = record(tx, "subject", id, "revoke", r.revoked_on, json{{"status", s->status}},
                        json{{"status", "revoked"}, {"reason", r.reason}}, "subject.revoked");
        !w) {
      return tl::unexpected(w.error());
    }
    return reload_subject(tx, id);
  }));
}

Result<Subject> OrgService::publish_subject(const Caller& caller, std::int64_t id) const {
  if (auto ok = caller.require(Permission::kSubjectConfirm); !ok) {
    return tl::unexpected(ok.error());
  }
  const Instant now = clock_.now();
  return notify(db_.write([&](Tx& tx) -> Result<Subject> {
    auto s = visible_subject(tx, caller, id);
    if (!s) return tl::unexpected(s.error());
    if (auto ok = check_subject_may_act(*s); !ok) return tl::unexpected(ok.error());
    if (s->published) return std::move(*s);
    if (auto r = repo::publish_subject(tx, id, now.micros); !r) return tl::unexpected(r.error());
    Recorder record{caller, audit_, journal_, now.micros};
    if (auto r = record(tx, "subject", id, "publish", Date::of(now).to_string(),
                        json{{"published", false}}, json{{"published", true}}, "subject.published");
        !r) {
      return tl::unexpected(r.error());
    }
    return reload_subject(tx, id);
  }));
}

Result<Page<PublicSubject>> OrgService::public_subjects(const PublicSubjectQuery& query) const {
  return db_.read([&](Tx& tx) { return repo::list_public_subjects(tx, query); });
}

}  // namespace xzzf::org
