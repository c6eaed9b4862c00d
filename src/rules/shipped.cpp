#include "rules/shipped.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>
#include <set>

#include "core/embedded.hpp"
#include "core/time.hpp"

namespace xzzf::embedded {
const std::vector<File>& rules_data_files();
}  // namespace xzzf::embedded

namespace xzzf::rules {
namespace {

using nlohmann::json;

constexpr std::string_view kRulesFile = "src/rules/data/rules.json";

tl::unexpected<Error> bad(const std::string& where, const std::string& detail) {
  return fail(ErrorCode::kRulesInvalid, field("field", where), field("detail", detail));
}

Result<std::string> text(const json& o, const char* name, const std::string& where,
                         bool required = true) {
  auto it = o.find(name);
  if (it == o.end() || it->is_null()) {
    if (required) return bad(where, std::string("缺少 ") + name);
    return std::string();
  }
  if (!it->is_string()) return bad(where, std::string(name) + " 应为字符串");
  return it->get<std::string>();
}

Result<void> valid_date(const std::string& d, const std::string& where) {
  if (auto p = Date::parse(d); !p) return bad(where, "日期无效：" + d);
  return {};
}

}  // namespace

const RuleKey* ShippedRules::key(std::string_view k) const {
  for (const auto& rk : keys) {
    if (rk.key == k) return &rk;
  }
  return nullptr;
}

Result<ShippedRules> parse_shipped_rules(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (!doc.is_object()) return bad("rules.json", "不是 JSON 对象");
  ShippedRules out;
  const json regions = doc.value("regions", json::object());
  const json keys = doc.value("keys", json::array());
  const json versions = doc.value("versions", json::array());
  for (const auto& [code, name] : regions.items()) {
    if (region_level(code) < 0 || !name.is_string()) return bad("regions", code);
    out.regions.emplace(code, name.get<std::string>());
  }
  for (const auto& k : keys) {
    RuleKey rk;
    XZZF_TRY(key, text(k, "key", "keys"));
    const std::string where = "keys." + key;
    XZZF_TRY(name, text(k, "name", where));
    XZZF_TRY(unit, text(k, "unit", where));
    XZZF_TRY(description, text(k, "description", where, false));
    if (!is_unit(unit)) return bad(where, "单位无效：" + unit);
    if (out.key(key) != nullptr) return bad(where, "键重复");
    out.keys.push_back({key, name, unit, description});
  }
  std::set<std::string> ids;
  for (const auto& v : versions) {
    Rule r;
    XZZF_TRY(id, text(v, "id", "versions"));
    const std::string where = "versions." + id;
    if (!ids.insert(id).second) return bad(where, "id 重复");
    r.shipped_id = id;
    XZZF_TRY(key, text(v, "key", where));
    const RuleKey* rk = out.key(key);
    if (rk == nullptr) return bad(where, "未在 keys 中声明的键：" + key);
    r.key = key;
    r.name = rk->name;
    XZZF_TRY(region, text(v, "region_code", where));
    if (!out.regions.contains(region)) return bad(where, "regions 中没有 " + region);
    r.region_code = region;
    r.region_name = out.regions.find(region)->second;
    XZZF_TRY(sector, text(v, "sector", where, false));
    r.sector = sector;
    if (!v.contains("value") || !v["value"].is_number_integer() ||
        v["value"].get<long long>() < 0) {
      return bad(where, "value 应为非负整数");
    }
    r.value = v["value"].get<std::int64_t>();
    XZZF_TRY(unit, text(v, "unit", where, false));
    r.unit = unit.empty() ? rk->unit : unit;
    if (!same_unit_family(r.unit, rk->unit)) return bad(where, "单位与键不符：" + r.unit);
    XZZF_TRY(from, text(v, "effective_from", where));
    XZZF_CHECK(valid_date(from, where));
    r.effective_from = from;
    XZZF_TRY(to, text(v, "effective_to", where, false));
    if (!to.empty()) {
      XZZF_CHECK(valid_date(to, where));
      if (to <= from) return bad(where, "effective_to 应晚于 effective_from");
      r.effective_to = to;
    }
    XZZF_TRY(norm, text(v, "norm", where));
    XZZF_TRY(article, text(v, "article", where));
    if (norm.empty() || article.empty()) return bad(where, "须有出处（norm 与 article）");
    r.norm = norm;
    r.article = article;
    XZZF_TRY(note, text(v, "note", where, false));
    r.note = note;
    if (!v.contains("confirmed") || !v["confirmed"].is_boolean()) {
      return bad(where, "confirmed 应为 true 或 false");
    }
    r.confirmed = v["confirmed"].get<bool>();
    if (!r.confirmed && r.note.empty()) return bad(where, "未核实的值须在 note 中说明");
    out.versions.push_back(std::move(r));
  }
  // Versions of one line (key, region, sector) must not overlap.
  for (std::size_t i = 0; i < out.versions.size(); ++i) {
    for (std::size_t j = i + 1; j < out.versions.size(); ++j) {
      const Rule& a = out.versions[i];
      const Rule& b = out.versions[j];
      if (a.key != b.key || a.region_code != b.region_code || a.sector != b.sector) continue;
      const bool a_before_b = a.effective_to && *a.effective_to <= b.effective_from;
      const bool b_before_a = b.effective_to && *b.effective_to <= a.effective_from;
      if (!a_before_b && !b_before_a) {
        return bad("versions." + *b.shipped_id, "与 " + *a.shipped_id + " 的施行期间重叠");
      }
    }
  }
  return out;
}

const ShippedRules& shipped_rules() {
  static const ShippedRules rules = [] {
    for (const auto& f : embedded::rules_data_files()) {
      if (f.path != kRulesFile) continue;
      auto parsed = parse_shipped_rules(f.bytes);
      if (!parsed) {
        spdlog::critical("{}: {}", kRulesFile, parsed.error().message);
        std::abort();
      }
      return *std::move(parsed);
    }
    spdlog::critical("{} is not compiled into this binary", kRulesFile);
    std::abort();
  }();
  return rules;
}

}  // namespace xzzf::rules
