#pragma once

// Enforcement qualification (执法资格, DOMAIN.md §4): officers, their posts,
// training, exams and certificates, and the question the case engine asks:
// may this officer act on this power item for this department today?

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"

namespace xzzf::personnel {

// Where the refusals of this module come from.
inline constexpr const char* kBasisEmployment = "《河南省行政执法条例》第二十条";
inline constexpr const char* kBasisExam = "《河南省行政执法条例》第二十一条第一款";
inline constexpr const char* kBasisSubject =
    "《河南省行政执法条例》第十三条；永政办〔2015〕98号 四（二）";
inline constexpr const char* kBasisPenaltyPower = "《中华人民共和国行政处罚法》第十七条";
inline constexpr const char* kBasisAnnualReview = "永政办〔2015〕98号 五（三）";

// 在编 … 临时: officers.employment. Only `established` may hold a certificate.
struct Employment {
  const char* code;
  const char* name;
};
[[nodiscard]] const std::vector<Employment>& employments();
[[nodiscard]] const char* employment_name(const std::string& code);  // nullptr when unknown
// 待审核 … 过期: certificates.status; "" when unknown.
[[nodiscard]] const char* certificate_status_name(const std::string& status);

struct PostSpell {
  std::int64_t post_id = 0;
  std::string post_name;
  bool enforcement = false;  // 执法岗位
  std::string started_on;
  std::optional<std::string> ended_on;
};

struct Officer {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string department_name;
  std::int64_t jurisdiction_id = 0;
  std::string full_name;
  std::string id_number_masked;
  std::string phone_masked;
  std::string employment;
  bool legal_qualification = false;
  std::optional<std::int64_t> user_id;
  std::string status;             // active, left
  std::optional<PostSpell> post;  // the current one
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  bool has_photo = false;
};

struct NewOfficer {
  std::int64_t department_id = 0;
  std::string full_name;
  std::string id_number;
  std::string phone;
  std::string employment;
  bool legal_qualification = false;
  std::optional<std::int64_t> post_id;
  std::string post_started_on;  // default: today
  std::optional<std::int64_t> user_id;
};

struct OfficerQuery {
  std::optional<std::int64_t> department_id;
  std::string q;  // part of the name
  std::string employment;
  PageRequest page;
};

// What a reveal shows: the whole values (audited).
struct Revealed {
  std::string id_number;
  std::string phone;
};

struct Training {
  std::int64_t id = 0;
  std::int64_t officer_id = 0;
  std::string course;
  std::string kind;  // public_law, special_law, other
  std::int64_t hours = 0;
  std::string completed_on;
};

struct ExamSession {
  std::int64_t id = 0;
  std::int64_t jurisdiction_id = 0;
  std::string title;
  std::string held_on;
  std::int64_t pass_line = 0;
  std::string pass_line_basis;  // the rule's norm and article
};

struct ExamResult {
  std::int64_t session_id = 0;
  std::int64_t officer_id = 0;
  std::string officer_name;
  std::optional<std::int64_t> score;
  bool exempted = false;
  bool passed = false;
};

struct Certificate {
  std::int64_t id = 0;
  std::int64_t officer_id = 0;
  std::string officer_name;
  std::int64_t department_id = 0;
  std::string department_name;
  std::string kind;  // enforcement 行政执法证, supervision 行政执法监督证
  std::optional<std::string> number;
  std::vector<std::string> sectors;            // 执法类别
  std::vector<std::int64_t> jurisdiction_ids;  // 区域
  std::vector<std::string> jurisdiction_names;
  std::string status;  // applied, rejected, valid, suspended, withdrawn, revoked, expired
  std::optional<std::string> issued_on;
  std::optional<std::string> expires_on;
  std::optional<std::string> reviewed_on;
};

struct CertificateEvent {
  std::string action;
  std::string from_status;
  std::string to_status;
  std::string reason;
  std::optional<std::int64_t> actor_user_id;
  std::int64_t at_us = 0;
  std::string actor_name;  // the account's display name; "" for none
};

struct CertificateQuery {
  std::optional<std::int64_t> officer_id;
  std::optional<std::int64_t> department_id;
  std::string status;
  PageRequest page;
};

struct Application {
  std::int64_t officer_id = 0;
  std::string kind;
  std::vector<std::string> sectors;
  std::vector<std::int64_t> jurisdiction_ids;
};

// The legal office's answer to an application: the number the province
// issued and the validity, or a rejection with its reason.
struct Review {
  bool approve = false;
  std::string number;
  std::string issued_on;
  std::string expires_on;
  std::string reason;
};

// suspend (暂扣), lift (恢复), withdraw (收回), revoke (取消资格),
// annual_pass and annual_fail (年审; a failed annual assessment suspends it),
// expire. A reason is required for all but annual_pass.
struct CertificateAction {
  std::string action;
  std::string reason;
};

// 换证: a new validity for a certificate that is valid or expired; the number
// stays, and the 年审 count starts again from `issued_on`.
struct Renewal {
  std::string issued_on;
  std::string expires_on;
  std::string reason;
};

// A certificate due for its expiry or its 年审 (the first due of the two):
// yellow from `reminder_days` before, red once overdue.
struct Reminder {
  Certificate certificate;
  std::string reason;  // expiry, annual_review
  std::string due_on;
  std::string level;  // yellow, red
};

// An officer longer in one post than 定期轮岗 allows.
struct RotationDue {
  Officer officer;
  std::int64_t years = 0;  // full years in the current post
};

// Who gives a certificate its number. In Henan the province issues
// certificates (豫政令180号) and a deployment records the number it issued
// (entered at review, or imported); a deployment run at province level issues
// them itself.
enum class NumberIssuer : std::uint8_t { kProvince, kSelf };
// A self-issued number is the prefix and a sequence of this many digits
// (豫00000001), unique across certificates.
inline constexpr int kSelfNumberDigits = 8;

// Settings with no statute behind them (configuration, personnel.*).
struct Settings {
  int reminder_days = 60;    // a reminder turns yellow this many days before
  int rotation_years = 5;    // 定期轮岗: longest stay in one post
  int photo_max_kib = 1024;  // an officer's photo: the largest accepted
  NumberIssuer number_issuer = NumberIssuer::kProvince;
  std::string number_prefix = "豫";  // of self-issued numbers
};

// An officer's photo (JPEG or PNG), for the card and the public check.
struct Photo {
  std::string content_type;  // image/jpeg, image/png
  std::string bytes;
  std::string sha256;  // hex, for ETag
};

// What the portal shows for a certificate number (亮证执法).
struct PublicCertificate {
  std::string number;
  std::int64_t officer_id = 0;  // for the photo; not shown
  bool has_photo = false;
  std::string kind;
  std::string full_name;
  std::string department_name;
  std::vector<std::string> sectors;
  std::vector<std::string> jurisdiction_names;
  std::string status;
  std::optional<std::string> issued_on;
  std::optional<std::string> expires_on;
};

}  // namespace xzzf::personnel
