#include "personnel/routes.hpp"

#include <nlohmann/json.hpp>

#include "core/sectors.hpp"
#include "documents/qr.hpp"
#include "http/json.hpp"
#include "http/params.hpp"
#include "personnel/sheet.hpp"
#include "sheets/writer.hpp"

namespace xzzf::personnel {
namespace {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;
using ServicePtr = std::shared_ptr<const PersonnelService>;

const char* kind_name(const std::string& kind) {
  return kind == "supervision" ? "行政执法监督证" : "行政执法证";
}

json sector_names(const std::vector<std::string>& codes) {
  json out = json::array();
  for (const auto& c : codes) {
    std::string name = c;
    for (const auto& s : sectors()) {
      if (s.code == c) name = std::string(s.name);
    }
    out.push_back(name);
  }
  return out;
}

// The route's own cap on a photo's body; the service applies the configured one.
constexpr std::int64_t kPhotoBodyLimit = 8 * 1024 * 1024;

Response image(Photo p, const char* cache) {
  Response r = Response::text(200, p.content_type, std::move(p.bytes));
  r.headers.emplace_back("Cache-Control", cache);
  r.headers.emplace_back("ETag", "\"" + p.sha256 + "\"");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// Where a QR code leads: the portal's check page of the number, under
// portal.public_url, or else the address this request came to.
std::string check_url(const Request& req, const std::string& public_url,
                      const std::string& number) {
  std::string base = public_url;
  if (base.empty()) {
    const auto host = req.header("host");
    const auto proto = req.header("x-forwarded-proto");
    if (host)
      base =
          std::string(proto && *proto == "https" ? "https" : "http") + "://" + std::string(*host);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/certificates/" + http::percent_encode(number);
}

json to_json(const PostSpell& p) {
  return {{"post_id", p.post_id},
          {"post_name", p.post_name},
          {"enforcement", p.enforcement},
          {"started_on", p.started_on},
          {"ended_on", http::or_null(p.ended_on)}};
}

json to_json(const Officer& o) {
  const char* employment = employment_name(o.employment);
  return {{"id", o.id},
          {"department_id", o.department_id},
          {"department_name", o.department_name},
          {"full_name", o.full_name},
          {"id_number", o.id_number_masked},
          {"phone", o.phone_masked},
          {"employment", o.employment},
          {"employment_name", employment != nullptr ? employment : ""},
          {"legal_qualification", o.legal_qualification},
          {"user_id", http::or_null(o.user_id)},
          {"status", o.status},
          {"post", o.post ? to_json(*o.post) : json(nullptr)},
          {"has_photo", o.has_photo},
          {"created_at", format_shanghai_iso8601(Instant{o.created_at_us})},
          {"updated_at", format_shanghai_iso8601(Instant{o.updated_at_us})}};
}

json to_json(const Training& t) {
  return {{"id", t.id},     {"officer_id", t.officer_id}, {"course", t.course},
          {"kind", t.kind}, {"hours", t.hours},           {"completed_on", t.completed_on}};
}

json to_json(const ExamSession& s) {
  return {{"id", s.id},
          {"jurisdiction_id", s.jurisdiction_id},
          {"title", s.title},
          {"held_on", s.held_on},
          {"pass_line", s.pass_line},
          {"pass_line_basis", s.pass_line_basis}};
}

json to_json(const ExamResult& r) {
  return {{"session_id", r.session_id},     {"officer_id", r.officer_id},
          {"officer_name", r.officer_name}, {"score", http::or_null(r.score)},
          {"exempted", r.exempted},         {"passed", r.passed}};
}

json to_json(const Certificate& c) {
  return {{"id", c.id},
          {"officer_id", c.officer_id},
          {"officer_name", c.officer_name},
          {"department_id", c.department_id},
          {"department_name", c.department_name},
          {"kind", c.kind},
          {"kind_name", kind_name(c.kind)},
          {"number", http::or_null(c.number)},
          {"sectors", c.sectors},
          {"sector_names", sector_names(c.sectors)},
          {"jurisdiction_ids", c.jurisdiction_ids},
          {"jurisdiction_names", c.jurisdiction_names},
          {"status", c.status},
          {"status_name", certificate_status_name(c.status)},
          {"issued_on", http::or_null(c.issued_on)},
          {"expires_on", http::or_null(c.expires_on)},
          {"reviewed_on", http::or_null(c.reviewed_on)}};
}

Result<json> body_of(const Request& req) {
  return http::parse_json_object(req.body);
}

void register_reminder_routes(http::Router& router, const auth::Guard& guard,
                              const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/certificates/reminders",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request&, const Caller& c) -> Result<Response> {
                    XZZF_TRY(list, svc->reminders(c));
                    json items = json::array();
                    for (const auto& r : list) {
                      json item = to_json(r.certificate);
                      item["reason"] = r.reason;
                      item["reason_name"] = r.reason == "expiry" ? "有效期届满" : "年审";
                      item["due_on"] = r.due_on;
                      item["level"] = r.level;
                      items.push_back(std::move(item));
                    }
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "Certificates due for 年审 or expiry: yellow soon, red overdue"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/rotation-due",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request&, const Caller& c) -> Result<Response> {
                    XZZF_TRY(list, svc->rotation(c));
                    json items = json::array();
                    for (const auto& r : list) {
                      json item = to_json(r.officer);
                      item["years_in_post"] = r.years;
                      items.push_back(std::move(item));
                    }
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "Officers longer in one post than 定期轮岗 allows"});
}

void register_officer_routes(http::Router& router, const auth::Guard& guard,
                             const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    OfficerQuery q;
                    XZZF_TRY(dept, http::query_id(req, "department_id"));
                    q.department_id = dept;
                    q.q = std::string(req.query_param("q").value_or(""));
                    q.employment = std::string(req.query_param("employment").value_or(""));
                    XZZF_TRY(p, http::page_request(req));
                    q.page = p;
                    XZZF_TRY(page, svc->officers(c, q));
                    json items = json::array();
                    for (const auto& o : page.items) items.push_back(to_json(o));
                    return Response::json(200, {{"items", items}, {"total", page.total}});
                  }),
              .summary = "Officers (执法人员) in scope, personal data masked"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/officers",
              .handler = guard.require(Permission::kOfficerManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, body_of(req));
                                         http::ObjectReader r(body);
                                         NewOfficer cmd;
                                         XZZF_TRY(dept, r.integer("department_id"));
                                         XZZF_TRY(name, r.string("full_name"));
                                         XZZF_TRY(id_number, r.string("id_number"));
                                         XZZF_TRY(phone, r.optional_string("phone"));
                                         XZZF_TRY(employment, r.string("employment"));
                                         XZZF_TRY(qualified,
                                                  r.optional_boolean("legal_qualification"));
                                         XZZF_TRY(post, r.optional_integer("post_id"));
                                         XZZF_TRY(started, r.optional_string("post_started_on"));
                                         XZZF_TRY(user, r.optional_integer("user_id"));
                                         XZZF_CHECK(r.finish());
                                         cmd.department_id = dept;
                                         cmd.full_name = name;
                                         cmd.id_number = id_number;
                                         cmd.phone = phone.value_or("");
                                         cmd.employment = employment;
                                         cmd.legal_qualification = qualified.value_or(false);
                                         cmd.post_id = post;
                                         cmd.post_started_on = started.value_or("");
                                         cmd.user_id = user;
                                         XZZF_TRY(o, svc->create_officer(c, cmd));
                                         return Response::json(201, to_json(o));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Enter an officer (ID number and phone sealed at rest)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}",
              .handler = guard.require(Permission::kOfficerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(o, svc->officer(c, id));
                                         XZZF_TRY(posts, svc->posts(c, id));
                                         json out = to_json(o);
                                         out["posts"] = json::array();
                                         for (const auto& p : posts)
                                           out["posts"].push_back(to_json(p));
                                         return Response::json(200, out);
                                       }),
              .summary = "One officer, masked, with the post history"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/officers/{id}/photo",
              .handler = guard.require(Permission::kOfficerManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(bytes, http::upload_contents(req, "图片文件"));
                                         XZZF_TRY(o, svc->set_photo(c, id, bytes));
                                         return Response::json(200, to_json(o));
                                       }),
              .body = http::BodyKind::kUpload,
              .body_limit = kPhotoBodyLimit,
              .summary = "Set the officer's photo: the body is the JPEG or PNG itself"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/photo",
              .handler = guard.require(Permission::kOfficerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(p, svc->photo(c, id));
                                         return image(std::move(p), "private, no-cache");
                                       }),
              .summary = "The officer's photo"});
  router.add(
      {.method = Method::kPost,
       .pattern = "/api/v1/officers/{id}/reveal",
       .handler = guard.require(
           Permission::kOfficerReveal,
           [svc](Request& req, const Caller& c) -> Result<Response> {
             XZZF_TRY(id, http::path_id(req, "id"));
             XZZF_TRY(body, body_of(req));
             XZZF_CHECK(http::ObjectReader(body).finish());
             XZZF_TRY(v, svc->reveal(c, id));
             Response res = Response::json(200, {{"id_number", v.id_number}, {"phone", v.phone}});
             return res;
           }),
       .body = http::BodyKind::kJson,
       .summary = "The whole ID number and phone of one officer (officer.reveal, audited)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/posts",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(posts, svc->posts(c, id));
                    json items = json::array();
                    for (const auto& p : posts) items.push_back(to_json(p));
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "The officer's post history, newest first"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/officers/{id}/posts",
              .handler = guard.require(Permission::kOfficerManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, body_of(req));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(post, r.integer("post_id"));
                                         XZZF_TRY(started, r.string("started_on"));
                                         XZZF_CHECK(r.finish());
                                         XZZF_TRY(o, svc->assign_post(c, id, post, started));
                                         return Response::json(200, to_json(o));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Move an officer to a post (the post history, for 定期轮岗)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/trainings",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(list, svc->trainings(c, id));
                    json items = json::array();
                    for (const auto& t : list) items.push_back(to_json(t));
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "An officer's training records"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/officers/{id}/trainings",
              .handler = guard.require(Permission::kOfficerManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, body_of(req));
                                         http::ObjectReader r(body);
                                         Training t;
                                         t.officer_id = id;
                                         XZZF_TRY(course, r.string("course"));
                                         XZZF_TRY(kind, r.string("kind"));
                                         XZZF_TRY(hours, r.integer("hours"));
                                         XZZF_TRY(done, r.string("completed_on"));
                                         XZZF_CHECK(r.finish());
                                         t.course = course;
                                         t.kind = kind;
                                         t.hours = hours;
                                         t.completed_on = done;
                                         XZZF_TRY(saved, svc->add_training(c, t));
                                         return Response::json(201, to_json(saved));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Record a training (public law, special law, other)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/exams",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(list, svc->results(c, id));
                    json items = json::array();
                    for (const auto& x : list) items.push_back(to_json(x));
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "An officer's exam results"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/certificates",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(o, svc->officer(c, id));
                    XZZF_TRY(p, http::page_request(req));
                    XZZF_TRY(page,
                             svc->certificates(c, CertificateQuery{.officer_id = o.id, .page = p}));
                    json items = json::array();
                    for (const auto& x : page.items) items.push_back(to_json(x));
                    return Response::json(200, {{"items", items}, {"total", page.total}});
                  }),
              .summary = "An officer's certificates and applications, newest first"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/{id}/may-act",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(o, svc->officer(c, id));
                    XZZF_TRY(item, http::query_id(req, "power_item_id"));
                    XZZF_TRY(dept, http::query_id(req, "department_id"));
                    const std::string date(req.query_param("date").value_or(""));
                    if (!item || date.empty()) {
                      return fail(ErrorCode::kQueryInvalid, field("name", "power_item_id, date"),
                                  field("detail", "必填"));
                    }
                    auto ok = svc->may_act(o.id, *item, dept.value_or(o.department_id), date);
                    if (ok) return Response::json(200, {{"may_act", true}});
                    // The refusal is the answer, with its code, message and basis.
                    if (ok.error().kind() != ErrorKind::kRuleRefused)
                      return tl::unexpected(ok.error());
                    return Response::json(200, {{"may_act", false},
                                                {"code", std::string(ok.error().code_string())},
                                                {"message", ok.error().message},
                                                {"basis", http::or_null(ok.error().basis)}});
                  }),
              .summary = "May the officer act on a power item for a department on a date?"});
}

void register_exam_routes(http::Router& router, const auth::Guard& guard, const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/exam-sessions",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request&, const Caller& c) -> Result<Response> {
                    XZZF_TRY(list, svc->sessions(c));
                    json items = json::array();
                    for (const auto& s : list) items.push_back(to_json(s));
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "Exam sessions with their pass lines"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/exam-sessions",
              .handler = guard.require(Permission::kCertificateReview,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, body_of(req));
                                         http::ObjectReader r(body);
                                         ExamSession s;
                                         XZZF_TRY(j, r.integer("jurisdiction_id"));
                                         XZZF_TRY(title, r.string("title"));
                                         XZZF_TRY(held, r.string("held_on"));
                                         XZZF_CHECK(r.finish());
                                         s.jurisdiction_id = j;
                                         s.title = title;
                                         s.held_on = held;
                                         XZZF_TRY(made, svc->create_session(c, s));
                                         return Response::json(201, to_json(made));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "An exam session; its pass line comes from the rule set"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/exam-sessions/{id}/results",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(list, svc->session_results(c, id));
                    json items = json::array();
                    for (const auto& x : list) items.push_back(to_json(x));
                    return Response::json(200, {{"items", items}, {"total", items.size()}});
                  }),
              .summary = "A session's results of the officers in scope"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/exam-sessions/{id}/results",
              .handler = guard.require(Permission::kCertificateReview,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, body_of(req));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(officer, r.integer("officer_id"));
                                         XZZF_TRY(score, r.optional_integer("score"));
                                         XZZF_TRY(exempted, r.optional_boolean("exempted"));
                                         XZZF_CHECK(r.finish());
                                         XZZF_TRY(x, svc->record_result(c, id, officer, score,
                                                                        exempted.value_or(false)));
                                         return Response::json(200, to_json(x));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Record an officer's score, or an exemption (法律职业资格)"});
}

void register_certificate_routes(http::Router& router, const auth::Guard& guard,
                                 const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/certificates",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    CertificateQuery q;
                    XZZF_TRY(officer, http::query_id(req, "officer_id"));
                    XZZF_TRY(department, http::query_id(req, "department_id"));
                    XZZF_TRY(p, http::page_request(req));
                    q.officer_id = officer;
                    q.department_id = department;
                    q.status = std::string(req.query_param("status").value_or(""));
                    q.page = p;
                    XZZF_TRY(page, svc->certificates(c, q));
                    json items = json::array();
                    for (const auto& x : page.items) items.push_back(to_json(x));
                    return Response::json(200, {{"items", items}, {"total", page.total}});
                  }),
              .summary = "Certificates and applications in scope"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/certificate-applications",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    CertificateQuery q;
                    XZZF_TRY(department, http::query_id(req, "department_id"));
                    XZZF_TRY(p, http::page_request(req));
                    q.department_id = department;
                    q.status = std::string(req.query_param("status").value_or("applied"));
                    if (q.status != "applied" && q.status != "rejected") {
                      return fail(ErrorCode::kQueryInvalid, field("name", "status"),
                                  field("detail", "应为 applied（待审核）或 rejected（未通过）"));
                    }
                    q.page = p;
                    XZZF_TRY(page, svc->certificates(c, q));
                    json items = json::array();
                    for (const auto& x : page.items) items.push_back(to_json(x));
                    return Response::json(200, {{"items", items}, {"total", page.total}});
                  }),
              .summary = "Applications waiting for review (or rejected), in scope"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/certificate-applications",
              .handler = guard.require(
                  Permission::kOfficerManage,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(body, body_of(req));
                    XZZF_TRY(sectors, http::take_strings(body, "sectors"));
                    XZZF_TRY(areas, http::take_ids(body, "jurisdiction_ids"));
                    http::ObjectReader r(body);
                    XZZF_TRY(officer, r.integer("officer_id"));
                    XZZF_TRY(kind, r.string("kind"));
                    XZZF_CHECK(r.finish());
                    XZZF_TRY(made, svc->apply(c, Application{.officer_id = officer,
                                                             .kind = kind,
                                                             .sectors = sectors,
                                                             .jurisdiction_ids = areas}));
                    return Response::json(201, to_json(made));
                  }),
              .body = http::BodyKind::kJson,
              .summary = "Apply for an officer's certificate (the department)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/certificates/{id}",
              .handler = guard.require(Permission::kOfficerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(x, svc->certificate(c, id));
                                         json out = to_json(x);
                                         // Without the right to see them, no history at all.
                                         if (!c.has(Permission::kOfficerManage) &&
                                             !c.has(Permission::kCertificateReview)) {
                                           return Response::json(200, out);
                                         }
                                         XZZF_TRY(events, svc->certificate_events(c, id));
                                         out["events"] = json::array();
                                         for (const auto& e : events) {
                                           out["events"].push_back(
                                               {{"action", e.action},
                                                {"from_status", e.from_status},
                                                {"to_status", e.to_status},
                                                {"reason", e.reason},
                                                {"actor_user_id", http::or_null(e.actor_user_id)},
                                                {"actor_name", e.actor_name},
                                                {"at", format_shanghai_iso8601(Instant{e.at_us})}});
                                         }
                                         return Response::json(200, out);
                                       }),
              .summary = "One certificate with every change and its reason"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/certificate-applications/{id}/review",
              .handler = guard.require(
                  Permission::kCertificateReview,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, http::path_id(req, "id"));
                    XZZF_TRY(body, body_of(req));
                    http::ObjectReader r(body);
                    XZZF_TRY(approve, r.boolean("approve"));
                    XZZF_TRY(number, r.optional_string("number"));
                    XZZF_TRY(issued, r.optional_string("issued_on"));
                    XZZF_TRY(expires, r.optional_string("expires_on"));
                    XZZF_TRY(reason, r.optional_string("reason"));
                    XZZF_CHECK(r.finish());
                    XZZF_TRY(x,
                             svc->review(c, id,
                                         Review{approve, number.value_or(""), issued.value_or(""),
                                                expires.value_or(""), reason.value_or("")}));
                    return Response::json(200, to_json(x));
                  }),
              .body = http::BodyKind::kJson,
              .summary = "Record the number the province issued, or reject (legal office)"});
  // Actions on an issued certificate, by its number (API.md).
  struct Named {
    const char* path;
    const char* action;  // PersonnelService::act's name
  };
  for (const auto& [path, action] :
       {Named{"suspend", "suspend"}, Named{"reinstate", "lift"}, Named{"withdraw", "withdraw"},
        Named{"revoke", "revoke"}, Named{"expire", "expire"}}) {
    const std::string name(action);
    router.add({.method = Method::kPost,
                .pattern = std::string("/api/v1/certificates/{number}/") + path,
                .handler = guard.require(
                    Permission::kCertificateReview,
                    [svc, name](Request& req, const Caller& c) -> Result<Response> {
                      XZZF_TRY(id, svc->certificate_id(c, std::string(req.path_param("number"))));
                      XZZF_TRY(body, body_of(req));
                      http::ObjectReader r(body);
                      XZZF_TRY(reason, r.optional_string("reason"));
                      XZZF_CHECK(r.finish());
                      XZZF_TRY(x, svc->act(c, id, CertificateAction{name, reason.value_or("")}));
                      return Response::json(200, to_json(x));
                    }),
                .body = http::BodyKind::kJson,
                .summary = std::string("Certificate action: ") + path + " (reason on the record)"});
  }
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/certificates/{number}/annual-review",
              .handler = guard.require(
                  Permission::kCertificateReview,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, svc->certificate_id(c, std::string(req.path_param("number"))));
                    XZZF_TRY(body, body_of(req));
                    http::ObjectReader r(body);
                    XZZF_TRY(passed, r.boolean("passed"));
                    XZZF_TRY(reason, r.optional_string("reason"));
                    XZZF_CHECK(r.finish());
                    XZZF_TRY(x, svc->act(c, id,
                                         CertificateAction{passed ? "annual_pass" : "annual_fail",
                                                           reason.value_or("")}));
                    return Response::json(200, to_json(x));
                  }),
              .body = http::BodyKind::kJson,
              .summary = "年审: passed, or failed and suspended (notice 五（三）)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/certificates/{number}/renew",
              .handler = guard.require(
                  Permission::kCertificateReview,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(id, svc->certificate_id(c, std::string(req.path_param("number"))));
                    XZZF_TRY(body, body_of(req));
                    http::ObjectReader r(body);
                    XZZF_TRY(issued, r.string("issued_on"));
                    XZZF_TRY(expires, r.string("expires_on"));
                    XZZF_TRY(reason, r.optional_string("reason"));
                    XZZF_CHECK(r.finish());
                    XZZF_TRY(x, svc->renew(c, id,
                                           Renewal{.issued_on = issued,
                                                   .expires_on = expires,
                                                   .reason = reason.value_or("")}));
                    return Response::json(200, to_json(x));
                  }),
              .body = http::BodyKind::kJson,
              .summary = "换证: a new validity for a valid or expired certificate"});
}

// What an import answers: 200 with the count, or 400 with the row report
// (nothing imported), as the power lists' import does.
Response import_answer(const ImportReport& report) {
  if (report.issues.empty()) {
    return Response::json(200, {{"imported", report.imported}, {"report", json::array()}});
  }
  json issues = json::array();
  for (const auto& i : report.issues) {
    issues.push_back({{"row", i.row}, {"column", i.column}, {"message", i.message}});
  }
  const Error e =
      make_error(ErrorCode::kPersonnelImportInvalid, field("count", report.issues.size()));
  return Response::json(400, {{"error", {{"code", e.code_string()}, {"message", e.message}}},
                              {"imported", 0},
                              {"report", issues}});
}

// Bulk entry from spreadsheets: officers (the department) and the numbers the
// province issued (the legal office), each with its template. Registered
// first: /officers/import-template must not be taken for /officers/{id}.
void register_import_routes(http::Router& router, const auth::Guard& guard, const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/officers/import-template",
              .handler = guard.require(
                  Permission::kOfficerRead,
                  [](Request&, const Caller&) -> Result<Response> {
                    XZZF_TRY(bytes,
                             sheets::xlsx_bytes("执法人员", officer_template(), officer_example()));
                    return http::xlsx_attachment(std::move(bytes), "officers-template.xlsx",
                                                 "执法人员导入模板.xlsx");
                  }),
              .summary = "The officers' import template (.xlsx, with one made-up example row)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/officers/import",
              .handler = guard.require(Permission::kOfficerManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(department, http::query_id(req, "department_id"));
                                         // The caller's own department only for a
                                         // department's account: a city-wide one names it.
                                         const auto id =
                                             department ? department
                                             : c.scope.kind() == auth::Scope::Kind::kDepartment
                                                 ? c.department_id
                                                 : std::nullopt;
                                         if (!id) {
                                           return fail(ErrorCode::kQueryInvalid,
                                                       field("name", "department_id"),
                                                       field("detail", "须指明部门"));
                                         }
                                         XZZF_TRY(bytes, http::upload_contents(req, " .xlsx 文件"));
                                         XZZF_TRY(report, svc->import_officers(c, *id, bytes));
                                         return import_answer(report);
                                       }),
              .body = http::BodyKind::kUpload,
              .body_limit = 16 * 1024 * 1024,
              .summary = "Enter officers from a spreadsheet: all rows or none, with a row report"});
  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/certificates/import-numbers-template",
       .handler = guard.require(
           Permission::kOfficerRead,
           [](Request&, const Caller&) -> Result<Response> {
             XZZF_TRY(bytes, sheets::xlsx_bytes("证件编号", number_template(), number_example()));
             return http::xlsx_attachment(std::move(bytes), "certificate-numbers-template.xlsx",
                                          "证件编号导入模板.xlsx");
           }),
       .summary = "The template for the numbers the province issued (.xlsx, one example)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/certificates/import-numbers",
              .handler = guard.require(Permission::kCertificateReview,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(bytes, http::upload_contents(req, " .xlsx 文件"));
                                         XZZF_TRY(report, svc->import_numbers(c, bytes));
                                         return import_answer(report);
                                       }),
              .body = http::BodyKind::kUpload,
              .body_limit = 16 * 1024 * 1024,
              .summary = "Issue applications with the numbers the province issued, from a "
                         "spreadsheet: all rows or none, with a row report"});
}

}  // namespace

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const PersonnelService> service) {
  register_import_routes(router, guard, service);
  register_reminder_routes(router, guard, service);
  register_officer_routes(router, guard, service);
  register_exam_routes(router, guard, service);
  register_certificate_routes(router, guard, service);
}

void register_public_routes(http::Router& router,
                            const std::shared_ptr<const PersonnelService>& service,
                            std::string public_url) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/certificates/{number}",
              .handler = [svc = service](Request& req) -> Result<Response> {
                const std::string number(req.path_param("number"));
                XZZF_TRY(p, svc->public_certificate(number));
                return Response::json(200, {{"number", p.number},
                                            {"has_photo", p.has_photo},
                                            {"kind", p.kind},
                                            {"kind_name", kind_name(p.kind)},
                                            {"full_name", p.full_name},
                                            {"department_name", p.department_name},
                                            {"sectors", sector_names(p.sectors)},
                                            {"jurisdictions", p.jurisdiction_names},
                                            {"status", p.status},
                                            {"status_name", certificate_status_name(p.status)},
                                            {"issued_on", http::or_null(p.issued_on)},
                                            {"expires_on", http::or_null(p.expires_on)}});
              },
              .summary = "The public certificate check (亮证执法), no login"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/certificates/{number}/photo",
              .handler = [svc = service](Request& req) -> Result<Response> {
                XZZF_TRY(p, svc->public_photo(std::string(req.path_param("number"))));
                return image(std::move(p), "public, max-age=300");
              },
              .summary = "The photo of a certificate's holder, no login"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/certificates/{number}/qr.svg",
              .handler = [svc = service, public_url](Request& req) -> Result<Response> {
                const std::string number(req.path_param("number"));
                // Only for a number that exists: not a QR code maker for anything.
                XZZF_TRY(p, svc->public_certificate(number));
                XZZF_TRY(svg, documents::qr_svg(check_url(req, public_url, p.number)));
                Response r = Response::text(200, "image/svg+xml", std::move(svg));
                if (public_url.empty()) {
                  // Built from this request's headers: no shared cache may keep it.
                  r.headers.emplace_back("Cache-Control", "private, max-age=3600");
                  r.headers.emplace_back("Vary", "Host, X-Forwarded-Proto");
                } else {
                  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
                }
                return r;
              },
              .summary = "A QR code leading to the portal's check of the certificate"});
}

}  // namespace xzzf::personnel
