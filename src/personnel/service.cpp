#include "personnel/service.hpp"

#include <sodium.h>
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include <fmt/format.h>

#include "core/sectors.hpp"
#include "personnel/repository.hpp"
#include "privacy/mask.hpp"
#include "record/hash.hpp"
#include "rules/service.hpp"

namespace xzzf::personnel {
namespace {

using auth::Permission;
using nlohmann::json;
using storage::Tx;

// The columns the sealed values are bound to (privacy/sealer.hpp).
constexpr std::string_view kIdNumberColumn = "officers.id_number";
constexpr std::string_view kPhoneColumn = "officers.phone";

// The highest sequence a self-issued number can hold (kSelfNumberDigits nines).
constexpr std::int64_t kSelfNumberLast = [] {
  std::int64_t n = 1;
  for (int i = 0; i < kSelfNumberDigits; ++i) n *= 10;
  return n - 1;
}();

tl::unexpected<Error> invalid(const char* what, std::string detail) {
  return fail(ErrorCode::kPersonnelInvalid, field("field", what),
              field("detail", std::move(detail)));
}

// Characters, not bytes.
std::size_t length(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Result<void> check_date(const char* what, const std::string& date) {
  if (!Date::parse(date)) return invalid(what, "应为 YYYY-MM-DD：" + date);
  return {};
}

// What a record entry keeps of a value that is not for everyone who reads
// the record (a free-text reason, which may name people; an exam score): a
// digest keyed with the deployment's key, null when there is none. Entries
// can never be removed (RECORD.md), and a plain hash of a short text is
// guessed by hashing candidates; the value itself stays in its table
// (certificate_events, exam_results), where the digest proves it unchanged.
json keyed_digest(const privacy::Sealer& sealer, const std::string& value,
                  std::string_view column) {
  if (value.empty()) return nullptr;
  return sealer.blind(value, column);
}

constexpr std::string_view kReasonColumn = "certificate_events.reason";
constexpr std::string_view kScoreColumn = "exam_results.score";

// One certificate action: the states it starts from, where it leads, its
// name in messages, whether it needs a reason.
struct Step {
  const char* action;
  std::vector<std::string_view> from;
  const char* to;
  const char* verb;
  bool reason;
};

const std::vector<Step>& steps() {
  static const std::vector<Step> s = {
      {"suspend", {"valid"}, "suspended", "暂扣", true},
      {"lift", {"suspended"}, "valid", "恢复（解除暂扣）", true},
      {"withdraw", {"valid", "suspended"}, "withdrawn", "收回", true},
      {"revoke", {"valid", "suspended", "withdrawn"}, "revoked", "取消资格", true},
      {"annual_pass", {"valid"}, "valid", "年审通过", false},
      // A failed annual assessment suspends the certificate (notice 五（三）).
      {"annual_fail", {"valid"}, "suspended", "年审不合格暂扣", true},
      {"expire", {"valid", "suspended"}, "expired", "注销过期证件", true},
  };
  return s;
}

}  // namespace

const std::vector<Employment>& employments() {
  static const std::vector<Employment> e = {{"established", "在编在职人员"},
                                            {"service", "工勤人员"},
                                            {"contract", "劳动合同工"},
                                            {"dispatched", "劳务派遣人员"},
                                            {"temporary", "临时工"}};
  return e;
}

const char* certificate_status_name(const std::string& status) {
  static const std::vector<std::pair<std::string_view, const char*>> names = {
      {"applied", "待审核"}, {"rejected", "未通过审核"}, {"valid", "有效"},  {"suspended", "暂扣"},
      {"withdrawn", "收回"}, {"revoked", "取消资格"},    {"expired", "过期"}};
  for (const auto& [code, name] : names) {
    if (status == code) return name;
  }
  return "";
}

const char* employment_name(const std::string& code) {
  for (const auto& e : employments()) {
    if (code == e.code) return e.name;
  }
  return nullptr;
}

// ---------------------------------------------------------------- officers

std::vector<PersonnelService::Problem> PersonnelService::officer_problems(const NewOfficer& cmd) {
  std::vector<Problem> out;
  if (cmd.full_name.empty() || length(cmd.full_name) > 50) {
    out.push_back({"姓名", "应为 1 至 50 个字"});
  }
  if (!privacy::valid_id_number(privacy::normalize_id_number(cmd.id_number))) {
    out.push_back({"身份证号码", "不是有效的 18 位居民身份证号码"});
  }
  if (!cmd.phone.empty() && !privacy::valid_phone(cmd.phone)) {
    out.push_back({"联系电话", "应为 11 位手机号码或带区号的固定电话"});
  }
  if (employment_name(cmd.employment) == nullptr) {
    out.push_back({"人员性质", "应为 established、service、contract、dispatched 或 temporary"});
  }
  if (!cmd.post_started_on.empty() && !Date::parse(cmd.post_started_on)) {
    out.push_back({"到岗日期", "应为 YYYY-MM-DD：" + cmd.post_started_on});
  }
  return out;
}

std::string PersonnelService::id_digest(std::string_view id_number) const {
  return sealer_.blind(privacy::normalize_id_number(id_number), kIdNumberColumn);
}

Result<std::int64_t> PersonnelService::insert_officer(Tx& tx, const Caller& caller,
                                                      const repo::DepartmentInfo& dept,
                                                      const NewOfficer& cmd, Instant now) const {
  const std::string id_number = privacy::normalize_id_number(cmd.id_number);
  const std::string started_on =
      cmd.post_started_on.empty() ? Date::of(now).to_string() : cmd.post_started_on;
  const std::string digest = id_digest(id_number);
  XZZF_TRY(existing, repo::officer_by_digest(tx, digest));
  // Says no more than that: where the person works is not the caller's to learn.
  if (existing) return fail(ErrorCode::kPersonnelDuplicateOfficer);
  if (cmd.post_id) XZZF_CHECK(repo::check_post(tx, *cmd.post_id, dept.id));
  if (cmd.user_id) XZZF_CHECK(repo::check_account(tx, *cmd.user_id, dept.id));
  repo::OfficerRow row{.department_id = dept.id,
                       .full_name = cmd.full_name,
                       .id_number_sealed = sealer_.seal(id_number, kIdNumberColumn),
                       .id_number_digest = digest,
                       .id_number_masked = privacy::mask_id_number(id_number),
                       .phone_sealed = cmd.phone.empty()
                                           ? std::optional<std::string>()
                                           : std::optional(sealer_.seal(cmd.phone, kPhoneColumn)),
                       .phone_masked = cmd.phone.empty() ? "" : privacy::mask_phone(cmd.phone),
                       .employment = cmd.employment,
                       .legal_qualification = cmd.legal_qualification,
                       .user_id = cmd.user_id,
                       .at_us = now.micros};
  XZZF_TRY(id, repo::insert_officer(tx, row));
  if (cmd.post_id) XZZF_CHECK(repo::start_post(tx, id, *cmd.post_id, started_on));
  XZZF_CHECK(journal_.record(
      tx, record::Act{.at = now,
                      .actor_user_id = caller.actor(),
                      .jurisdiction_id = dept.jurisdiction_id,
                      .department_id = dept.id,
                      .subject_type = "officer",
                      .subject_id = id,
                      .action = "officer.created",
                      .payload = {{"employment", cmd.employment},
                                  {"legal_qualification", cmd.legal_qualification},
                                  {"post_id", cmd.post_id ? json(*cmd.post_id) : json(nullptr)}}}));
  return id;
}

Result<Officer> PersonnelService::create_officer(const Caller& caller,
                                                 const NewOfficer& cmd) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  // The first problem, in the order of the form.
  if (auto problems = officer_problems(cmd); !problems.empty()) {
    return invalid(problems.front().field.c_str(), problems.front().detail);
  }
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Officer> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(dept, repo::department(tx, cmd.department_id));
    if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", cmd.department_id));
    XZZF_CHECK(caller.scope.check(dept->id, dept->jurisdiction_id));
    XZZF_TRY(id, insert_officer(tx, caller, *dept, cmd, now));
    XZZF_TRY(made, repo::officer(tx, id));
    return std::move(*made);
  });
}

Result<Page<Officer>> PersonnelService::officers(const Caller& caller,
                                                 const OfficerQuery& q) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  if (!q.employment.empty() && employment_name(q.employment) == nullptr) {
    return invalid("人员性质", q.employment);
  }
  return db_.read([&](Tx& tx) {
    return repo::officers(tx, caller.scope.filter("o.department_id", "d.jurisdiction_id"), q);
  });
}

Result<Officer> PersonnelService::officer(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  return db_.read([&](Tx& tx) -> Result<Officer> {
    XZZF_TRY(o, repo::officer(tx, id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    return std::move(*o);
  });
}

Result<Revealed> PersonnelService::reveal(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kOfficerReveal));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Revealed> {
    XZZF_TRY(o, repo::officer(tx, id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    XZZF_TRY(sealed, repo::sealed_of(tx, id));
    Revealed out;
    XZZF_TRY(id_number, sealer_.open(sealed.first, kIdNumberColumn));
    out.id_number = std::move(id_number);
    if (sealed.second) {
      XZZF_TRY(phone, sealer_.open(*sealed.second, kPhoneColumn));
      out.phone = std::move(phone);
    }
    // The view commits with its audit event, or not at all.
    XZZF_CHECK(audit_.append(tx, audit::AuditEvent{.at = now,
                                                   .event = "personnel.reveal",
                                                   .actor_user_id = caller.actor(),
                                                   .actor = caller.username,
                                                   .remote_addr = caller.remote_addr,
                                                   .detail_json = json{{"officer_id", id}}.dump(),
                                                   .request_id = caller.request_id}));
    return out;
  });
}

// ------------------------------------------------------------------ photos

namespace {

// The image type of `bytes` by its signature; nullptr for anything else.
const char* image_type(const std::string& bytes) {
  if (bytes.size() > 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
      static_cast<unsigned char>(bytes[1]) == 0xD8 &&
      static_cast<unsigned char>(bytes[2]) == 0xFF) {
    return "image/jpeg";
  }
  if (bytes.size() > 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return "image/png";
  return nullptr;
}

std::string to_base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<Photo> photo_of(const repo::StoredPhoto& stored) {
  std::string bytes(stored.base64.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                        stored.base64.data(), stored.base64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return fail(ErrorCode::kDbError, field("detail", "照片数据损坏"));
  }
  bytes.resize(len);
  return Photo{
      .content_type = stored.content_type, .bytes = std::move(bytes), .sha256 = stored.sha256};
}

}  // namespace

Result<Officer> PersonnelService::set_photo(const Caller& caller, std::int64_t id,
                                            const std::string& bytes) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  const std::string limit = fmt::format("{} KB", settings_.photo_max_kib);
  const char* type = image_type(bytes);
  if (type == nullptr) {
    return fail(ErrorCode::kPersonnelPhotoInvalid, field("limit", limit),
                field("detail", "文件不是 JPEG 或 PNG 图片"));
  }
  if (bytes.size() > static_cast<std::size_t>(settings_.photo_max_kib) * 1024) {
    return fail(ErrorCode::kPersonnelPhotoInvalid, field("limit", limit),
                field("detail", fmt::format("文件有 {} KB", (bytes.size() + 1023) / 1024)));
  }
  const std::string sha256 = record::to_hex(record::digest(record::HashAlgorithm::kSha256, bytes));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Officer> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(o, repo::officer(tx, id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    XZZF_CHECK(repo::save_photo(tx, id, type, to_base64(bytes), sha256,
                                static_cast<std::int64_t>(bytes.size()), now.micros));
    XZZF_CHECK(repo::touch_officer(tx, id, now.micros));
    // The digest, not the picture: the record keeps no personal data.
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = caller.actor(),
                                               .jurisdiction_id = o->jurisdiction_id,
                                               .department_id = o->department_id,
                                               .subject_type = "officer",
                                               .subject_id = id,
                                               .action = "officer.photo_set",
                                               .payload = {{"sha256", sha256}, {"type", type}}}));
    XZZF_TRY(after, repo::officer(tx, id));
    return std::move(*after);
  });
}

Result<Photo> PersonnelService::photo(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  return db_.read([&](Tx& tx) -> Result<Photo> {
    XZZF_TRY(o, repo::officer(tx, id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    XZZF_TRY(stored, repo::photo(tx, id));
    if (!stored) return fail(ErrorCode::kPersonnelPhotoNotFound);
    return photo_of(*stored);
  });
}

Result<Officer> PersonnelService::assign_post(const Caller& caller, std::int64_t id,
                                              std::int64_t post_id,
                                              const std::string& started_on) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  XZZF_CHECK(check_date("到岗日期", started_on));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Officer> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(o, repo::officer(tx, id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    XZZF_CHECK(repo::check_post(tx, post_id, o->department_id));
    if (o->post && started_on <= o->post->started_on) {
      return invalid("到岗日期", "应晚于现岗位的到岗日期 " + o->post->started_on);
    }
    if (o->post) XZZF_CHECK(repo::end_post(tx, id, started_on));
    XZZF_CHECK(repo::start_post(tx, id, post_id, started_on));
    XZZF_CHECK(repo::touch_officer(tx, id, now.micros));
    XZZF_CHECK(journal_.record(
        tx, record::Act{.at = now,
                        .actor_user_id = caller.actor(),
                        .jurisdiction_id = o->jurisdiction_id,
                        .department_id = o->department_id,
                        .subject_type = "officer",
                        .subject_id = id,
                        .action = "officer.post_assigned",
                        .payload = {{"post_id", post_id},
                                    {"started_on", started_on},
                                    {"previous_post_id",
                                     o->post ? json(o->post->post_id) : json(nullptr)}}}));
    XZZF_TRY(after, repo::officer(tx, id));
    return std::move(*after);
  });
}

Result<std::vector<PostSpell>> PersonnelService::posts(const Caller& caller,
                                                       std::int64_t id) const {
  XZZF_TRY(o, officer(caller, id));
  return db_.read([&](Tx& tx) { return repo::posts(tx, o.id); });
}

// ---------------------------------------------------------------- training

Result<Training> PersonnelService::add_training(const Caller& caller, const Training& t) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  if (t.course.empty() || length(t.course) > 100) return invalid("课程", "应为 1 至 100 个字");
  if (t.kind != "public_law" && t.kind != "special_law" && t.kind != "other") {
    return invalid("培训类别", "应为 public_law、special_law 或 other");
  }
  if (t.hours < 1 || t.hours > 1000) return invalid("学时", "应为 1 至 1000");
  XZZF_CHECK(check_date("完成日期", t.completed_on));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Training> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(o, repo::officer(tx, t.officer_id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", t.officer_id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    Training saved = t;
    XZZF_TRY(id, repo::insert_training(tx, t, now.micros));
    saved.id = id;
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = caller.actor(),
                                               .jurisdiction_id = o->jurisdiction_id,
                                               .department_id = o->department_id,
                                               .subject_type = "officer",
                                               .subject_id = o->id,
                                               .action = "officer.training_added",
                                               .payload = {{"training_id", id},
                                                           {"course", t.course},
                                                           {"kind", t.kind},
                                                           {"hours", t.hours},
                                                           {"completed_on", t.completed_on}}}));
    return saved;
  });
}

Result<std::vector<Training>> PersonnelService::trainings(const Caller& caller,
                                                          std::int64_t officer_id) const {
  XZZF_TRY(o, officer(caller, officer_id));
  return db_.read([&](Tx& tx) { return repo::trainings(tx, o.id); });
}

// ---------------------------------------------------------------- exams

Result<ExamSession> PersonnelService::create_session(const Caller& caller,
                                                     const ExamSession& cmd) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  if (cmd.title.empty() || length(cmd.title) > 100)
    return invalid("考试名称", "应为 1 至 100 个字");
  XZZF_CHECK(check_date("考试日期", cmd.held_on));
  const Instant now = clock_.now();
  const rules::RuleService rules(db_, clock_);
  return db_.write([&](Tx& tx) -> Result<ExamSession> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(j, repo::jurisdiction_exists(tx, cmd.jurisdiction_id));
    if (!j) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", cmd.jurisdiction_id));
    XZZF_CHECK(caller.scope.check(std::nullopt, cmd.jurisdiction_id));
    XZZF_TRY(rule, rules.lookup(tx, "qualification.exam_pass_line", cmd.jurisdiction_id, "",
                                cmd.held_on));
    ExamSession s = cmd;
    s.pass_line = rule.value;
    s.pass_line_basis = rule.citation() + (rule.confirmed ? "" : "（分数线未经核实，见规则说明）");
    XZZF_TRY(id, repo::insert_session(tx, s, rule.id, now.micros));
    s.id = id;
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = caller.actor(),
                                               .jurisdiction_id = cmd.jurisdiction_id,
                                               .subject_type = "exam_session",
                                               .subject_id = id,
                                               .action = "exam_session.created",
                                               .payload = {{"title", s.title},
                                                           {"held_on", s.held_on},
                                                           {"pass_line", s.pass_line},
                                                           {"rule_id", rule.id}}}));
    return s;
  });
}

Result<std::vector<ExamSession>> PersonnelService::sessions(const Caller& caller) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  // Sessions hold no personal data: every reader sees the schedule.
  return db_.read([&](Tx& tx) { return repo::sessions(tx); });
}

Result<ExamResult> PersonnelService::record_result(const Caller& caller, std::int64_t session_id,
                                                   std::int64_t officer_id,
                                                   std::optional<std::int64_t> score,
                                                   bool exempted) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  if (exempted == score.has_value()) {
    return invalid("成绩", "应填写分数，或对取得法律职业资格的人员免试（二者取其一）");
  }
  if (score && (*score < 0 || *score > 1000)) return invalid("成绩", "应为 0 至 1000 分");
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<ExamResult> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(s, repo::session(tx, session_id));
    if (!s) return fail(ErrorCode::kPersonnelSessionNotFound, field("id", session_id));
    XZZF_CHECK(caller.scope.check(std::nullopt, s->jurisdiction_id));
    XZZF_TRY(o, repo::officer(tx, officer_id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", officer_id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    if (exempted && !o->legal_qualification) {
      return invalid("免试", o->full_name + "未登记取得法律职业资格");
    }
    ExamResult r{.session_id = session_id,
                 .officer_id = officer_id,
                 .officer_name = o->full_name,
                 .score = score,
                 .exempted = exempted,
                 .passed = exempted || *score >= s->pass_line};
    XZZF_CHECK(repo::save_result(tx, r, now.micros));
    XZZF_CHECK(journal_.record(
        tx, record::Act{
                .at = now,
                .actor_user_id = caller.actor(),
                .jurisdiction_id = o->jurisdiction_id,
                .department_id = o->department_id,
                .subject_type = "officer",
                .subject_id = officer_id,
                .action = "officer.exam_result",
                .payload = {
                    {"session_id", session_id},
                    {"score_hmac",
                     score ? keyed_digest(sealer_, std::to_string(*score), kScoreColumn) : json()},
                    {"exempted", exempted},
                    {"passed", r.passed},
                    {"pass_line", s->pass_line}}}));
    return r;
  });
}

namespace {

// Exam scores and the reasons of certificate changes are for those who
// manage officers or review certificates, not for every colleague who may
// read the officer list.
Result<void> may_see_details(const auth::Caller& caller) {
  if (caller.has(Permission::kOfficerManage)) return {};
  return caller.require(Permission::kCertificateReview);
}

}  // namespace

Result<std::vector<ExamResult>> PersonnelService::results(const Caller& caller,
                                                          std::int64_t officer_id) const {
  XZZF_CHECK(may_see_details(caller));
  XZZF_TRY(o, officer(caller, officer_id));
  return db_.read([&](Tx& tx) { return repo::results(tx, o.id); });
}

Result<std::vector<ExamResult>> PersonnelService::session_results(const Caller& caller,
                                                                  std::int64_t session_id) const {
  XZZF_CHECK(may_see_details(caller));
  return db_.read([&](Tx& tx) -> Result<std::vector<ExamResult>> {
    XZZF_TRY(session, repo::session(tx, session_id));
    if (!session) return fail(ErrorCode::kPersonnelSessionNotFound, field("id", session_id));
    return repo::session_results(tx, caller.scope.filter("o.department_id", "d.jurisdiction_id"),
                                 session_id);
  });
}

// ---------------------------------------------------------------- certificates

Result<Certificate> PersonnelService::apply(const Caller& caller, const Application& a) const {
  XZZF_CHECK(caller.require(Permission::kOfficerManage));
  if (a.kind != "enforcement" && a.kind != "supervision") {
    return invalid("证件种类", "应为 enforcement（行政执法证）或 supervision（行政执法监督证）");
  }
  if (a.sectors.empty()) return invalid("执法类别", "至少一个执法领域");
  for (const auto& s : a.sectors) {
    if (!is_sector(s)) return fail(ErrorCode::kOrgUnknownSector, field("code", s));
  }
  if (a.jurisdiction_ids.empty()) return invalid("区域", "至少一个行政区划");
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Certificate> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(o, repo::officer(tx, a.officer_id));
    if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", a.officer_id));
    XZZF_CHECK(caller.scope.check(o->department_id, o->jurisdiction_id));
    if (o->status != "active") return invalid("执法人员", o->full_name + "已离岗");
    // 条例 第二十条: 在编在职 only; 工勤人员、劳动合同工、临时工 may not apply.
    if (o->employment != "established") {
      return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNotEstablished, kBasisEmployment,
                                            field("name", o->full_name),
                                            field("employment", employment_name(o->employment))));
    }
    // 第二十一条: training in public and specialised law, then an exam passed
    // (or exempted), come first.
    XZZF_TRY(kinds, repo::training_kinds(tx, o->id));
    for (const auto& [kind, name] :
         {std::pair<std::string, const char*>{"public_law", "公共法律知识"},
          {"special_law", "专业法律知识"}}) {
      if (!kinds.contains(kind)) {
        return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNoTraining, kBasisExam,
                                              field("name", o->full_name), field("what", name)));
      }
    }
    XZZF_TRY(passed, repo::has_pass(tx, o->id));
    if (!passed) {
      return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNoExamPass, kBasisExam,
                                            field("name", o->full_name)));
    }
    // Areas within the department's own jurisdiction (it or below it).
    XZZF_TRY(dept, repo::department(tx, o->department_id));
    for (auto j : a.jurisdiction_ids) {
      XZZF_TRY(exists, repo::jurisdiction_exists(tx, j));
      if (!exists) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", j));
      XZZF_TRY(chain, repo::jurisdiction_chain(tx, j));
      if (std::find(chain.begin(), chain.end(), dept->jurisdiction_id) == chain.end()) {
        XZZF_TRY(name, repo::jurisdiction_name(tx, j));
        return fail(ErrorCode::kPersonnelAreaOutside, field("area", name),
                    field("department", dept->name));
      }
    }
    XZZF_TRY(open, repo::open_certificate(tx, o->id, a.kind));
    if (open) {
      return fail(ErrorCode::kPersonnelCertificateState,
                  field("status", std::string(certificate_status_name(open->second))),
                  field("action", "重复申领同种证件"));
    }
    XZZF_TRY(id, repo::insert_certificate(tx, *o, a, now.micros));
    XZZF_CHECK(repo::add_event(tx, id, "apply", "", "applied", "", caller.actor(), now.micros));
    XZZF_CHECK(
        journal_.record(tx, record::Act{.at = now,
                                        .actor_user_id = caller.actor(),
                                        .jurisdiction_id = o->jurisdiction_id,
                                        .department_id = o->department_id,
                                        .subject_type = "certificate",
                                        .subject_id = id,
                                        .action = "certificate.applied",
                                        .payload = {{"officer_id", o->id},
                                                    {"kind", a.kind},
                                                    {"sectors", a.sectors},
                                                    {"jurisdiction_ids", a.jurisdiction_ids}}}));
    XZZF_TRY(c, repo::certificate(tx, id));
    return std::move(*c);
  });
}

std::optional<PersonnelService::Problem> PersonnelService::approval_problem(const Review& r) const {
  const bool assigned = r.number.empty() && settings_.number_issuer == NumberIssuer::kSelf;
  if (!assigned && (r.number.empty() || length(r.number) > 40)) {
    return Problem{"证件编号", "应为 1 至 40 个字符"};
  }
  // The number is a path segment (/certificates/{number}, the QR code's
  // check page) and is typed by the public: no slash, no control
  // characters, no space around it.
  const bool spaced =
      !r.number.empty() && (std::isspace(static_cast<unsigned char>(r.number.front())) != 0 ||
                            std::isspace(static_cast<unsigned char>(r.number.back())) != 0);
  const bool bad = std::any_of(r.number.begin(), r.number.end(), [](char c) {
    return c == '/' || c == '\\' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7F;
  });
  if (spaced || bad) return Problem{"证件编号", "不得含有斜杠、控制字符或首尾空格"};
  if (!Date::parse(r.issued_on)) return Problem{"发证日期", "应为 YYYY-MM-DD：" + r.issued_on};
  if (!Date::parse(r.expires_on)) return Problem{"有效期至", "应为 YYYY-MM-DD：" + r.expires_on};
  if (r.expires_on <= r.issued_on) return Problem{"有效期至", "应晚于发证日期"};
  return std::nullopt;
}

Result<void> PersonnelService::reviewable(const Caller& caller, const Certificate& c) {
  if (c.status != "applied") {
    return fail(ErrorCode::kPersonnelCertificateState,
                field("status", std::string(certificate_status_name(c.status))),
                field("action", "审核"));
  }
  // The reviewer grants only areas of its own scope.
  for (auto j : c.jurisdiction_ids) XZZF_CHECK(caller.scope.check(std::nullopt, j));
  return {};
}

Result<void> PersonnelService::issue_certificate(Tx& tx, const Caller& caller, const Certificate& c,
                                                 std::int64_t jurisdiction_id, const Review& r,
                                                 Instant now) const {
  std::string number = r.number;
  if (number.empty()) {
    if (settings_.number_issuer != NumberIssuer::kSelf) {
      return invalid("证件编号", "应为 1 至 40 个字符");
    }
    // The next of this deployment's own numbers. The journal is held, so no
    // other writer takes the same one; UNIQUE (number) stays the backstop.
    XZZF_TRY(last, repo::last_self_number(tx, settings_.number_prefix, kSelfNumberDigits));
    if (last >= kSelfNumberLast) {
      return fail(ErrorCode::kPersonnelNumbersExhausted, field("prefix", settings_.number_prefix));
    }
    number = fmt::format("{}{:0{}}", settings_.number_prefix, last + 1, kSelfNumberDigits);
  }
  XZZF_TRY(taken, repo::number_taken(tx, number));
  if (taken) return fail(ErrorCode::kPersonnelDuplicateNumber, field("number", number));
  XZZF_CHECK(repo::issue(tx, c.id, number, r.issued_on, r.expires_on, now.micros));
  XZZF_CHECK(
      repo::add_event(tx, c.id, "issue", "applied", "valid", r.reason, caller.actor(), now.micros));
  XZZF_CHECK(journal_.record(
      tx,
      record::Act{.at = now,
                  .actor_user_id = caller.actor(),
                  .jurisdiction_id = jurisdiction_id,
                  .department_id = c.department_id,
                  .subject_type = "certificate",
                  .subject_id = c.id,
                  .action = "certificate.issued",
                  .payload = {{"number", number},
                              {"issued_on", r.issued_on},
                              {"expires_on", r.expires_on},
                              {"reason_hmac", keyed_digest(sealer_, r.reason, kReasonColumn)}}}));
  return {};
}

Result<Certificate> PersonnelService::review(const Caller& caller, std::int64_t certificate_id,
                                             const Review& r) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  if (r.approve) {
    if (auto problem = approval_problem(r)) return invalid(problem->field.c_str(), problem->detail);
  } else if (r.reason.empty()) {
    return invalid("理由", "不予通过须说明理由");
  }
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<Certificate> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(c, repo::certificate(tx, certificate_id));
    if (!c) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", certificate_id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    XZZF_CHECK(caller.scope.check(c->department_id, o->jurisdiction_id));
    XZZF_CHECK(reviewable(caller, *c));
    if (r.approve) {
      XZZF_CHECK(issue_certificate(tx, caller, *c, o->jurisdiction_id, r, now));
    } else {
      XZZF_CHECK(repo::set_status(tx, c->id, "rejected", std::nullopt, now.micros));
      XZZF_CHECK(repo::add_event(tx, c->id, "reject", "applied", "rejected", r.reason,
                                 caller.actor(), now.micros));
      XZZF_CHECK(journal_.record(
          tx, record::Act{
                  .at = now,
                  .actor_user_id = caller.actor(),
                  .jurisdiction_id = o->jurisdiction_id,
                  .department_id = c->department_id,
                  .subject_type = "certificate",
                  .subject_id = c->id,
                  .action = "certificate.rejected",
                  .payload = {{"number", nullptr},
                              {"issued_on", nullptr},
                              {"expires_on", nullptr},
                              {"reason_hmac", keyed_digest(sealer_, r.reason, kReasonColumn)}}}));
    }
    XZZF_TRY(after, repo::certificate(tx, c->id));
    return std::move(*after);
  });
}

Result<Certificate> PersonnelService::act(const Caller& caller, std::int64_t certificate_id,
                                          const CertificateAction& a) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  const auto& all = steps();
  const auto step =
      std::find_if(all.begin(), all.end(), [&](const Step& s) { return a.action == s.action; });
  if (step == all.end()) {
    return invalid("操作",
                   "应为 suspend、lift、withdraw、revoke、annual_pass、annual_fail 或 expire");
  }
  if (step->reason && a.reason.empty())
    return invalid("理由", std::string(step->verb) + "须说明理由");
  if (length(a.reason) > 500) return invalid("理由", "不超过 500 个字");
  const Instant now = clock_.now();
  const std::string today = Date::of(now).to_string();
  return db_.write([&](Tx& tx) -> Result<Certificate> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(c, repo::certificate(tx, certificate_id));
    if (!c) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", certificate_id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    XZZF_CHECK(caller.scope.check(c->department_id, o->jurisdiction_id));
    if (std::find(step->from.begin(), step->from.end(), c->status) == step->from.end()) {
      return fail(ErrorCode::kPersonnelCertificateState,
                  field("status", std::string(certificate_status_name(c->status))),
                  field("action", std::string(step->verb)));
    }
    const std::string to = step->to;
    XZZF_CHECK(repo::set_status(tx, c->id, to,
                                a.action == "annual_pass" ? std::optional(today) : std::nullopt,
                                now.micros));
    XZZF_CHECK(
        repo::add_event(tx, c->id, a.action, c->status, to, a.reason, caller.actor(), now.micros));
    json payload = {{"from", c->status},
                    {"to", to},
                    {"reason_hmac", keyed_digest(sealer_, a.reason, kReasonColumn)}};
    if (a.action == "annual_fail") payload["basis"] = kBasisAnnualReview;
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = caller.actor(),
                                               .jurisdiction_id = o->jurisdiction_id,
                                               .department_id = c->department_id,
                                               .subject_type = "certificate",
                                               .subject_id = c->id,
                                               .action = "certificate." + a.action,
                                               .payload = std::move(payload)}));
    XZZF_TRY(after, repo::certificate(tx, c->id));
    return std::move(*after);
  });
}

Result<Certificate> PersonnelService::renew(const Caller& caller, std::int64_t certificate_id,
                                            const Renewal& r) const {
  XZZF_CHECK(caller.require(Permission::kCertificateReview));
  XZZF_CHECK(check_date("发证日期", r.issued_on));
  XZZF_CHECK(check_date("有效期至", r.expires_on));
  if (r.expires_on <= r.issued_on) return invalid("有效期至", "应晚于发证日期");
  if (length(r.reason) > 500) return invalid("理由", "不超过 500 个字");
  const Instant now = clock_.now();
  if (r.expires_on <= Date::of(now).to_string()) return invalid("有效期至", "应晚于今天");
  return db_.write([&](Tx& tx) -> Result<Certificate> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(c, repo::certificate(tx, certificate_id));
    if (!c) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", certificate_id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    XZZF_CHECK(caller.scope.check(c->department_id, o->jurisdiction_id));
    if ((c->status != "valid" && c->status != "expired") || !c->number) {
      return fail(ErrorCode::kPersonnelCertificateState,
                  field("status", std::string(certificate_status_name(c->status))),
                  field("action", "换证"));
    }
    // The reviewer renews only areas it could have granted (as review does).
    for (auto j : c->jurisdiction_ids) XZZF_CHECK(caller.scope.check(std::nullopt, j));
    if (o->status != "active") return invalid("执法人员", o->full_name + "已离岗");
    if (o->employment != "established") {
      return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNotEstablished, kBasisEmployment,
                                            field("name", o->full_name),
                                            field("employment", employment_name(o->employment))));
    }
    // An expired one comes back only if no other of its kind is open since.
    if (c->status == "expired") {
      XZZF_TRY(open, repo::open_certificate(tx, o->id, c->kind));
      if (open && open->first != c->id) {
        return fail(ErrorCode::kPersonnelCertificateState,
                    field("status", std::string(certificate_status_name(open->second))),
                    field("action", "换证（已有同种证件）"));
      }
    }
    XZZF_CHECK(repo::issue(tx, c->id, *c->number, r.issued_on, r.expires_on, now.micros));
    XZZF_CHECK(repo::add_event(tx, c->id, "renew", c->status, "valid", r.reason, caller.actor(),
                               now.micros));
    XZZF_CHECK(journal_.record(
        tx,
        record::Act{.at = now,
                    .actor_user_id = caller.actor(),
                    .jurisdiction_id = o->jurisdiction_id,
                    .department_id = c->department_id,
                    .subject_type = "certificate",
                    .subject_id = c->id,
                    .action = "certificate.renewed",
                    .payload = {{"from", c->status},
                                {"issued_on", r.issued_on},
                                {"expires_on", r.expires_on},
                                {"reason_hmac", keyed_digest(sealer_, r.reason, kReasonColumn)}}}));
    XZZF_TRY(after, repo::certificate(tx, c->id));
    return std::move(*after);
  });
}

Result<std::int64_t> PersonnelService::certificate_id(const Caller& caller,
                                                      const std::string& number) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  if (number.empty() || length(number) > 40) return invalid("证件编号", "应为 1 至 40 个字符");
  return db_.read([&](Tx& tx) -> Result<std::int64_t> {
    XZZF_TRY(id, repo::certificate_by_number(tx, number));
    if (!id) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", number));
    XZZF_TRY(c, repo::certificate(tx, *id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    XZZF_CHECK(caller.scope.check(c->department_id, o->jurisdiction_id));
    return *id;
  });
}

Result<Page<Certificate>> PersonnelService::certificates(const Caller& caller,
                                                         const CertificateQuery& q) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  if (!q.status.empty() && *certificate_status_name(q.status) == '\0') {
    return invalid("状态", q.status);
  }
  return db_.read([&](Tx& tx) {
    return repo::certificates(tx, caller.scope.filter("c.department_id", "d.jurisdiction_id"), q);
  });
}

Result<Certificate> PersonnelService::certificate(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  return db_.read([&](Tx& tx) -> Result<Certificate> {
    XZZF_TRY(c, repo::certificate(tx, id));
    if (!c) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    XZZF_CHECK(caller.scope.check(c->department_id, o->jurisdiction_id));
    return std::move(*c);
  });
}

Result<std::vector<CertificateEvent>> PersonnelService::certificate_events(const Caller& caller,
                                                                           std::int64_t id) const {
  XZZF_CHECK(may_see_details(caller));
  XZZF_TRY(c, certificate(caller, id));
  return db_.read([&](Tx& tx) { return repo::events(tx, c.id); });
}

// ---------------------------------------------------------------- reminders

Result<std::vector<Reminder>> PersonnelService::reminders(const Caller& caller) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  const Date today = Date::of(clock_.now());
  const Date soon = today.plus_days(settings_.reminder_days);
  XZZF_TRY(held, db_.read([&](Tx& tx) {
    return repo::certificates_held(tx, caller.scope.filter("c.department_id", "d.jurisdiction_id"));
  }));
  std::vector<Reminder> out;
  for (auto& c : held) {
    // The first due of the two: the expiry, or a year after the last 年审.
    std::optional<Date> due;
    std::string reason;
    if (c.expires_on) {
      if (auto d = Date::parse(*c.expires_on)) {
        due = *d;
        reason = "expiry";
      }
    }
    const auto& last = c.reviewed_on ? c.reviewed_on : c.issued_on;
    if (last) {
      if (auto d = Date::parse(*last); d && (!due || d->plus_years(1) < *due)) {
        due = d->plus_years(1);
        reason = "annual_review";
      }
    }
    if (!due || *due > soon) continue;
    out.push_back(Reminder{.certificate = std::move(c),
                           .reason = reason,
                           .due_on = due->to_string(),
                           .level = *due < today ? "red" : "yellow"});
  }
  std::sort(out.begin(), out.end(),
            [](const Reminder& a, const Reminder& b) { return a.due_on < b.due_on; });
  return out;
}

Result<std::vector<RotationDue>> PersonnelService::rotation(const Caller& caller) const {
  XZZF_CHECK(caller.require(Permission::kOfficerRead));
  const Date today = Date::of(clock_.now());
  const std::string since = today.plus_years(-settings_.rotation_years).to_string();
  XZZF_TRY(officers, db_.read([&](Tx& tx) {
    return repo::posted_since(tx, caller.scope.filter("o.department_id", "d.jurisdiction_id"),
                              since);
  }));
  std::vector<RotationDue> out;
  for (auto& o : officers) {
    auto start = Date::parse(o.post->started_on);
    if (!start) continue;
    std::int64_t years = 0;
    while (start->plus_years(static_cast<int>(years) + 1) <= today) ++years;
    out.push_back(RotationDue{.officer = std::move(o), .years = years});
  }
  return out;
}

// ---------------------------------------------------------------- may act

Result<void> PersonnelService::may_act(Tx& tx, std::int64_t officer_id, std::int64_t power_item_id,
                                       std::int64_t department_id, const std::string& date) const {
  XZZF_CHECK(check_date("日期", date));
  XZZF_TRY(o, repo::officer(tx, officer_id));
  if (!o) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", officer_id));
  XZZF_TRY(dept, repo::department(tx, department_id));
  if (!dept) return fail(ErrorCode::kOrgDepartmentNotFound, field("id", department_id));
  if (o->department_id != dept->id) {
    return fail(ErrorCode::kPersonnelOtherDepartment, field("name", o->full_name),
                field("department", dept->name));
  }
  // 条例 第十三条: the department acts only as a subject confirmed and
  // announced by that day (notice 四（二）: 未经确认、公布的，不得开展执法活动).
  XZZF_TRY(subject, repo::subject_acting(tx, dept->id, date));
  if (!subject.first) {
    return tl::unexpected(make_rule_error(
        ErrorCode::kPersonnelSubjectNotActing, kBasisSubject,
        field("name", subject.second.empty() ? dept->name : subject.second), field("date", date)));
  }
  if (o->status != "active") {
    return fail(ErrorCode::kPersonnelInvalid, field("field", "执法人员"),
                field("detail", o->full_name + "已离岗"));
  }
  XZZF_TRY(item, repo::power_item(tx, power_item_id));
  if (!item) return fail(ErrorCode::kPowersNotFound, field("id", power_item_id));
  // Only a power of the department's published list (a version under
  // review keeps the published one in force; a cancelled one is gone).
  if (item->department_id != dept->id || !item->published || item->status == "cancelled") {
    if (item->category == "penalty") {
      return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNotListed, kBasisPenaltyPower,
                                            field("item", item->name),
                                            field("department", dept->name)));
    }
    return fail(ErrorCode::kPersonnelItemNotListed, field("item", item->name),
                field("department", dept->name));
  }
  const std::string& item_sector_code = item->sector;
  // 条例 第二十一条第一款: a valid 行政执法证 of the item's sector and area.
  XZZF_TRY(held, repo::certificates_of(tx, o->id, "enforcement"));
  const Certificate* valid = nullptr;
  std::string why;
  for (const auto& c : held) {
    if (c.status == "valid" && c.issued_on && *c.issued_on <= date && c.expires_on &&
        date <= *c.expires_on) {
      valid = &c;
      break;
    }
    if (c.status == "valid" && c.expires_on && *c.expires_on < date) {
      why = "（证件 " + c.number.value_or("") + " 已于 " + *c.expires_on + " 到期）";
    } else if (c.status == "suspended" || c.status == "withdrawn" || c.status == "revoked" ||
               c.status == "expired") {
      why = "（证件 " + c.number.value_or("") + " " + certificate_status_name(c.status) + "）";
    }
  }
  if (valid == nullptr) {
    return tl::unexpected(make_rule_error(ErrorCode::kPersonnelNoCertificate, kBasisExam,
                                          field("name", o->full_name), field("date", date),
                                          field("detail", why)));
  }
  if (std::find(valid->sectors.begin(), valid->sectors.end(), item_sector_code) ==
      valid->sectors.end()) {
    std::string sector = item_sector_code;
    for (const auto& s : sectors()) {
      if (s.code == item_sector_code) sector = std::string(s.name);
    }
    return tl::unexpected(make_rule_error(
        ErrorCode::kPersonnelCertificateScope, kBasisExam, field("name", o->full_name),
        field("number", valid->number.value_or("")), field("what", "执法类别“" + sector + "”")));
  }
  // 区域: the department's jurisdiction or one above it.
  XZZF_TRY(chain, repo::jurisdiction_chain(tx, dept->jurisdiction_id));
  const bool covered = std::any_of(chain.begin(), chain.end(), [&](std::int64_t j) {
    return std::find(valid->jurisdiction_ids.begin(), valid->jurisdiction_ids.end(), j) !=
           valid->jurisdiction_ids.end();
  });
  if (!covered) {
    return tl::unexpected(make_rule_error(ErrorCode::kPersonnelCertificateScope, kBasisExam,
                                          field("name", o->full_name),
                                          field("number", valid->number.value_or("")),
                                          field("what", "区域“" + dept->jurisdiction_name + "”")));
  }
  return {};
}

Result<void> PersonnelService::may_act(std::int64_t officer_id, std::int64_t power_item_id,
                                       std::int64_t department_id, const std::string& date) const {
  return db_.read(
      [&](Tx& tx) { return may_act(tx, officer_id, power_item_id, department_id, date); });
}

Result<Photo> PersonnelService::public_photo(const std::string& number) const {
  XZZF_TRY(p, public_certificate(number));
  if (!p.has_photo) return fail(ErrorCode::kPersonnelPhotoNotFound);
  return db_.read([&](Tx& tx) -> Result<Photo> {
    XZZF_TRY(stored, repo::photo(tx, p.officer_id));
    if (!stored) return fail(ErrorCode::kPersonnelPhotoNotFound);
    return photo_of(*stored);
  });
}

Result<PublicCertificate> PersonnelService::public_certificate(const std::string& number) const {
  if (number.empty() || length(number) > 40) return invalid("证件编号", "应为 1 至 40 个字符");
  return db_.read([&](Tx& tx) -> Result<PublicCertificate> {
    XZZF_TRY(id, repo::certificate_by_number(tx, number));
    if (!id) return fail(ErrorCode::kPersonnelCertificateNotFound, field("id", number));
    XZZF_TRY(c, repo::certificate(tx, *id));
    XZZF_TRY(o, repo::officer(tx, c->officer_id));
    PublicCertificate p{.number = number,
                        .officer_id = c->officer_id,
                        .has_photo = o && o->has_photo,
                        .kind = c->kind,
                        .full_name = c->officer_name,
                        .department_name = c->department_name,
                        .sectors = c->sectors,
                        .jurisdiction_names = c->jurisdiction_names,
                        .status = c->status,
                        .issued_on = c->issued_on,
                        .expires_on = c->expires_on};
    // A valid certificate past its date shows as expired, whatever the row says.
    if (p.status == "valid" && p.expires_on && *p.expires_on < Date::of(clock_.now()).to_string()) {
      p.status = "expired";
    }
    return p;
  });
}

}  // namespace xzzf::personnel
