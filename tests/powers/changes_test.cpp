// Changes to published power items on both databases: cancel (取消), delegate
// (下放) and transfer (转移) through the review, the decisions behind them, the
// portal's search, the legal office's progress board, a department merge, and
// the revision flag after the library amends or repeals a cited law.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "library/service.hpp"
#include "org_fixture.hpp"
#include "powers/authorizations.hpp"
#include "powers/service.hpp"
#include "search/normalize.hpp"

namespace xzzf::powers {
namespace {

namespace fs = std::filesystem;
using auth::Role;
using auth::Scope;
using storage::Tx;

library::ParsedNorm law(const std::string& file) {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  std::ifstream in(fs::path(src != nullptr ? src : ".") / "laws" / fs::u8path(file),
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto parsed = library::parse_norm_text(s.str());
  EXPECT_TRUE(parsed) << file;
  return parsed.value_or(library::ParsedNorm{});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// What an entrust refusal says is missing: "委托书未载明{missing}：…".
std::string missing(const std::string& message) {
  const std::string from = "未载明";
  const auto at = message.find(from);
  if (at == std::string::npos) return "";
  const auto end = message.find("：", at);
  return message.substr(at + from.size(), end == std::string::npos ? end : end - at - from.size());
}

std::vector<std::int64_t> ids_of(const Page<Item>& page) {
  std::vector<std::int64_t> ids;
  for (const auto& i : page.items) ids.push_back(i.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::int64_t> ids_of(const Page<PublicItem>& page) {
  std::vector<std::int64_t> ids;
  for (const auto& i : page.items) ids.push_back(i.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

class PowerChangesTest : public org::testing::OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    library_ = std::make_unique<library::LibraryService>(*db_, clock_);
    powers_ = std::make_unique<PowerService>(*db_, clock_);
    decisions_ = std::make_unique<AuthorizationService>(*db_, clock_);
    food_ = import("national/食品安全法(2021-04-29).md", "2021-04-29");
    farm_ = import("national/农产品质量安全法(2018-10-26).md", "2018-10-26");
    city_ = import("national/城市市容和环境卫生管理条例(2017-03-01).md", "2017-03-01");
    yongcheng_ = jurisdiction("411481", "永城市", "county", std::nullopt);
    market_ = department("411481-SCJG", "永城市市场监督管理局", yongcheng_, {"market"});
    urban_ = department("411481-CGJ", "永城市城市管理局", yongcheng_, {"urban"});
  }
  void TearDown() override {
    decisions_.reset();
    powers_.reset();
    library_.reset();
    OrgTest::TearDown();
  }

  std::int64_t import(const std::string& file, const std::string& date) {
    auto r = library_->import_text(
        law(file), {.region_code = "000000", .version_date = date, .source = "laws/"},
        std::nullopt);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->norm_id : 0;
  }

  // A department administrator of `department` in `jurisdiction`.
  auth::Caller admin(std::int64_t department, std::optional<std::int64_t> jurisdiction = {}) {
    const auto j = jurisdiction.value_or(yongcheng_);
    auto c = caller(Role::kDeptAdmin, Scope::department(department, j), 11);
    c.department_id = department;
    c.jurisdiction_id = j;
    return c;
  }
  // The legal office (power.review, library.manage) of the deployment.
  static auth::Caller office() { return root(); }

  Content food_penalty() {
    return Content{.name = "对生产经营不符合食品安全标准的食品的行政处罚",
                   .category = "penalty",
                   .sector = "market",
                   .scope = "食品生产经营者",
                   .bases = {Basis{.norm_id = food_, .article = 124, .paragraph = 1}},
                   .responsibility = "立案、调查、决定、执行",
                   .time_limit = "自立案之日起九十日内作出决定",
                   .liabilities = {"不依法履行职责的", "滥用职权的"},
                   .effective_from = "2022-01-01"};
  }
  Content food(const std::string& name, const std::string& category, int article,
               int paragraph = 0) {
    Content c = food_penalty();
    c.name = name;
    c.category = category;
    c.bases = {Basis{.norm_id = food_, .article = article, .paragraph = paragraph}};
    return c;
  }

  std::int64_t draft(std::int64_t department, const Content& c, const std::string& code = "") {
    auto it = powers_->create(admin(department), department, code, c);
    EXPECT_TRUE(it) << it.error().message;
    return it ? it->id : 0;
  }
  // Submitted by the department, approved and published by the legal office.
  Item publish(std::int64_t id, std::optional<std::int64_t> jurisdiction = {}) {
    auto current = powers_->item(office(), id);
    EXPECT_TRUE(current);
    if (!current) return {};
    auto submitted =
        powers_->transition(admin(current->department_id, jurisdiction), id, "submit", "");
    EXPECT_TRUE(submitted) << submitted.error().message;
    auto approved = powers_->transition(office(), id, "approve", "同意");
    EXPECT_TRUE(approved) << approved.error().message;
    auto published = powers_->transition(office(), id, "publish", "");
    EXPECT_TRUE(published) << published.error().message;
    EXPECT_EQ(published ? published->status : "", "published");
    return published.value_or(Item{});
  }
  std::int64_t published(std::int64_t department, const Content& c) {
    return publish(draft(department, c)).id;
  }

  Item item(std::int64_t id) {
    auto it = powers_->item(office(), id);
    EXPECT_TRUE(it) << it.error().message;
    return it.value_or(Item{});
  }

  std::int64_t entries(const std::string& subject_type, const std::string& action,
                       std::int64_t id) {
    auto n = db_->read([&](Tx& tx) -> Result<std::int64_t> {
      XZZF_TRY(r, tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ? AND "
                               "subject_type = ? AND subject_id = ?",
                               {action, subject_type, id}));
      return r->i64(0);
    });
    return n.value_or(-1);
  }
  std::int64_t entries(const std::string& action, std::int64_t id) {
    return entries("power_item", action, id);
  }

  std::string today() const { return Date::of(clock_.now()).to_string(); }

  // A 下放 decision of the province, effective before today.
  Authorization delegation(std::int64_t grantor, std::optional<std::int64_t> grantee) const {
    Authorization a;
    a.kind = "delegate";
    a.title = "河南省人民政府关于赋予乡镇（街道）部分县级行政处罚权的决定";
    a.doc_number = "豫政〔2025〕8号";
    a.issuer = "河南省人民政府";
    a.decided_on = "2025-06-01";
    a.effective_on = "2025-07-01";
    a.grantor_department_id = grantor;
    a.grantee_department_id = grantee;
    a.scope = "食品安全领域部分行政处罚权";
    return a;
  }

  std::unique_ptr<library::LibraryService> library_;
  std::unique_ptr<PowerService> powers_;
  std::unique_ptr<AuthorizationService> decisions_;
  std::int64_t food_ = 0, farm_ = 0, city_ = 0, yongcheng_ = 0, market_ = 0, urban_ = 0;
};

// ---------------------------------------------------------------- cancel

TEST_P(PowerChangesTest, ChangeCancelIsReviewedAndOnlyThenLeavesThePortal) {
  const Item first = publish(draft(market_, food_penalty()));
  const auto id = first.id;
  ASSERT_NE(id, 0);
  ASSERT_EQ(first.published_version, std::optional<std::int64_t>(1));

  auto no_reason = powers_->request_change(admin(market_), id, {.action = "cancel"});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kPowersInvalid);

  auto requested = powers_->request_change(
      admin(market_), id, {.action = "cancel", .comment = "该职权所依据的条款已删除，申请取消"});
  ASSERT_TRUE(requested) << requested.error().message;
  EXPECT_EQ(requested->status, "submitted");
  EXPECT_EQ(requested->change, "cancel");
  EXPECT_EQ(requested->version, 2);
  EXPECT_EQ(requested->published_version, std::optional<std::int64_t>(1));
  EXPECT_FALSE(requested->cancelled_on);
  // Until the cancellation is published the public still sees the item.
  auto shown = powers_->public_item(id);
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->version, 1);
  auto listed = powers_->public_items(PublicQuery{});
  ASSERT_TRUE(listed);
  EXPECT_EQ(ids_of(*listed), std::vector<std::int64_t>{id});

  auto returned = powers_->transition(office(), id, "return", "请说明取消依据");
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->status, "returned");
  EXPECT_EQ(returned->change, "cancel");
  EXPECT_TRUE(powers_->public_item(id));

  auto again = powers_->transition(admin(market_), id, "submit", "");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, "submitted");
  EXPECT_EQ(again->change, "cancel");

  ASSERT_TRUE(powers_->transition(office(), id, "approve", "同意取消"));
  EXPECT_TRUE(powers_->public_item(id));
  auto cancelled = powers_->transition(office(), id, "publish", "");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(cancelled->cancelled_on, std::optional<std::string>(today()));
  EXPECT_EQ(item(id).status, "cancelled");

  auto gone = powers_->public_item(id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kPowersNotFound);
  auto none = powers_->public_items(PublicQuery{});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);
  EXPECT_TRUE(none->items.empty());
  auto searched = powers_->public_items(PublicQuery{.q = "不符合食品安全标准"});
  ASSERT_TRUE(searched);
  EXPECT_EQ(searched->total, 0);

  // A cancelled item is not cancelled twice.
  auto twice =
      powers_->request_change(admin(market_), id, {.action = "cancel", .comment = "再次取消"});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kPowersState);

  auto versions = powers_->versions(office(), id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].status, "published");
  EXPECT_EQ((*versions)[1].version, 2);
  EXPECT_EQ((*versions)[1].status, "cancelled");
  EXPECT_TRUE(contains((*versions)[1].snapshot_json, R"("change":"cancel")"))
      << (*versions)[1].snapshot_json;
  auto reviews = powers_->reviews(office(), id);
  ASSERT_TRUE(reviews);
  std::vector<std::string> steps;
  for (const auto& r : *reviews) steps.push_back(r.action + "@" + std::to_string(r.version));
  EXPECT_EQ(steps, (std::vector<std::string>{"submit@1", "approve@1", "publish@1", "cancel@2",
                                             "return@2", "submit@2", "approve@2", "publish@2"}));
  EXPECT_EQ(entries("power_item.cancel", id), 1);
  EXPECT_EQ(entries("power_item.return", id), 1);
  EXPECT_EQ(entries("power_item.submit", id), 2);
  EXPECT_EQ(entries("power_item.approve", id), 2);
  EXPECT_EQ(entries("power_item.publish", id), 2);
}

TEST_P(PowerChangesTest, ChangeOnlyAPublishedItemCanBeCancelled) {
  const auto id = draft(market_, food_penalty());
  auto early =
      powers_->request_change(admin(market_), id, {.action = "cancel", .comment = "不再需要"});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kPowersState);
  auto other = powers_->request_change(admin(urban_), publish(id).id,
                                       {.action = "cancel", .comment = "不再需要"});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kAuthOutOfScope);
  EXPECT_EQ(item(id).status, "published");
}

// -------------------------------------------------------- the decisions

TEST_P(PowerChangesTest, ChangeDecisionsAreRefusedWithTheArticleTheyBreak) {
  const auto township = jurisdiction("411481101", "芒山镇", "township", yongcheng_);
  const auto town = department("411481101-ZF", "永城市芒山镇人民政府", township, {"market"});
  const auto item_id = published(market_, food_penalty());

  auto ok = decisions_->create(office(), delegation(market_, town));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->kind, "delegate");
  EXPECT_EQ(ok->grantor_department_name, "永城市市场监督管理局");
  EXPECT_EQ(ok->grantee_department_name, std::optional<std::string>("永城市芒山镇人民政府"));
  EXPECT_EQ(ok->jurisdiction_id, yongcheng_);
  EXPECT_TRUE(ok->items.empty());
  EXPECT_EQ(entries("authorization", "authorization.created", ok->id), 1);

  // 第二十四条: only a township or street takes a county department's powers.
  auto county = decisions_->create(office(), delegation(market_, urban_));
  ASSERT_FALSE(county);
  EXPECT_EQ(county.error().code, ErrorCode::kPowersDelegateTarget);
  EXPECT_TRUE(contains(county.error().message, "永城市城市管理局")) << county.error().message;
  ASSERT_TRUE(county.error().basis);
  EXPECT_TRUE(contains(*county.error().basis, "第二十四条")) << *county.error().basis;
  // … and only a township of the department's own county.
  const auto liangyuan = jurisdiction("411402", "梁园区", "county", std::nullopt);
  const auto liangyuan_town_j = jurisdiction("411402101", "谢集镇", "township", liangyuan);
  const auto liangyuan_town = department("411402101-ZF", "梁园区谢集镇人民政府", liangyuan_town_j);
  auto foreign = decisions_->create(office(), delegation(market_, liangyuan_town));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kPowersDelegateCounty);
  EXPECT_TRUE(contains(foreign.error().message, "梁园区谢集镇人民政府")) << foreign.error().message;
  ASSERT_TRUE(foreign.error().basis);
  EXPECT_TRUE(contains(*foreign.error().basis, "第二十四条第一款")) << *foreign.error().basis;
  // 条例 第十五条第一款: 相对集中 within one government.
  const auto elsewhere = department("411402-ZHZF", "商丘市梁园区综合行政执法局", liangyuan);
  Authorization across = delegation(market_, elsewhere);
  across.kind = "concentrate";
  auto across_governments = decisions_->create(office(), across);
  ASSERT_FALSE(across_governments);
  EXPECT_EQ(across_governments.error().code, ErrorCode::kPowersConcentrateGovernment);
  ASSERT_TRUE(across_governments.error().basis);
  EXPECT_TRUE(contains(*across_governments.error().basis, "《河南省行政执法条例》第十五条第一款"))
      << *across_governments.error().basis;

  // 第二十条第二款: the entrustment states the matters, powers and term.
  Authorization entrust = delegation(market_, std::nullopt);
  entrust.kind = "entrust";
  entrust.title = "永城市市场监督管理局行政处罚委托书";
  entrust.doc_number = "永市监委〔2025〕1号";
  entrust.issuer = "永城市市场监督管理局";
  entrust.grantee_name = "永城市食品药品检验检测中心";
  entrust.scope = "";
  auto incomplete = decisions_->create(office(), entrust);
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().code, ErrorCode::kPowersEntrustIncomplete);
  EXPECT_EQ(missing(incomplete.error().message), "委托的具体事项、权限、期限")
      << incomplete.error().message;
  ASSERT_TRUE(incomplete.error().basis);
  EXPECT_TRUE(contains(*incomplete.error().basis, "第二十条第二款")) << *incomplete.error().basis;
  // Only the missing parts are named.
  entrust.item_ids = {item_id};
  entrust.scope = "对不符合食品安全标准的食品实施行政处罚";
  auto no_term = decisions_->create(office(), entrust);
  ASSERT_FALSE(no_term);
  EXPECT_EQ(no_term.error().code, ErrorCode::kPowersEntrustIncomplete);
  EXPECT_EQ(missing(no_term.error().message), "期限") << no_term.error().message;
  entrust.valid_until = "2026-06-30";
  auto complete = decisions_->create(office(), entrust);
  ASSERT_TRUE(complete) << complete.error().message;
  ASSERT_EQ(complete->items.size(), 1u);
  EXPECT_EQ(complete->items[0].id, item_id);

  // 第十八条第二款: 相对集中 is for the State Council or a province.
  Authorization concentrate = delegation(market_, urban_);
  concentrate.kind = "concentrate";
  concentrate.issuer = "永城市人民政府";
  auto by_city = decisions_->create(office(), concentrate);
  ASSERT_FALSE(by_city);
  EXPECT_EQ(by_city.error().code, ErrorCode::kPowersConcentrateIssuer);
  EXPECT_TRUE(contains(by_city.error().message, "永城市人民政府")) << by_city.error().message;
  ASSERT_TRUE(by_city.error().basis);
  EXPECT_TRUE(contains(*by_city.error().basis, "第十八条第二款")) << *by_city.error().basis;

  // A department administrator does not register decisions.
  auto forbidden = decisions_->create(admin(market_), delegation(market_, town));
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().code, ErrorCode::kAuthForbidden);
}

// --------------------------------------------------------------- delegate

TEST_P(PowerChangesTest, ChangeDelegateMovesTheItemToTheTownshipUnderItsDecision) {
  const auto township = jurisdiction("411481101", "芒山镇", "township", yongcheng_);
  const auto town = department("411481101-ZF", "永城市芒山镇人民政府", township, {"market"});
  const auto street_j = jurisdiction("411481001", "演集街道", "township", yongcheng_);
  const auto street = department("411481001-BSC", "永城市演集街道办事处", street_j, {"urban"});
  const auto office_id = agency(market_, "食品安全监督管理科");
  auto post = svc_->create_post(
      root(), market_,
      org::NewPost{.name = "食品执法岗", .agency_id = office_id, .is_enforcement = true});
  ASSERT_TRUE(post) << post.error().message;

  Content c = food_penalty();
  c.agency_id = office_id;
  c.post_id = post->id;
  const Item before = publish(draft(market_, c));
  const auto id = before.id;
  ASSERT_NE(id, 0);
  ASSERT_TRUE(before.agency_name);
  ASSERT_TRUE(before.post_name);

  auto decision = decisions_->create(office(), delegation(market_, town));
  ASSERT_TRUE(decision) << decision.error().message;
  auto to_street = decisions_->create(office(), delegation(market_, street));
  ASSERT_TRUE(to_street) << to_street.error().message;

  const std::string why = "按省政府决定下放至乡镇";
  auto no_decision = powers_->request_change(
      admin(market_), id, {.action = "delegate", .comment = why, .department_id = town});
  ASSERT_FALSE(no_decision);
  EXPECT_EQ(no_decision.error().code, ErrorCode::kPowersInvalid);

  auto county = powers_->request_change(admin(market_), id,
                                        {.action = "delegate",
                                         .comment = why,
                                         .department_id = urban_,
                                         .authorization_id = decision->id});
  ASSERT_FALSE(county);
  EXPECT_EQ(county.error().code, ErrorCode::kPowersDelegateTarget);
  ASSERT_TRUE(county.error().basis);
  EXPECT_TRUE(contains(*county.error().basis, "第二十四条"));

  auto wrong_decision = powers_->request_change(admin(market_), id,
                                                {.action = "delegate",
                                                 .comment = why,
                                                 .department_id = town,
                                                 .authorization_id = to_street->id});
  ASSERT_FALSE(wrong_decision);
  EXPECT_EQ(wrong_decision.error().code, ErrorCode::kPowersAuthorizationMismatch);

  // The street has a decision but no 市场监管 sector.
  auto no_sector = powers_->request_change(admin(market_), id,
                                           {.action = "delegate",
                                            .comment = why,
                                            .department_id = street,
                                            .authorization_id = to_street->id});
  ASSERT_FALSE(no_sector);
  EXPECT_EQ(no_sector.error().code, ErrorCode::kPowersChangeTarget);
  EXPECT_EQ(item(id).status, "published");

  auto requested = powers_->request_change(admin(market_), id,
                                           {.action = "delegate",
                                            .comment = why,
                                            .department_id = town,
                                            .authorization_id = decision->id});
  ASSERT_TRUE(requested) << requested.error().message;
  EXPECT_EQ(requested->status, "submitted");
  EXPECT_EQ(requested->change, "delegate");
  EXPECT_EQ(requested->target_department_id, std::optional<std::int64_t>(town));
  EXPECT_EQ(requested->target_department_name, std::optional<std::string>("永城市芒山镇人民政府"));
  EXPECT_EQ(requested->authorization_id, std::optional<std::int64_t>(decision->id));
  // Still the county department's until published.
  EXPECT_EQ(requested->department_id, market_);
  auto still = powers_->public_item(id);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->department_id, market_);

  ASSERT_TRUE(powers_->transition(office(), id, "approve", "同意下放"));
  auto moved = powers_->transition(office(), id, "publish", "");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->status, "published");
  EXPECT_EQ(moved->department_id, town);
  EXPECT_EQ(moved->department_name, "永城市芒山镇人民政府");
  EXPECT_EQ(moved->jurisdiction_id, township);
  EXPECT_TRUE(moved->code.starts_with("411481101-ZF-CF-")) << moved->code;
  EXPECT_EQ(moved->code, "411481101-ZF-CF-001");
  EXPECT_FALSE(moved->content.agency_id);
  EXPECT_FALSE(moved->content.post_id);
  EXPECT_FALSE(moved->agency_name);
  EXPECT_FALSE(moved->post_name);

  // Publishing does not rewrite the registered decision: it named no items
  // and still names none (its record entry says the same).
  auto covered = decisions_->get(office(), decision->id);
  ASSERT_TRUE(covered);
  EXPECT_TRUE(covered->items.empty());

  auto shown = powers_->public_item(id);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->department_id, town);
  EXPECT_EQ(shown->department_name, "永城市芒山镇人民政府");
  EXPECT_EQ(shown->code, moved->code);
  EXPECT_FALSE(shown->agency_name);
  auto by_town = powers_->public_items(PublicQuery{.department_id = town});
  ASSERT_TRUE(by_town);
  EXPECT_EQ(ids_of(*by_town), std::vector<std::int64_t>{id});
  auto by_market = powers_->public_items(PublicQuery{.department_id = market_});
  ASSERT_TRUE(by_market);
  EXPECT_EQ(by_market->total, 0);
  // The new code is what the search finds.
  auto by_code = powers_->public_items(PublicQuery{.q = "411481101-zf-cf"});
  ASSERT_TRUE(by_code);
  EXPECT_EQ(ids_of(*by_code), std::vector<std::int64_t>{id});

  auto old_admin = powers_->item(admin(market_), id);
  ASSERT_FALSE(old_admin);
  EXPECT_EQ(old_admin.error().code, ErrorCode::kAuthOutOfScope);
  auto old_list = powers_->items(admin(market_), ItemQuery{});
  ASSERT_TRUE(old_list);
  EXPECT_EQ(old_list->total, 0);
  auto new_admin = powers_->item(admin(town, township), id);
  ASSERT_TRUE(new_admin) << new_admin.error().message;
  EXPECT_EQ(new_admin->department_id, town);
  auto new_list = powers_->items(admin(town, township), ItemQuery{});
  ASSERT_TRUE(new_list);
  EXPECT_EQ(ids_of(*new_list), std::vector<std::int64_t>{id});

  EXPECT_EQ(entries("power_item.delegate", id), 1);
  EXPECT_EQ(entries("power_item.publish", id), 2);
}

// --------------------------------------------------------------- transfer

TEST_P(PowerChangesTest, ChangeDelegateOnlyOfTheItemsADecisionNames) {
  const auto township = jurisdiction("411481101", "芒山镇", "township", yongcheng_);
  const auto town = department("411481101-ZF", "永城市芒山镇人民政府", township, {"market"});
  const Item named = publish(draft(market_, food_penalty()));
  Content other = food_penalty();
  other.name = "另一项食品安全行政处罚";
  const Item unnamed = publish(draft(market_, other));
  Authorization d = delegation(market_, town);
  d.item_ids = {named.id};
  auto decision = decisions_->create(office(), d);
  ASSERT_TRUE(decision) << decision.error().message;
  auto refused = powers_->request_change(admin(market_), unnamed.id,
                                         {.action = "delegate",
                                          .comment = "下放",
                                          .department_id = town,
                                          .authorization_id = decision->id});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPowersAuthorizationMismatch);
  EXPECT_TRUE(contains(refused.error().message, other.name)) << refused.error().message;
  auto ok = powers_->request_change(admin(market_), named.id,
                                    {.action = "delegate",
                                     .comment = "下放",
                                     .department_id = town,
                                     .authorization_id = decision->id});
  ASSERT_TRUE(ok) << ok.error().message;
  // Withdrawn, the request leaves the published version as it was.
  auto withdrawn = powers_->transition(admin(market_), named.id, "withdraw", "暂缓");
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->status, "published");
  EXPECT_EQ(withdrawn->department_id, market_);
  EXPECT_FALSE(withdrawn->target_department_id);
  EXPECT_EQ(withdrawn->published_version, named.published_version);
  // A new item's draft is not a change request: nothing to withdraw.
  auto fresh = draft(market_, other, "X-1");
  ASSERT_TRUE(powers_->transition(admin(market_), fresh, "submit", ""));
  auto nothing = powers_->transition(admin(market_), fresh, "withdraw", "");
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, ErrorCode::kPowersState);
}

TEST_P(PowerChangesTest, ChangeTransferStaysWithinOneGovernment) {
  const auto liangyuan = jurisdiction("411402", "梁园区", "county", std::nullopt);
  const auto elsewhere = department("411402-SCJG", "商丘市梁园区市场监督管理局", liangyuan);
  const auto zhzf =
      department("411481-ZHZF", "永城市综合行政执法局", yongcheng_, {"market", "urban"});
  const auto id = published(market_, food_penalty());
  const std::string why = "机构职能调整，转由综合行政执法局行使";

  auto other_government = powers_->request_change(
      admin(market_), id, {.action = "transfer", .comment = why, .department_id = elsewhere});
  ASSERT_FALSE(other_government);
  EXPECT_EQ(other_government.error().code, ErrorCode::kPowersChangeTarget);
  // Under a 相对集中 decision the law says so: 条例 第十五条第一款.
  Authorization concentrate = delegation(market_, zhzf);
  concentrate.kind = "concentrate";
  auto decision = decisions_->create(office(), concentrate);
  ASSERT_TRUE(decision) << decision.error().message;
  auto concentrated_elsewhere = powers_->request_change(admin(market_), id,
                                                        {.action = "transfer",
                                                         .comment = why,
                                                         .department_id = elsewhere,
                                                         .authorization_id = decision->id});
  ASSERT_FALSE(concentrated_elsewhere);
  EXPECT_EQ(concentrated_elsewhere.error().code, ErrorCode::kPowersConcentrateGovernment);
  ASSERT_TRUE(concentrated_elsewhere.error().basis);
  EXPECT_TRUE(contains(*concentrated_elsewhere.error().basis, "第十五条第一款"));
  auto no_sector = powers_->request_change(
      admin(market_), id, {.action = "transfer", .comment = why, .department_id = urban_});
  ASSERT_FALSE(no_sector);
  EXPECT_EQ(no_sector.error().code, ErrorCode::kPowersChangeTarget);
  auto itself = powers_->request_change(
      admin(market_), id, {.action = "transfer", .comment = why, .department_id = market_});
  ASSERT_FALSE(itself);
  EXPECT_EQ(itself.error().code, ErrorCode::kPowersChangeTarget);
  auto no_target =
      powers_->request_change(admin(market_), id, {.action = "transfer", .comment = why});
  ASSERT_FALSE(no_target);
  EXPECT_EQ(no_target.error().code, ErrorCode::kPowersInvalid);

  auto requested = powers_->request_change(
      admin(market_), id, {.action = "transfer", .comment = why, .department_id = zhzf});
  ASSERT_TRUE(requested) << requested.error().message;
  EXPECT_EQ(requested->status, "submitted");
  EXPECT_EQ(requested->change, "transfer");
  EXPECT_EQ(requested->target_department_id, std::optional<std::int64_t>(zhzf));
  EXPECT_EQ(requested->department_id, market_);

  ASSERT_TRUE(powers_->transition(office(), id, "approve", "同意"));
  auto moved = powers_->transition(office(), id, "publish", "");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->status, "published");
  EXPECT_EQ(moved->department_id, zhzf);
  EXPECT_EQ(moved->code, "411481-ZHZF-CF-001");
  auto shown = powers_->public_item(id);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->department_id, zhzf);
  EXPECT_EQ(shown->department_name, "永城市综合行政执法局");
  EXPECT_EQ(shown->code, "411481-ZHZF-CF-001");
  EXPECT_EQ(entries("power_item.transfer", id), 1);
}

// ----------------------------------------------------------------- portal

TEST_P(PowerChangesTest, PortalSearchFindsExactlyWhatAPlainScanFinds) {
  // What the public may see, as published (the scan's input).
  std::map<std::int64_t, Item> shown;
  auto show = [&](const Item& it) {
    ASSERT_NE(it.id, 0);
    shown[it.id] = it;
  };
  show(publish(draft(market_, food_penalty())));
  const Item storage_item =
      publish(draft(market_, food("对未按要求进行食品贮存、运输和装卸的行政处罚", "penalty", 132)));
  show(storage_item);
  show(publish(
      draft(market_, food("对食品生产经营者遵守食品安全法情况的监督检查", "inspection", 110))));
  show(publish(draft(market_, food("食品生产经营许可", "license", 35, 1))));
  Content transport = food_penalty();
  transport.name = "对运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒的行政处罚";
  transport.sector = "urban";
  transport.bases = {Basis{.norm_id = city_, .article = 34}};
  show(publish(draft(urban_, transport)));
  Content billboard = transport;
  billboard.name = "对擅自设置大型户外广告影响市容的行政处罚";
  billboard.bases = {Basis{.norm_id = city_, .article = 36}};
  show(publish(draft(urban_, billboard)));
  // Never on the portal: a draft, an approved item, a cancelled one; and an
  // amendment in draft shows its published version.
  draft(market_, food("对网络食品交易第三方平台提供者未履行审查义务的行政处罚", "penalty", 131));
  const auto approved =
      draft(market_, food("对拒绝、阻挠、干涉食品安全监督检查的行政处罚", "penalty", 133));
  ASSERT_TRUE(powers_->transition(admin(market_), approved, "submit", ""));
  ASSERT_TRUE(powers_->transition(office(), approved, "approve", ""));
  const auto cancelled =
      published(market_, food("对食品检验机构出具虚假检验报告的行政处罚", "penalty", 138));
  ASSERT_TRUE(powers_->request_change(admin(market_), cancelled,
                                      {.action = "cancel", .comment = "职责调整"}));
  ASSERT_TRUE(powers_->transition(office(), cancelled, "approve", ""));
  ASSERT_TRUE(powers_->transition(office(), cancelled, "publish", ""));
  ASSERT_TRUE(powers_->transition(admin(market_), storage_item.id, "amend", "冷链"));
  ASSERT_TRUE(
      powers_->update(admin(market_), storage_item.id,
                      food("对未按要求进行冷链食品贮存、运输和装卸的行政处罚", "penalty", 132)));

  auto fields = [](const Item& it, bool with_department) {
    std::vector<std::string> f = {it.content.name, it.code};
    for (const auto& b : it.content.bases) f.push_back(b.label);
    if (with_department) f.push_back(it.department_name);
    return f;
  };
  auto scan = [&](const PublicQuery& q, bool with_department = true) {
    auto normalized = search::query_text(q.q);
    EXPECT_TRUE(normalized);
    std::vector<std::int64_t> ids;
    for (const auto& [id, it] : shown) {
      if (q.department_id && it.department_id != *q.department_id) continue;
      if (!q.category.empty() && it.content.category != q.category) continue;
      if (search::matches(fields(it, with_department), normalized.value_or(""))) ids.push_back(id);
    }
    return ids;
  };
  auto check = [&](PublicQuery q) {
    q.page.page_size = 200;
    auto page = powers_->public_items(q);
    EXPECT_TRUE(page) << q.q << ": " << page.error().message;
    if (!page) return std::vector<std::int64_t>{};
    const auto expected = scan(q);
    EXPECT_EQ(ids_of(*page), expected) << "q=" << q.q << " category=" << q.category;
    EXPECT_EQ(page->total, static_cast<std::int64_t>(expected.size())) << q.q;
    return expected;
  };

  for (const char* q : {"罚",
                        "食",
                        "费",
                        "食品",
                        "监督",
                        "管理",
                        "城市",
                        "广告",
                        "食品安全法",
                        "监督检查",
                        "户外广告",
                        "第一百三十二条",
                        "《中华人民共和国食品安全法》第三十五条第一款",
                        "城市市容和环境卫生管理条例",
                        "CF",
                        "cf",
                        "ＣＦ",
                        "Ｃｆ",
                        "jc",
                        "XK",
                        "scjg-cf",
                        "411481-CGJ-CF-00",
                        "  食品  ",
                        "不存在的词语"}) {
    check(PublicQuery{.q = q});
  }
  EXPECT_EQ(check(PublicQuery{.q = "罚"}).size(), 4u);
  EXPECT_EQ(check(PublicQuery{.q = "食品"}).size(), 4u);
  EXPECT_EQ(check(PublicQuery{.q = "ＣＦ"}).size(), 4u);
  EXPECT_EQ(check(PublicQuery{.q = "监督检查"}).size(), 1u);
  EXPECT_EQ(check(PublicQuery{.q = "监督"}).size(), 4u);  // one name, and the department's
  EXPECT_EQ(check(PublicQuery{.q = "jc"}).size(), 1u);
  EXPECT_EQ(check(PublicQuery{.q = "第一百三十二条"}), std::vector<std::int64_t>{storage_item.id});

  // The department's name alone: in no item's name, code or basis.
  for (const auto& [q, count] : {std::pair{"市场监督管理局", 4u}, std::pair{"城市管理局", 2u}}) {
    EXPECT_TRUE(scan(PublicQuery{.q = q}, /*with_department=*/false).empty()) << q;
    EXPECT_EQ(check(PublicQuery{.q = q}).size(), count) << q;
  }

  // Never found: the draft, the approved, the cancelled, the unpublished amendment.
  for (const char* q : {"网络食品交易", "阻挠", "虚假检验报告", "冷链", "第一百三十一条"}) {
    auto page = powers_->public_items(PublicQuery{.q = q});
    ASSERT_TRUE(page) << q;
    EXPECT_EQ(page->total, 0) << q;
  }
  auto kept = powers_->public_item(storage_item.id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->content.name, "对未按要求进行食品贮存、运输和装卸的行政处罚");
  EXPECT_EQ(kept->version, 1);

  // Filters combine with the query.
  EXPECT_EQ(check(PublicQuery{.q = "食品", .category = "penalty"}).size(), 2u);
  EXPECT_EQ(check(PublicQuery{.q = "罚", .department_id = urban_}).size(), 2u);
  EXPECT_TRUE(check(PublicQuery{.q = "城市管理局", .department_id = market_}).empty());
  EXPECT_TRUE(check(PublicQuery{.q = "cf", .category = "inspection"}).empty());
  EXPECT_EQ(
      check(PublicQuery{.q = "监督", .department_id = market_, .category = "inspection"}).size(),
      1u);
  EXPECT_EQ(check(PublicQuery{.department_id = urban_, .category = "penalty"}).size(), 2u);

  // Paging keeps the total.
  auto first = powers_->public_items(PublicQuery{.q = "罚", .page = {.page = 1, .page_size = 3}});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->total, 4);
  EXPECT_EQ(first->items.size(), 3u);

  // 64 characters are a query; 65 are refused.
  std::string longest_query;
  for (int i = 0; i < 64; ++i) longest_query += "罚";
  auto longest = powers_->public_items(PublicQuery{.q = longest_query});
  ASSERT_TRUE(longest) << longest.error().message;
  EXPECT_EQ(longest->total, 0);
  std::string too_long;
  for (int i = 0; i < 65; ++i) too_long += "罚";
  auto refused = powers_->public_items(PublicQuery{.q = too_long});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kQueryInvalid);
  auto bad_category = powers_->public_items(PublicQuery{.category = "punishment"});
  ASSERT_FALSE(bad_category);
  EXPECT_EQ(bad_category.error().code, ErrorCode::kQueryInvalid);

  auto summary = powers_->public_summary();
  ASSERT_TRUE(summary) << summary.error().message;
  std::map<std::string, std::pair<std::string, std::int64_t>> departments;
  for (const auto& d : summary->departments) departments[d.key] = {d.name, d.count};
  EXPECT_EQ(departments, (std::map<std::string, std::pair<std::string, std::int64_t>>{
                             {std::to_string(market_), {"永城市市场监督管理局", 4}},
                             {std::to_string(urban_), {"永城市城市管理局", 2}}}));
  std::map<std::string, std::pair<std::string, std::int64_t>> by_category;
  for (const auto& c : summary->categories) by_category[c.key] = {c.name, c.count};
  EXPECT_EQ(by_category, (std::map<std::string, std::pair<std::string, std::int64_t>>{
                             {"penalty", {"行政处罚", 4}},
                             {"inspection", {"行政检查", 1}},
                             {"license", {"行政许可", 1}}}));
}

// 城市市容和环境卫生管理条例 numbers the items of 第三十四条 "(一)" … "(七)"
// (half-width brackets, as published); 第三十四条第（六）项 is a citation
// departments make, and the article has one paragraph.
TEST_P(PowerChangesTest, PortalBasisMayCiteAnItemNumberedWithHalfWidthBrackets) {
  auto text = library_->articles(office(), city_, std::nullopt, "");
  ASSERT_TRUE(text);
  auto art = std::find_if(text->begin(), text->end(), [](const auto& a) { return a.number == 34; });
  ASSERT_NE(art, text->end());
  ASSERT_TRUE(contains(art->text, "(六)运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒的"))
      << art->text;

  Content c = food_penalty();
  c.name = "对运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒的行政处罚";
  c.sector = "urban";
  c.bases = {Basis{.norm_id = city_, .article = 34, .paragraph = 1, .item = 6}};
  auto cited = powers_->create(admin(urban_), urban_, "", c);
  EXPECT_TRUE(cited) << cited.error().message;
  if (cited) {
    EXPECT_EQ(cited->content.bases[0].label,
              "《城市市容和环境卫生管理条例》第三十四条第一款第（六）项");
  }

  // The article has one paragraph: a second one does not exist.
  c.bases = {Basis{.norm_id = city_, .article = 34, .paragraph = 2}};
  auto second = powers_->create(admin(urban_), urban_, "", c);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kPowersArticleNotFound);
}

// --------------------------------------------------------------- progress

TEST_P(PowerChangesTest, ProgressCountsEachDepartmentAgainstTheDeadline) {
  auto not_office = powers_->set_deadline(admin(market_), yongcheng_, "2026-06-30");
  ASSERT_FALSE(not_office);
  EXPECT_EQ(not_office.error().code, ErrorCode::kAuthForbidden);
  auto bad_date = powers_->set_deadline(office(), yongcheng_, "2026-06-31");
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().code, ErrorCode::kPowersInvalid);
  auto set = powers_->set_deadline(office(), yongcheng_, "2026-06-30");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(*set, "2026-06-30");
  EXPECT_EQ(entries("power_list", "power_list.deadline_set", yongcheng_), 1);

  auto board = [&](const auth::Caller& c, std::optional<std::int64_t> j) {
    auto p = powers_->progress(c, j);
    EXPECT_TRUE(p) << p.error().message;
    std::map<std::int64_t, DepartmentProgress> by_id;
    if (p) {
      EXPECT_EQ(p->deadline, std::optional<std::string>("2026-06-30"));
      EXPECT_EQ(p->today, today());
      for (const auto& d : p->departments) by_id[d.department_id] = d;
    }
    return by_id;
  };
  auto start = board(office(), yongcheng_);
  ASSERT_EQ(start.size(), 2u);
  EXPECT_EQ(start[market_].department_name, "永城市市场监督管理局");
  EXPECT_EQ(start[market_].total, 0);
  EXPECT_FALSE(start[market_].complete());  // nothing listed is not done

  const auto a = draft(market_, food_penalty());
  const auto b =
      draft(market_, food("对未按要求进行食品贮存、运输和装卸的行政处罚", "penalty", 132));
  ASSERT_TRUE(powers_->transition(admin(market_), b, "submit", ""));
  const auto c = published(market_, food("食品生产经营许可", "license", 35, 1));
  Content transport = food_penalty();
  transport.name = "对擅自设置大型户外广告影响市容的行政处罚";
  transport.sector = "urban";
  transport.bases = {Basis{.norm_id = city_, .article = 36}};
  published(urban_, transport);

  auto mid = board(office(), yongcheng_);
  ASSERT_EQ(mid.size(), 2u);
  const auto& m = mid[market_];
  EXPECT_EQ(m.total, 3);
  EXPECT_EQ(m.draft, 1);
  EXPECT_EQ(m.submitted, 1);
  EXPECT_EQ(m.returned, 0);
  EXPECT_EQ(m.approved, 0);
  EXPECT_EQ(m.published, 1);
  EXPECT_EQ(m.cancelled, 0);
  EXPECT_EQ(m.flagged, 0);
  EXPECT_FALSE(m.complete());
  EXPECT_EQ(mid[urban_].total, 1);
  EXPECT_EQ(mid[urban_].published, 1);
  EXPECT_TRUE(mid[urban_].complete());

  // A department administrator sees its own row, against its jurisdiction's deadline.
  auto own = board(admin(market_), std::nullopt);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own.begin()->first, market_);
  EXPECT_EQ(own.begin()->second.total, 3);

  ASSERT_TRUE(powers_->transition(office(), b, "return", "请补充办理时限"));
  EXPECT_EQ(board(office(), yongcheng_)[market_].returned, 1);
  publish(a);
  publish(b);
  auto done = board(office(), yongcheng_);
  EXPECT_EQ(done[market_].published, 3);
  EXPECT_TRUE(done[market_].complete());

  // A cancellation in review is not done; once published it does not count.
  ASSERT_TRUE(powers_->request_change(admin(market_), c, {.action = "cancel", .comment = "取消"}));
  auto pending = board(office(), yongcheng_);
  EXPECT_EQ(pending[market_].submitted, 1);
  EXPECT_EQ(pending[market_].published, 2);
  EXPECT_FALSE(pending[market_].complete());
  ASSERT_TRUE(powers_->transition(office(), c, "approve", ""));
  ASSERT_TRUE(powers_->transition(office(), c, "publish", ""));
  auto after = board(office(), yongcheng_);
  EXPECT_EQ(after[market_].total, 3);
  EXPECT_EQ(after[market_].cancelled, 1);
  EXPECT_EQ(after[market_].published, 2);
  EXPECT_TRUE(after[market_].complete());
}

// ------------------------------------------------------------------ merge

TEST_P(PowerChangesTest, MergeMovesItemsCodesPublicRowsAndPendingTransfers) {
  const auto into =
      department("411481-ZHZF", "永城市综合行政执法局", yongcheng_, {"market", "urban"});
  const auto commerce = department("411481-SWJ", "永城市商务局", yongcheng_, {"market"});
  const auto p1 = published(market_, food_penalty());
  const auto p2 =
      published(market_, food("对未按要求进行食品贮存、运输和装卸的行政处罚", "penalty", 132));
  const auto d3 =
      draft(market_, food("对食品生产经营者遵守食品安全法情况的监督检查", "inspection", 110));
  ASSERT_EQ(item(p2).code, "411481-SCJG-CF-002");
  // The absorbing department already uses one of the codes.
  const auto clash =
      draft(into, food("对拒绝、阻挠、干涉食品安全监督检查的行政处罚", "penalty", 133),
            "411481-SCJG-CF-002");
  const auto own = draft(into, food_penalty());
  ASSERT_EQ(item(own).code, "411481-ZHZF-CF-001");
  // Another department's item waits to be transferred to the merged one.
  const auto pending = published(commerce, food("食品生产经营许可", "license", 35, 1));
  auto transfer = powers_->request_change(
      admin(commerce), pending,
      {.action = "transfer", .comment = "职责划转", .department_id = market_});
  ASSERT_TRUE(transfer) << transfer.error().message;

  const PowerService* powers = powers_.get();
  org::OrgService merger(
      *db_, *trail_, clock_, {},
      [powers](storage::Tx& tx, const org::MergeEvent& e) { return powers->follow_merge(tx, e); });
  auto merged = merger.merge_department(
      root(), market_,
      org::DepartmentMerge{.into_department_id = into, .effective_date = "2025-10-01"});
  ASSERT_TRUE(merged) << merged.error().message;

  const Item i1 = item(p1), i2 = item(p2), i3 = item(d3);
  for (const auto* it : {&i1, &i2, &i3}) {
    EXPECT_EQ(it->department_id, into) << it->code;
    EXPECT_EQ(it->department_name, "永城市综合行政执法局");
    EXPECT_EQ(entries("power_item.followed_merge", it->id), 1) << it->code;
  }
  EXPECT_EQ(i1.code, "411481-SCJG-CF-001");
  EXPECT_EQ(i1.status, "published");
  EXPECT_EQ(i3.code, "411481-SCJG-JC-001");
  EXPECT_EQ(i3.status, "draft");
  // The clashing one takes the next code under the absorbing department's prefix.
  EXPECT_EQ(i2.code, "411481-ZHZF-CF-002");
  EXPECT_EQ(item(clash).code, "411481-SCJG-CF-002");
  EXPECT_EQ(entries("power_item.followed_merge", clash), 0);
  EXPECT_EQ(entries("power_item.followed_merge", own), 0);

  for (const auto* it : {&i1, &i2}) {
    auto shown = powers_->public_item(it->id);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->department_id, into);
    EXPECT_EQ(shown->department_name, "永城市综合行政执法局");
    EXPECT_EQ(shown->code, it->code);
  }
  auto by_into = powers_->public_items(PublicQuery{.department_id = into});
  ASSERT_TRUE(by_into);
  EXPECT_EQ(ids_of(*by_into), sorted({p1, p2}));
  auto by_old = powers_->public_items(PublicQuery{.department_id = market_});
  ASSERT_TRUE(by_old);
  EXPECT_EQ(by_old->total, 0);
  auto old_code = powers_->public_items(PublicQuery{.q = "SCJG-CF-002"});
  ASSERT_TRUE(old_code);
  EXPECT_EQ(old_code->total, 0);
  auto new_code = powers_->public_items(PublicQuery{.q = "ZHZF-CF-002"});
  ASSERT_TRUE(new_code);
  EXPECT_EQ(ids_of(*new_code), std::vector<std::int64_t>{p2});
  auto by_name = powers_->public_items(PublicQuery{.q = "综合行政执法局"});
  ASSERT_TRUE(by_name);
  EXPECT_EQ(ids_of(*by_name), sorted({p1, p2}));

  auto admin_of_into = powers_->items(admin(into), ItemQuery{});
  ASSERT_TRUE(admin_of_into);
  EXPECT_EQ(ids_of(*admin_of_into), sorted({p1, p2, d3, clash, own}));

  // The pending transfer now goes to the department that absorbed the target.
  const Item waiting = item(pending);
  EXPECT_EQ(waiting.target_department_id, std::optional<std::int64_t>(into));
  EXPECT_EQ(waiting.target_department_name, std::optional<std::string>("永城市综合行政执法局"));
  ASSERT_TRUE(powers_->transition(office(), pending, "approve", ""));
  auto moved = powers_->transition(office(), pending, "publish", "");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->department_id, into);
  EXPECT_EQ(moved->code, "411481-ZHZF-XK-001");
}

// A transfer to B still in review when its department merges into B: the
// item is B's already, and the merge keeps its code; the transfer is moot.
TEST_P(PowerChangesTest, MergeIntoTheTargetOfAPendingTransferKeepsTheItemAsItIs) {
  const auto into =
      department("411481-ZHZF", "永城市综合行政执法局", yongcheng_, {"market", "urban"});
  ASSERT_TRUE(powers_->create(admin(into), into, "", food_penalty()));  // 411481-ZHZF-CF-001
  const auto id = published(market_, food_penalty());
  auto transfer = powers_->request_change(
      admin(market_), id, {.action = "transfer", .comment = "职责划转", .department_id = into});
  ASSERT_TRUE(transfer) << transfer.error().message;

  const PowerService* powers = powers_.get();
  org::OrgService merger(
      *db_, *trail_, clock_, {},
      [powers](storage::Tx& tx, const org::MergeEvent& e) { return powers->follow_merge(tx, e); });
  auto merged = merger.merge_department(
      root(), market_,
      org::DepartmentMerge{.into_department_id = into, .effective_date = "2025-10-01"});
  ASSERT_TRUE(merged) << merged.error().message;

  const Item after = item(id);
  EXPECT_EQ(after.department_id, into);
  EXPECT_EQ(after.code, "411481-SCJG-CF-001");
  // request_change refuses a transfer to the item's own department
  // ("事项已属于该部门"); the merge must not leave one behind.
  EXPECT_NE(after.target_department_id, std::optional<std::int64_t>(into));
  // Publishing what is left in review does not renumber the item.
  if (after.status == "submitted") {
    ASSERT_TRUE(powers_->transition(office(), id, "approve", ""));
    auto published_again = powers_->transition(office(), id, "publish", "");
    ASSERT_TRUE(published_again) << published_again.error().message;
    EXPECT_EQ(published_again->department_id, into);
    EXPECT_EQ(published_again->code, "411481-SCJG-CF-001");
  }
}

// ---------------------------------------------------- flags after the law changes

TEST_P(PowerChangesTest, FlagFollowsAnAmendmentOfTheCitedArticleOnly) {
  const auto cites_124 = published(market_, food_penalty());
  const auto cites_122 = published(
      market_, food("对未取得食品生产经营许可从事食品生产经营活动的行政处罚", "penalty", 122, 1));
  const auto agriculture =
      department("411481-NYNCJ", "永城市农业农村局", yongcheng_, {"agriculture"});
  Content farm = food_penalty();
  farm.name = "对农产品生产企业未建立或者未按照规定保存农产品生产记录的行政处罚";
  farm.sector = "agriculture";
  farm.bases = {Basis{.norm_id = farm_, .article = 47}};
  farm.effective_from = "2020-01-01";
  const auto cites_farm = published(agriculture, farm);

  auto text_of = [&](int number) {
    auto articles = library_->articles(office(), food_, std::nullopt, "");
    EXPECT_TRUE(articles);
    for (const auto& a : articles.value_or(std::vector<library::Article>{})) {
      if (a.number == number && a.sub == 0) return a.text;
    }
    ADD_FAILURE() << "no article " << number;
    return std::string();
  };
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  };
  auto flagged = [&](ItemQuery q) {
    q.flagged_only = true;
    auto page = powers_->items(office(), q);
    EXPECT_TRUE(page);
    return page ? ids_of(*page) : std::vector<std::int64_t>{};
  };

  // Another article changes: nothing to revise.
  library::Amendment other{
      .version_date = "2025-06-01",
      .kind = "amended",
      .note = "2025年6月1日 第十四届全国人民代表大会常务委员会第十五次会议修正",
      .source = "全国人民代表大会常务委员会公报",
      .articles = {{.number = 132,
                    .text = replaced(text_of(132), "并处一万元以上五万元以下罚款",
                                     "并处二万元以上十万元以下罚款")}}};
  auto first = library_->amend(office(), food_, other);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->changed_count, 1);
  EXPECT_FALSE(item(cites_124).flagged);
  EXPECT_FALSE(item(cites_124).content.bases[0].stale);
  EXPECT_TRUE(flagged({}).empty());

  // 第一百二十四条 changes: the item citing it is on the revision list.
  library::Amendment fines{
      .version_date = "2025-09-01",
      .effective_on = "2025-10-01",
      .kind = "amended",
      .note = "2025年9月1日 第十四届全国人民代表大会常务委员会第十七次会议修正",
      .source = "全国人民代表大会常务委员会公报",
      .articles = {{.number = 124,
                    .text = replaced(text_of(124), "并处五万元以上十万元以下罚款",
                                     "并处十万元以上二十万元以下罚款")}}};
  auto second = library_->amend(office(), food_, fines);
  ASSERT_TRUE(second) << second.error().message;
  const Item stale = item(cites_124);
  EXPECT_TRUE(stale.flagged);
  ASSERT_EQ(stale.content.bases.size(), 1u);
  EXPECT_TRUE(stale.content.bases[0].stale);
  EXPECT_EQ(stale.content.bases[0].version_date, "2021-04-29");
  EXPECT_FALSE(item(cites_122).flagged);
  EXPECT_FALSE(item(cites_farm).flagged);
  EXPECT_EQ(flagged({}), std::vector<std::int64_t>{cites_124});
  EXPECT_EQ(flagged({.norm_id = food_}), std::vector<std::int64_t>{cites_124});
  EXPECT_TRUE(flagged({.norm_id = farm_}).empty());
  auto citing = powers_->items(office(), ItemQuery{.norm_id = food_});
  ASSERT_TRUE(citing);
  EXPECT_EQ(ids_of(*citing), sorted({cites_124, cites_122}));
  auto citing_farm = powers_->items(office(), ItemQuery{.norm_id = farm_});
  ASSERT_TRUE(citing_farm);
  EXPECT_EQ(ids_of(*citing_farm), std::vector<std::int64_t>{cites_farm});
  // The department sees it on its own list too, and the board counts it.
  auto own = powers_->items(admin(market_), ItemQuery{.flagged_only = true});
  ASSERT_TRUE(own);
  EXPECT_EQ(ids_of(*own), std::vector<std::int64_t>{cites_124});
  auto board = powers_->progress(office(), yongcheng_);
  ASSERT_TRUE(board);
  for (const auto& d : board->departments) {
    EXPECT_EQ(d.flagged, d.department_id == market_ ? 1 : 0) << d.department_name;
  }

  // Its amendment cannot go to review on the stale text.
  ASSERT_TRUE(powers_->transition(admin(market_), cites_124, "amend", "依据已修改"));
  auto submit = powers_->transition(admin(market_), cites_124, "submit", "");
  ASSERT_FALSE(submit);
  EXPECT_EQ(submit.error().code, ErrorCode::kPowersBasisStale);
  EXPECT_TRUE(contains(submit.error().message, "第一百二十四条")) << submit.error().message;
  // The item citing the unchanged 第一百二十二条 can.
  ASSERT_TRUE(powers_->transition(admin(market_), cites_122, "amend", "完善责任事项"));
  EXPECT_TRUE(powers_->transition(admin(market_), cites_122, "submit", ""));
}

TEST_P(PowerChangesTest, FlagAfterARepealStopsAmendmentsButNotTheCancellation) {
  const auto agriculture =
      department("411481-NYNCJ", "永城市农业农村局", yongcheng_, {"agriculture"});
  Content records = food_penalty();
  records.name = "对农产品生产企业未建立或者未按照规定保存农产品生产记录的行政处罚";
  records.sector = "agriculture";
  records.bases = {Basis{.norm_id = farm_, .article = 47}};
  records.effective_from = "2020-01-01";
  Content labels = records;
  labels.name = "对销售的农产品未按照规定进行包装、标识的行政处罚";
  labels.bases = {Basis{.norm_id = farm_, .article = 48}};
  const auto x = published(agriculture, records);
  const auto y = published(agriculture, labels);
  const auto z = published(market_, food_penalty());
  EXPECT_FALSE(item(x).flagged);

  auto repealed = library_->repeal(office(), farm_, "2025-09-30",
                                   "《全国人民代表大会常务委员会关于废止部分法律的决定》");
  ASSERT_TRUE(repealed) << repealed.error().message;
  EXPECT_EQ(repealed->repealed_on, std::optional<std::string>("2025-09-30"));
  EXPECT_TRUE(item(x).flagged);
  EXPECT_TRUE(item(x).content.bases[0].stale);
  EXPECT_TRUE(item(y).flagged);
  EXPECT_FALSE(item(z).flagged);
  auto list = powers_->items(office(), ItemQuery{.flagged_only = true});
  ASSERT_TRUE(list);
  EXPECT_EQ(ids_of(*list), sorted({x, y}));
  auto by_norm = powers_->items(office(), ItemQuery{.flagged_only = true, .norm_id = farm_});
  ASSERT_TRUE(by_norm);
  EXPECT_EQ(ids_of(*by_norm), sorted({x, y}));

  // An amendment of an item on a repealed law does not go to review …
  ASSERT_TRUE(powers_->transition(admin(agriculture), x, "amend", "法律已废止"));
  auto submit = powers_->transition(admin(agriculture), x, "submit", "");
  ASSERT_FALSE(submit);
  EXPECT_EQ(submit.error().code, ErrorCode::kPowersBasisStale);

  // … its cancellation does: that is what a repealed basis calls for.
  auto cancel = powers_->request_change(admin(agriculture), y,
                                        {.action = "cancel", .comment = "所依据的法律已废止"});
  ASSERT_TRUE(cancel) << cancel.error().message;
  EXPECT_EQ(cancel->status, "submitted");
  auto approved = powers_->transition(office(), y, "approve", "同意取消");
  ASSERT_TRUE(approved) << approved.error().message;
  auto done = powers_->transition(office(), y, "publish", "");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "cancelled");
  EXPECT_EQ(done->cancelled_on, std::optional<std::string>(today()));
  auto gone = powers_->public_item(y);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kPowersNotFound);
  EXPECT_TRUE(powers_->public_item(x));  // its published version stays until replaced
}

INSTANTIATE_TEST_SUITE_P(Dialects, PowerChangesTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::powers
