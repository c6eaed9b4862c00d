#include "org/demo.hpp"

#include <vector>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "org/repository.hpp"
#include "org/service.hpp"

namespace xzzf::org {
namespace {

using storage::Tx;

struct DemoTownship {
  const char* code;
  const char* name;
};

// Townships (乡镇、街道) of 永城市. The names are real; the 9-digit codes follow
// the national rule for codes below county level (GB/T 10114: 001–099 街道,
// 100–199 镇) but could not be confirmed against the published list and are
// NOT the official codes: replace them from the 民政部 list before real use.
constexpr DemoTownship kTownships[] = {
    {"411481001", "演集街道"}, {"411481002", "侯岭街道"}, {"411481003", "东城街道"},
    {"411481100", "城关镇"},   {"411481101", "芒山镇"},   {"411481102", "酂城镇"},
};

struct DemoAgency {
  const char* name;
  const char* duties;
};

struct DemoPost {
  const char* name;
  const char* agency;  // name of one of the department's agencies, or nullptr
  bool enforcement;
};

enum class SubjectFate : std::uint8_t { kPublished, kProposed, kRevoked };

struct DemoSubject {
  const char* name;
  const char* kind;
  const char* basis;
  SubjectFate fate;
};

struct DemoDepartment {
  const char* code;
  const char* jurisdiction_code;
  const char* name;
  const char* short_name;
  std::vector<std::string> sectors;
  bool legal_office;
  std::vector<DemoAgency> agencies;
  std::vector<DemoPost> posts;
  std::vector<DemoSubject> subjects;
};

// Departments of 永城市 under their names since the 2019 机构改革. The
// effective dates and the 确认文件 numbers below are demo values, not the
// dates and numbers of real documents.
const std::vector<DemoDepartment>& departments() {
  using F = SubjectFate;
  static const std::vector<DemoDepartment> list = {
      {"411481-SFJ",
       "411481",
       "永城市司法局",
       "永司",
       {"other"},
       true,
       {{"行政执法协调监督股", "行政执法主体确认、权责清单审核、执法监督、考核与责任追究"},
        {"法治督察股", "法治政府建设督察"}},
       {{"执法监督岗", "行政执法协调监督股", false}, {"督察岗", "法治督察股", false}},
       {{"永城市司法局", "statutory", "《中华人民共和国律师法》《中华人民共和国公证法》等法律法规",
         F::kPublished}}},
      {"411481-SCJG",
       "411481",
       "永城市市场监督管理局",
       "永市监",
       {"market"},
       false,
       {{"法规股", "法制审核、执法监督、普法"},
        {"执法稽查大队", "市场监管领域行政处罚案件的查办"},
        {"食品安全监管股", "食品生产经营监督检查"}},
       {{"执法岗", "执法稽查大队", true},
        {"食品安全检查岗", "食品安全监管股", true},
        {"法制审核岗", "法规股", false}},
       {{"永城市市场监督管理局", "statutory",
         "《中华人民共和国产品质量法》《中华人民共和国消费者权益保护法》《河南省产品质量监督管理条"
         "例》等",
         F::kPublished}}},
      {"411481-CGJ",
       "411481",
       "永城市城市管理局",
       "永城管",
       {"urban", "housing"},
       false,
       {{"政策法规股", "法制审核、执法监督"},
        {"城市管理综合行政执法大队", "市容环境卫生、园林绿化、市政公用等领域的行政处罚"}},
       {{"执法岗", "城市管理综合行政执法大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市城市管理局", "authorized",
         "《中华人民共和国行政处罚法》第十八条（相对集中行政处罚权）；《城市市容和环境卫生管理条例"
         "》；《商丘市城市市容和环境卫生管理条例》",
         F::kPublished}}},
      {"411481-STHJ",
       "411481",
       "商丘市生态环境局永城分局",
       "永环",
       {"ecology"},
       false,
       {{"法规股", "法制审核"}, {"生态环境保护综合行政执法大队", "生态环境领域的行政处罚"}},
       {{"执法岗", "生态环境保护综合行政执法大队", true}, {"法制审核岗", "法规股", false}},
       {{"商丘市生态环境局永城分局", "statutory",
         "《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》《河南省大气污染防治条例》等",
         F::kPublished}}},
      {"411481-JTYS",
       "411481",
       "永城市交通运输局",
       "永交",
       {"transport"},
       false,
       {{"政策法规股", "法制审核"}, {"交通运输综合行政执法大队", "公路路政、道路运输的行政处罚"}},
       {{"执法岗", "交通运输综合行政执法大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市交通运输局", "statutory", "《中华人民共和国公路法》《河南省道路运输条例》等",
         F::kPublished}}},
      {"411481-WGL",
       "411481",
       "永城市文化广电和旅游局",
       "永文旅",
       {"culture"},
       false,
       {{"政策法规股", "法制审核"},
        {"文化市场综合行政执法大队", "文化、文物、出版、广播电视、旅游市场的行政处罚"}},
       {{"执法岗", "文化市场综合行政执法大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市文化广电和旅游局", "statutory", "《中华人民共和国文物保护法》等", F::kPublished},
        {"永城市文化市场综合执法大队（改革前）", "authorized",
         "原永城市文化市场综合执法机构设置文件", F::kRevoked}}},
      {"411481-NYNC",
       "411481",
       "永城市农业农村局",
       "永农",
       {"agriculture"},
       false,
       {{"政策法规股", "法制审核"}, {"农业综合行政执法大队", "农业领域的行政处罚"}},
       {{"执法岗", "农业综合行政执法大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市农业农村局", "statutory",
         "《中华人民共和国农产品质量安全法》《中华人民共和国动物防疫法》等", F::kPublished}}},
      {"411481-YJGL",
       "411481",
       "永城市应急管理局",
       "永应急",
       {"emergency"},
       false,
       {{"政策法规股", "法制审核"}, {"安全生产执法监察大队", "安全生产监督检查与行政处罚"}},
       {{"执法岗", "安全生产执法监察大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市应急管理局", "statutory", "《中华人民共和国安全生产法》《河南省安全生产条例》等",
         F::kPublished}}},
      {"411481-ZRZY",
       "411481",
       "永城市自然资源局",
       "永自然资源",
       {"natural_resources"},
       false,
       {{"政策法规股", "法制审核"}, {"自然资源执法监察大队", "土地、矿产、规划的执法监察"}},
       {{"执法岗", "自然资源执法监察大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市自然资源局", "statutory",
         "《中华人民共和国土地管理法》《中华人民共和国城乡规划法》等", F::kPublished}}},
      {"411481-ZJ",
       "411481",
       "永城市住房和城乡建设局",
       "永建",
       {"housing"},
       false,
       {{"政策法规股", "法制审核"}, {"建设工程执法大队", "建筑市场和工程质量安全的行政处罚"}},
       {{"执法岗", "建设工程执法大队", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市住房和城乡建设局", "statutory", "《中华人民共和国建筑法》等", F::kPublished}}},
      {"411481-WJW",
       "411481",
       "永城市卫生健康委员会",
       "永卫健",
       {"health"},
       false,
       {{"政策法规股", "法制审核"}, {"综合监督股", "医疗卫生、公共卫生的监督执法"}},
       {{"执法岗", "综合监督股", true}, {"法制审核岗", "政策法规股", false}},
       {{"永城市卫生健康委员会", "statutory",
         "《中华人民共和国基本医疗卫生与健康促进法》《中华人民共和国传染病防治法》等",
         F::kPublished}}},
      {"411481-JTJ",
       "411481",
       "永城市教育体育局",
       "永教体",
       {"education"},
       false,
       {{"政策法规股", "法制审核、教育行政执法"}},
       {{"执法岗", "政策法规股", true}},
       {{"永城市教育体育局", "statutory",
         "《中华人民共和国教育法》《中华人民共和国民办教育促进法》等", F::kPublished}}},
      {"411481-SLJ",
       "411481",
       "永城市水利局",
       "永水",
       {"water"},
       false,
       {{"水政监察大队", "水资源、河道管理的执法监察"}},
       {{"执法岗", "水政监察大队", true}},
       {{"永城市水利局", "statutory", "《中华人民共和国水法》《中华人民共和国防洪法》等",
         F::kPublished}}},
      // Township 综合行政执法: county powers handed to the township by decision.
      {"411481101-ZF",
       "411481101",
       "永城市芒山镇人民政府",
       "芒山镇",
       {"urban", "agriculture", "natural_resources"},
       false,
       {{"综合行政执法大队", "以镇人民政府名义行使下放的行政处罚权"}},
       {{"执法岗", "综合行政执法大队", true}},
       {{"永城市芒山镇人民政府", "authorized",
         "《中华人民共和国行政处罚法》第二十四条；省人民政府关于赋予乡镇（街道）行政处罚权的决定",
         F::kPublished}}},
      {"411481001-BSC",
       "411481001",
       "永城市演集街道办事处",
       "演集街道",
       {"urban"},
       false,
       {{"综合行政执法大队", "以街道办事处名义行使下放的行政处罚权"}},
       {{"执法岗", "综合行政执法大队", true}},
       {{"永城市演集街道办事处", "authorized",
         "《中华人民共和国行政处罚法》第二十四条；省人民政府关于赋予乡镇（街道）行政处罚权的决定",
         F::kProposed}}},
  };
  return list;
}

constexpr const char* kDepartmentsFrom = "2019-03-01";
constexpr const char* kConfirmedOn = "2019-12-20";
constexpr const char* kConfirmation = "永政〔2019〕36号";
constexpr const char* kRevokedOn = "2019-12-20";

class Loader {
 public:
  Loader(storage::Database& db, const Clock& clock)
      : db_(db), trail_(db, clock), service_(db, trail_, clock) {
    caller_.username = "xzzf-demo";
    caller_.display_name = "演示数据";
    caller_.roles = {auth::Role::kLegalOffice};
    caller_.scope = auth::Scope::all();
  }

  Result<DemoOrg> run() {
    DemoOrg out;
    auto province = jurisdiction("410000", "河南省", "province", std::nullopt);
    if (!province) return tl::unexpected(province.error());
    out.province_id = *province;
    auto city = jurisdiction("411400", "商丘市", "city", out.province_id);
    if (!city) return tl::unexpected(city.error());
    out.city_id = *city;
    auto county = jurisdiction("411481", "永城市", "county", out.city_id);
    if (!county) return tl::unexpected(county.error());
    out.county_id = *county;
    std::map<std::string, std::int64_t> by_code = {{"411481", out.county_id}};
    for (const auto& t : kTownships) {
      auto id = jurisdiction(t.code, t.name, "township", out.county_id);
      if (!id) return tl::unexpected(id.error());
      out.township_ids[t.code] = *id;
      by_code[t.code] = *id;
    }
    for (const auto& d : departments()) {
      auto id = department(d, by_code.at(d.jurisdiction_code));
      if (!id) return tl::unexpected(id.error());
      out.department_ids[d.code] = *id;
    }
    out.legal_office_id = out.department_ids.at(kDemoLegalOfficeCode);
    out.market_id = out.department_ids.at(kDemoMarketCode);
    return out;
  }

 private:
  Result<std::int64_t> jurisdiction(const char* code, const char* name, const char* level,
                                    std::optional<std::int64_t> parent) {
    auto existing = db_.read([&](Tx& tx) { return repo::find_jurisdiction_by_code(tx, code); });
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return (*existing)->id;
    auto created = service_.create_jurisdiction(
        caller_, NewJurisdiction{.code = code, .name = name, .level = level, .parent_id = parent});
    if (!created) return tl::unexpected(created.error());
    return created->id;
  }

  Result<std::int64_t> department(const DemoDepartment& d, std::int64_t jurisdiction_id) {
    auto existing = db_.read([&](Tx& tx) { return repo::department_id_by_code(tx, d.code); });
    if (!existing) return tl::unexpected(existing.error());
    std::int64_t id = 0;
    if (*existing) {
      id = **existing;
    } else {
      auto created =
          service_.create_department(caller_, NewDepartment{.code = d.code,
                                                            .name = d.name,
                                                            .short_name = d.short_name,
                                                            .jurisdiction_id = jurisdiction_id,
                                                            .sectors = d.sectors,
                                                            .effective_from = kDepartmentsFrom,
                                                            .is_legal_office = d.legal_office});
      if (!created) return tl::unexpected(created.error());
      id = created->id;
    }
    std::map<std::string, std::int64_t> agency_ids;
    for (const auto& a : d.agencies) {
      auto found = db_.read([&](Tx& tx) { return repo::find_agency_by_name(tx, id, a.name); });
      if (!found) return tl::unexpected(found.error());
      if (*found) {
        agency_ids[a.name] = (*found)->id;
        continue;
      }
      auto created = service_.create_agency(
          caller_, id,
          NewAgency{.name = a.name, .duties = a.duties, .effective_from = kDepartmentsFrom});
      if (!created) return tl::unexpected(created.error());
      agency_ids[a.name] = created->id;
    }
    for (const auto& p : d.posts) {
      auto taken = db_.read([&](Tx& tx) { return repo::post_name_taken(tx, id, p.name); });
      if (!taken) return tl::unexpected(taken.error());
      if (*taken) continue;
      NewPost post{.name = p.name, .is_enforcement = p.enforcement};
      if (p.agency != nullptr) post.agency_id = agency_ids.at(p.agency);
      if (auto created = service_.create_post(caller_, id, post); !created) {
        return tl::unexpected(created.error());
      }
    }
    for (const auto& s : d.subjects) {
      if (auto r = subject(s, id); !r) return tl::unexpected(r.error());
    }
    return id;
  }

  Result<void> subject(const DemoSubject& s, std::int64_t department_id) {
    auto found =
        db_.read([&](Tx& tx) { return repo::subject_id_by_name(tx, department_id, s.name); });
    if (!found) return tl::unexpected(found.error());
    if (*found) return {};
    auto proposed = service_.propose_subject(
        caller_,
        NewSubject{
            .name = s.name, .kind = s.kind, .department_id = department_id, .basis = s.basis});
    if (!proposed) return tl::unexpected(proposed.error());
    if (s.fate == SubjectFate::kProposed) return {};
    auto confirmed = service_.confirm_subject(
        caller_, proposed->id,
        SubjectConfirmation{.confirmation_document = kConfirmation, .confirmed_on = kConfirmedOn});
    if (!confirmed) return tl::unexpected(confirmed.error());
    if (s.fate == SubjectFate::kRevoked) {
      auto revoked = service_.revoke_subject(
          caller_, proposed->id,
          SubjectRevocation{.reason = "机构改革后其职责由所属部门统一行使，原主体资格撤销",
                            .revoked_on = kRevokedOn});
      if (!revoked) return tl::unexpected(revoked.error());
      return {};
    }
    auto published = service_.publish_subject(caller_, proposed->id);
    if (!published) return tl::unexpected(published.error());
    return {};
  }

  storage::Database& db_;
  audit::AuditTrail trail_;
  OrgService service_;
  auth::Caller caller_;
};

}  // namespace

Result<DemoOrg> load_demo(storage::Database& db, const Clock& clock) {
  Loader loader(db, clock);
  return loader.run();
}

}  // namespace xzzf::org
