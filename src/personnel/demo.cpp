#include "personnel/demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "auth/caller.hpp"
#include "personnel/service.hpp"
#include "privacy/mask.hpp"

namespace xzzf::personnel {
namespace {

using storage::Tx;

// The first exam session's title marks the demo as loaded.
constexpr const char* kFirstSessionYear = "2019";
constexpr const char* kSessionTitle = "{}年度行政执法资格考试（演示）";
constexpr const char* kNumberPrefix = "豫演示";

// How each demo officer's qualification ends up.
enum class Fate {
  kValid,           // valid; 年审 passed this year when issued over ten months ago
  kAnnualDue,       // valid, 年审 due within the reminder window (yellow)
  kAnnualOverdue,   // valid, 年审 overdue (red)
  kExpirySoon,      // valid, expiring within the reminder window (yellow)
  kSuspended,       // 暂扣
  kAnnualFail,      // 年审不合格, suspended (notice 五（三）)
  kWithdrawn,       // 收回
  kRevoked,         // 取消资格
  kExpired,         // past its date, 注销
  kApplied,         // waiting for the legal office
  kRejected,        // not approved
  kNoPass,          // failed the exam: no application
  kNotEstablished,  // not 在编: may not apply (条例 第二十条)
  kExempt,          // 法律职业资格: exempted from the exam, valid
};

// The specials, one every other officer; the rest are kValid.
constexpr std::array kSpecials = {
    Fate::kAnnualDue,      Fate::kSuspended,  Fate::kApplied,        Fate::kNotEstablished,
    Fate::kAnnualOverdue,  Fate::kExpirySoon, Fate::kWithdrawn,      Fate::kRejected,
    Fate::kExempt,         Fate::kNoPass,     Fate::kRevoked,        Fate::kExpired,
    Fate::kAnnualDue,      Fate::kAnnualFail, Fate::kNotEstablished, Fate::kApplied,
    Fate::kAnnualOverdue,  Fate::kExpirySoon, Fate::kSuspended,      Fate::kWithdrawn,
    Fate::kNotEstablished, Fate::kRejected,   Fate::kAnnualDue,      Fate::kRevoked,
    Fate::kExpired,        Fate::kNoPass,     Fate::kExempt,         Fate::kApplied,
    Fate::kAnnualOverdue,  Fate::kExpirySoon, Fate::kNotEstablished, Fate::kAnnualDue,
};

// Officers per department (code), enforcement departments first; the legal
// office's three hold 行政执法监督证.
struct Staffing {
  const char* code;
  int officers;
};
constexpr std::array kStaffing = {
    Staffing{"411481-SCJG", 10}, Staffing{"411481-CGJ", 8},    Staffing{"411481-STHJ", 4},
    Staffing{"411481-JTYS", 4},  Staffing{"411481-WGL", 4},    Staffing{"411481-NYNC", 4},
    Staffing{"411481-YJGL", 4},  Staffing{"411481-ZRZY", 4},   Staffing{"411481-ZJ", 4},
    Staffing{"411481-WJW", 4},   Staffing{"411481-JTJ", 4},    Staffing{"411481-SLJ", 4},
    Staffing{"411481101-ZF", 3}, Staffing{"411481001-BSC", 3},
};
constexpr const char* kLegalOffice = "411481-SFJ";
constexpr int kSupervisors = 3;

constexpr std::array<const char*, 30> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
constexpr std::array<const char*, 40> kGivenNames = {
    "建国", "志强", "秀英", "海燕", "军",   "丽",   "伟",   "芳",   "明",   "静",
    "磊",   "洋",   "艳",   "勇",   "杰",   "娟",   "涛",   "超",   "霞",   "平",
    "刚",   "桂英", "文博", "晓东", "红梅", "国华", "永强", "淑珍", "玉兰", "春生",
    "新民", "雪",   "振华", "立新", "卫东", "丹",   "鹏",   "慧",   "宇航", "家豪"};

// A 居民身份证号码 of 永城市 (411481) with a valid check character, born in
// 1900 or 1901 so that it can be nobody's (as the import template's example).
std::string id_number(int k) {
  const std::string body = fmt::format("411481{:04}{:02}{:02}{:03}", 1900 + k % 2, 1 + k % 12,
                                       1 + (k * 3) % 28, 100 + k);
  return body + privacy::id_check_character(body);
}

struct Person {
  std::int64_t department_id = 0;
  std::string department_code;
  std::int64_t jurisdiction_id = 0;
  std::vector<std::string> sectors;
  std::optional<std::int64_t> post_id;
  bool supervisor = false;
  Fate fate = Fate::kValid;
};

struct Departments {
  std::int64_t jurisdiction_id = 0;
  std::vector<std::string> sectors;
  std::optional<std::int64_t> post_id;  // the first enforcement post, else the first
};

Result<Departments> department_facts(Tx& tx, std::int64_t id) {
  Departments d;
  XZZF_TRY(dept, tx.query_one("SELECT jurisdiction_id FROM departments WHERE id = ?", {id}));
  if (dept) d.jurisdiction_id = dept->i64(0);
  XZZF_TRY(sectors, tx.query("SELECT sector FROM department_sectors WHERE department_id = ? "
                             "ORDER BY sector",
                             {id}));
  for (const auto& r : sectors) d.sectors.push_back(r.text(0));
  XZZF_TRY(post, tx.query_one("SELECT id FROM posts WHERE department_id = ? AND status = "
                              "'active' ORDER BY is_enforcement DESC, id LIMIT 1",
                              {id}));
  if (post) d.post_id = post->i64(0);
  return d;
}

}  // namespace

Result<DemoPeople> load_demo(storage::Database& db, const privacy::Sealer& sealer,
                             audit::AuditTrail& audit, const Clock& clock,
                             const std::map<std::string, std::int64_t>& department_ids) {
  DemoPeople out;
  const std::string first_title = fmt::format(kSessionTitle, kFirstSessionYear);
  XZZF_TRY(started, db.read([&](Tx& tx) {
    return tx.query_one("SELECT 1 FROM exam_sessions WHERE title = ?", {first_title});
  }));
  const auto office_it = department_ids.find(kLegalOffice);
  if (office_it == department_ids.end()) return out;

  // Who is where, and what becomes of each.
  std::vector<Person> people;
  auto staffed = db.read([&](Tx& tx) -> Result<void> {
    for (const auto& s : kStaffing) {
      const auto it = department_ids.find(s.code);
      if (it == department_ids.end()) continue;
      XZZF_TRY(facts, department_facts(tx, it->second));
      for (int i = 0; i < s.officers; ++i) {
        people.push_back({.department_id = it->second,
                          .department_code = s.code,
                          .jurisdiction_id = facts.jurisdiction_id,
                          .sectors = facts.sectors,
                          .post_id = facts.post_id});
      }
    }
    XZZF_TRY(facts, department_facts(tx, office_it->second));
    for (int i = 0; i < kSupervisors; ++i) {
      people.push_back({.department_id = office_it->second,
                        .department_code = kLegalOffice,
                        .jurisdiction_id = facts.jurisdiction_id,
                        .sectors = facts.sectors,
                        .post_id = facts.post_id,
                        .supervisor = true});
    }
    return {};
  });
  if (!staffed) return tl::unexpected(staffed.error());
  // Round robin over departments so that every one has some of each fate:
  // the list is by department, the specials every other officer.
  for (std::size_t i = 0; i < kSpecials.size(); ++i) {
    const std::size_t at = 1 + 2 * i;
    if (at < people.size() && !people[at].supervisor) people[at].fate = kSpecials[i];
  }

  // Loaded before: done when every certificate it issues is there; a run
  // that stopped halfway is said so rather than left half-loaded in silence.
  if (started) {
    const auto issued = std::count_if(people.begin(), people.end(), [](const Person& p) {
      return p.fate != Fate::kApplied && p.fate != Fate::kRejected && p.fate != Fate::kNoPass &&
             p.fate != Fate::kNotEstablished;
    });
    XZZF_TRY(count, db.read([&](Tx& tx) {
      return tx.query_one("SELECT COUNT(*) FROM certificates WHERE number LIKE ?",
                          {std::string(kNumberPrefix) + "%"});
    }));
    if (count && count->i64(0) == issued) return out;
    return fail(ErrorCode::kPersonnelInvalid, field("field", "演示执法人员"),
                field("detail", "上次加载未完成，数据不全；请在新的数据库上重新运行 xzzf demo"));
  }
  auth::Caller office;
  office.username = "xzzf-demo";
  office.display_name = "演示数据";
  office.roles = {auth::Role::kLegalOffice};
  office.scope = auth::Scope::all();
  PersonnelService service(db, sealer, audit, clock);
  const Date today = Date::of(clock.now());

  // One exam session a year, held each June, in the county.
  std::vector<ExamSession> sessions;
  for (int year = 2019;; ++year) {
    const std::string held_on = fmt::format("{}-06-20", year);
    if (held_on > today.to_string()) break;
    XZZF_TRY(s, service.create_session(
                    office, ExamSession{.jurisdiction_id = people.front().jurisdiction_id,
                                        .title = fmt::format(kSessionTitle, year),
                                        .held_on = held_on}));
    sessions.push_back(std::move(s));
  }
  // The last session held before `date`.
  auto session_before = [&](const std::string& date) -> const ExamSession& {
    const ExamSession* found = &sessions.front();
    for (const auto& s : sessions) {
      if (s.held_on < date) found = &s;
    }
    return *found;
  };

  int number = 0;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& p = people[i];
    const int k = static_cast<int>(i);
    static constexpr std::array<const char*, 4> kOthers = {"service", "contract", "dispatched",
                                                           "temporary"};
    const bool established = p.fate != Fate::kNotEstablished;
    // 定期轮岗: every seventh officer has been in the same post six years or more.
    const Date posted = k % 7 == 5 ? today.plus_days(-(6 * 365 + 40 * (k % 5)))
                                   : today.plus_days(-(200 + 97 * k % 1100));
    XZZF_TRY(officer,
             service.create_officer(
                 office,
                 NewOfficer{.department_id = p.department_id,
                            .full_name = std::string(kSurnames[i % kSurnames.size()]) +
                                         kGivenNames[(i * 7) % kGivenNames.size()],
                            .id_number = id_number(k),
                            // 商丘's area code; no local number starts with 0.
                            .phone = fmt::format("0370-0{:06}", 1000 + k),
                            .employment = established ? "established" : kOthers[i % kOthers.size()],
                            .legal_qualification = p.fate == Fate::kExempt || p.supervisor,
                            .post_id = p.post_id,
                            .post_started_on = posted.to_string()}));
    ++out.officers;

    // When the certificate was issued, for those that have one; the demo's
    // validity is five years.
    Date issued = today.plus_days(-(200 + (97 * k) % 1200));
    switch (p.fate) {
      case Fate::kAnnualDue:
      case Fate::kAnnualFail:
        issued = today.plus_days(-330);
        break;
      case Fate::kAnnualOverdue:
        issued = today.plus_days(-400 - k);
        break;
      case Fate::kExpirySoon:
        issued = today.plus_days(40).plus_years(-5);
        break;
      case Fate::kExpired:
        issued = today.plus_days(-100 - k).plus_years(-5);
        break;
      default:
        break;
    }
    const bool pending = p.fate == Fate::kApplied || p.fate == Fate::kRejected ||
                         p.fate == Fate::kNoPass || p.fate == Fate::kNotEstablished;
    const ExamSession& exam =
        session_before(pending ? today.to_string() : issued.plus_days(-30).to_string());
    const Date trained = Date::parse(exam.held_on)->plus_days(-45);
    XZZF_CHECK(service.add_training(office, Training{.officer_id = officer.id,
                                                     .course = "公共法律知识培训",
                                                     .kind = "public_law",
                                                     .hours = 24,
                                                     .completed_on = trained.to_string()}));
    XZZF_CHECK(service.add_training(office, Training{.officer_id = officer.id,
                                                     .course = "专业法律知识培训",
                                                     .kind = "special_law",
                                                     .hours = 16,
                                                     .completed_on = trained.to_string()}));
    if (p.fate == Fate::kNotEstablished) continue;
    const bool exempt = p.fate == Fate::kExempt || p.supervisor;
    XZZF_CHECK(service.record_result(
        office, exam.id, officer.id,
        exempt ? std::nullopt
               : std::optional<std::int64_t>(p.fate == Fate::kNoPass ? 48 + k % 10
                                                                     : 66 + (k * 13) % 30),
        exempt));
    if (p.fate == Fate::kNoPass) continue;

    XZZF_TRY(cert,
             service.apply(office, Application{.officer_id = officer.id,
                                               .kind = p.supervisor ? "supervision" : "enforcement",
                                               .sectors = p.sectors,
                                               .jurisdiction_ids = {p.jurisdiction_id}}));
    ++out.certificates;
    if (p.fate == Fate::kApplied) continue;
    if (p.fate == Fate::kRejected) {
      XZZF_CHECK(service.review(
          office, cert.id,
          Review{.approve = false, .reason = "培训证明材料不全，请补正后重新申请（演示）"}));
      continue;
    }
    XZZF_CHECK(service.review(office, cert.id,
                              Review{.approve = true,
                                     .number = fmt::format("{}{:06}", kNumberPrefix, ++number),
                                     .issued_on = issued.to_string(),
                                     .expires_on = issued.plus_years(5).to_string()}));
    auto act = [&](const char* action, const char* reason) -> Result<void> {
      XZZF_CHECK(
          service.act(office, cert.id, CertificateAction{.action = action, .reason = reason}));
      return {};
    };
    // A certificate over ten months old has passed its 年审 this year.
    const bool reviewed = issued < today.plus_days(-300);
    switch (p.fate) {
      case Fate::kValid:
      case Fate::kExempt:
      case Fate::kExpirySoon:
        if (reviewed) XZZF_CHECK(act("annual_pass", ""));
        break;
      case Fate::kSuspended:
        XZZF_CHECK(act("suspend", "涉嫌违法违纪，正在调查处理（演示）"));
        break;
      case Fate::kAnnualFail:
        XZZF_CHECK(act("annual_fail", "年度考核不称职（演示）"));
        break;
      case Fate::kWithdrawn:
        XZZF_CHECK(act("withdraw", "调离行政执法岗位（演示）"));
        break;
      case Fate::kRevoked:
        XZZF_CHECK(act("revoke", "违法实施行政处罚，依法取消执法资格（演示）"));
        break;
      case Fate::kExpired:
        XZZF_CHECK(act("expire", "有效期届满（演示）"));
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace xzzf::personnel
