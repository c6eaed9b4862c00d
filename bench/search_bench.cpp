// xzzf_search_bench: Chinese search on N items (QUALITY.md "Benchmarks" 4).
// The indexed query (search::find, as the portal's list asks it: the total,
// exact up to a cap of 1,000, and the first page of 20 ids in the portal's
// order of department, code and id) against a full scan of the same
// normalized text (instr() on SQLite, strpos() on PostgreSQL: the exact
// COUNT and the same page) in the same run, alternating query by query so
// that noise hits both alike. Queries of 1, 2 and 3+ characters, each class a mix of
// common and selective ones (the match counts are printed); p50 and p95 per
// class and per query, and the ratios indexed/scan (target: p95 ≤ 0.05).
//
// The items are generated from realistic fragments (power-item names, codes,
// departments, basis titles, a long tail of town and business names) with a
// fixed seed, so that every run on every machine holds the same data.
//
// A benchmark never fails for being slow: the program exits non-zero only when
// the database cannot be used or the indexed answer differs from the scan's.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "search/index.hpp"
#include "search/normalize.hpp"
#include "storage/database.hpp"

namespace xzzf::bench {
namespace {

using storage::Database;
using storage::DbUrl;
using storage::Dialect;
using storage::Params;
using storage::Tx;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kKind = "bench_item";
constexpr int kPageSize = 20;
std::int64_t total_cap = 1000;  // --cap; portal.search_total_cap's default

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double millis_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

Error bench_error(std::string detail) {
  return make_error(ErrorCode::kDbError, field("detail", std::move(detail)));
}

int report(const Error& e) {
  fmt::print(stderr, "xzzf_search_bench: {} [{}]\n", e.message, e.code_string());
  return 1;
}

// The q-quantile (0 < q ≤ 1) of `values` by the nearest-rank method; sorts them.
double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// SplitMix64: the same stream for the same seed on every machine.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

// ---------------------------------------------------------------------------
// Items

constexpr std::array<std::string_view, 16> kSubjects = {
    "生产经营者",       "食品生产者",         "药品经营企业",
    "特种设备使用单位", "网络交易平台经营者", "医疗机构",
    "建设单位",         "出租汽车经营者",     "餐饮服务提供者",
    "食品小作坊",       "危险化学品经营单位", "互联网上网服务营业场所",
    "旅行社",           "道路运输经营者",     "用人单位",
    "娱乐场所"};
constexpr std::array<std::string_view, 18> kActs = {"生产经营不符合食品安全标准的食品",
                                                    "未取得许可从事生产经营活动",
                                                    "未按规定建立进货查验记录制度",
                                                    "使用未经检验的特种设备",
                                                    "拒绝、阻挠监督检查",
                                                    "伪造、变造许可证件",
                                                    "未按规定公示收费标准",
                                                    "销售超过保质期的食品",
                                                    "未经许可擅自从事经营",
                                                    "排放污染物超过标准",
                                                    "未在显著位置公示营业执照",
                                                    "拒不改正违法行为",
                                                    "未依法履行安全生产管理职责",
                                                    "擅自变更经营场所",
                                                    "未按规定报告安全事故",
                                                    "超范围经营",
                                                    "未按规定开具发票",
                                                    "违规发布广告"};
constexpr std::array<std::string_view, 8> kForms = {
    "对{s}{a}的处罚",       "对{s}{a}的行政强制",     "对{s}{a}的检查", "{s}{a}的行政处罚",
    "对{s}{a}的查封、扣押", "对{s}{a}的责令停产停业", "{s}许可",        "{s}备案"};
constexpr std::array<std::string_view, 6> kRegions = {"411481", "411400", "410000",
                                                      "411402", "411403", "411421"};
constexpr std::array<std::string_view, 12> kUnits = {"SCJG", "WJW", "JTYS", "YJGL", "HBJ", "ZHZF",
                                                     "GTZY", "ZJJ", "WHLY", "SWJ",  "RSJ", "NYNC"};
constexpr std::array<std::string_view, 5> kCategories = {"CF", "XK", "QZ", "JC", "QT"};
constexpr std::array<std::string_view, 12> kBodies = {
    "市场监督管理局",   "卫生健康委员会", "交通运输局",           "应急管理局",
    "生态环境局",       "综合行政执法局", "自然资源局",           "住房和城乡建设局",
    "文化广电和旅游局", "税务局",         "人力资源和社会保障局", "农业农村局"};
constexpr std::array<std::string_view, 22> kBases = {
    "《中华人民共和国食品安全法》",
    "《中华人民共和国药品管理法》",
    "《特种设备安全监察条例》",
    "《河南省食品小作坊、小经营店和小摊点管理条例》",
    "《中华人民共和国行政处罚法》",
    "《网络交易监督管理办法》",
    "《巡游出租汽车经营服务管理规定》",
    "《中华人民共和国大气污染防治法》",
    "《中华人民共和国安全生产法》",
    "《危险化学品安全管理条例》",
    "《互联网上网服务营业场所管理条例》",
    "《旅行社条例》",
    "《中华人民共和国道路运输条例》",
    "《劳动保障监察条例》",
    "《娱乐场所管理条例》",
    "《中华人民共和国广告法》",
    "《中华人民共和国发票管理办法》",
    "《中华人民共和国城乡规划法》",
    "《中华人民共和国土地管理法》",
    "《建设工程质量管理条例》",
    "《河南省安全生产条例》",
    "《ISO 9001 质量管理体系 要求》"};
// The long tail: towns and business names make rare words.
constexpr std::array<std::string_view, 30> kTowns = {
    "永城市", "商丘市", "河南省", "芒山镇", "演集镇", "城关镇", "侯岭乡",   "黄口镇",
    "酂城镇", "裴桥镇", "马桥镇", "薛湖镇", "蒋口镇", "陈集镇", "十八里镇", "太丘镇",
    "李寨镇", "苗桥镇", "顺和镇", "茴村镇", "龙岗镇", "马牧镇", "双桥乡",   "新桥镇",
    "高庄镇", "卧龙镇", "条河镇", "刘河镇", "王集乡", "东城区"};
constexpr std::string_view kBrandChars =
    "鑫隆盛泰华丰源兴达昌恒瑞祥福康宏伟嘉诚信德润金顺通新远安佳美和晟豪锦旺富利";

struct Item {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::vector<std::string> fields;  // name, code, department, basis
};

std::string replaced(std::string_view form, std::string_view s, std::string_view a) {
  std::string out(form);
  if (auto at = out.find("{s}"); at != std::string::npos) out.replace(at, 3, s);
  if (auto at = out.find("{a}"); at != std::string::npos) out.replace(at, 3, a);
  return out;
}

std::string brand(Random& r) {
  // Two characters of kBrandChars (3 bytes each) and a trade.
  static constexpr std::array<std::string_view, 6> kTrades = {"超市", "商行", "餐馆",
                                                              "药房", "网吧", "物流"};
  const std::size_t n = kBrandChars.size() / 3;
  std::string out;
  out += kBrandChars.substr(3 * r.below(n), 3);
  out += kBrandChars.substr(3 * r.below(n), 3);
  out += r.pick(kTrades);
  return out;
}

Item make_item(std::int64_t id, Random& r) {
  Item item;
  item.id = id;
  std::string subject(r.pick(kSubjects));
  // One item in five names a business of a town: rare words.
  if (r.below(5) == 0) subject = std::string(r.pick(kTowns)) + brand(r);
  std::string name = replaced(r.pick(kForms), subject, r.pick(kActs));
  const std::size_t unit = r.below(kUnits.size());
  std::string code = fmt::format("{}-{}-{}-{:03}", r.pick(kRegions), kUnits[unit],
                                 r.pick(kCategories), r.below(1000));
  // Some codes typed in full width or lower case, as imports bring them.
  if (r.below(20) == 0) {
    std::string wide;
    for (char c : code) {
      if (c >= 'A' && c <= 'Z') {
        const auto cp = static_cast<unsigned>(0xFF21 + (c - 'A'));
        wide += static_cast<char>(0xE0 | (cp >> 12));
        wide += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        wide += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        wide += c;
      }
    }
    code = wide;
  }
  item.department_id = static_cast<std::int64_t>(unit + 1);
  std::string department = std::string(r.pick(kTowns)) + std::string(kBodies[unit]);
  item.fields = {std::move(name), std::move(code), std::move(department),
                 std::string(r.pick(kBases))};
  return item;
}

// ---------------------------------------------------------------------------
// Fill

Result<std::int64_t> indexed_count(Database& db) {
  return db.read([](Tx& tx) -> Result<std::int64_t> {
    XZZF_TRY(row, tx.query_one("SELECT COUNT(*) FROM search_docs WHERE kind = ?", {kKind}));
    return row ? row->i64(0) : 0;
  });
}

Result<void> fill(Database& db, std::int64_t items) {
  // Ids as the modules' tables have them: a rowid on SQLite.
  const std::string id_column =
      db.dialect() == Dialect::kSqlite ? "id INTEGER PRIMARY KEY" : "id BIGINT PRIMARY KEY";
  XZZF_CHECK(db.write([&](Tx& tx) -> Result<void> {
    XZZF_TRY(n, tx.exec("CREATE TABLE IF NOT EXISTS bench_items (" + id_column +
                        ", department_id BIGINT NOT NULL, name TEXT NOT NULL, code TEXT NOT NULL, "
                        "department TEXT NOT NULL, basis TEXT NOT NULL)"));
    (void)n;
    // The portal's order (power_public_order, migration 0012).
    XZZF_TRY(i, tx.exec("CREATE INDEX IF NOT EXISTS bench_items_order ON bench_items "
                        "(department_id, code, id)"));
    (void)i;
    return {};
  }));
  XZZF_TRY(have, indexed_count(db));
  if (have == items) {
    fmt::print("fill: the database holds {} items: reused\n", items);
    return {};
  }
  if (have != 0) return tl::unexpected(bench_error("the database holds another number of items"));

  fmt::print("fill: {} items through search::put, 2,000 per transaction\n", items);
  std::fflush(stdout);
  Random r(20151001);
  const auto start = SteadyClock::now();
  constexpr std::int64_t kBatch = 2000;
  for (std::int64_t first = 1; first <= items; first += kBatch) {
    const std::int64_t last = std::min(items, first + kBatch - 1);
    auto batch = db.write([&](Tx& tx) -> Result<void> {
      for (std::int64_t id = first; id <= last; ++id) {
        Item item = make_item(id, r);
        XZZF_TRY(n, tx.exec("INSERT INTO bench_items (id, department_id, name, code, department, "
                            "basis) VALUES (?, ?, ?, ?, ?, ?)",
                            {item.id, item.department_id, item.fields[0], item.fields[1],
                             item.fields[2], item.fields[3]}));
        (void)n;
        XZZF_CHECK(search::put(tx, kKind, item.id, item.fields));
      }
      return {};
    });
    if (!batch) return batch;
  }
  const double took = seconds_since(start);
  fmt::print("fill: {:.1f} s, {:.0f} items/s\n", took, static_cast<double>(items) / took);
  // The scan's table: the very text search_docs holds and the order's
  // columns, nothing else, so that the reference reads no more than it must.
  XZZF_CHECK(db.write([&](Tx& tx) -> Result<void> {
    XZZF_TRY(created, tx.exec("CREATE TABLE bench_texts (" + id_column +
                              ", department_id BIGINT NOT NULL, code TEXT NOT NULL, "
                              "text TEXT NOT NULL)"));
    (void)created;
    XZZF_TRY(n, tx.exec("INSERT INTO bench_texts (id, department_id, code, text) "
                        "SELECT i.id, i.department_id, i.code, d.text FROM search_docs d "
                        "JOIN bench_items i ON i.id = d.doc_id WHERE d.kind = ?",
                        {kKind}));
    (void)n;
    return {};
  }));
  if (db.dialect() == Dialect::kPostgres) {
    // What autovacuum would have done by the time anyone searches (bench/search.sh
    // also runs VACUUM, which cannot run inside a transaction).
    XZZF_CHECK(db.write([](Tx& tx) -> Result<void> {
      for (const char* table : {"bench_items", "search_docs", "bench_texts"}) {
        XZZF_TRY(n, tx.exec(std::string("ANALYZE ") + table));
        (void)n;
      }
      return {};
    }));
  }
  return {};
}

Result<void> print_sizes(Database& db) {
  return db.read([&](Tx& tx) -> Result<void> {
    if (db.dialect() == Dialect::kSqlite) {
      XZZF_TRY(grams, tx.query_one("SELECT COUNT(*) FROM search_grams"));
      XZZF_TRY(pages, tx.query_one("PRAGMA page_count"));
      XZZF_TRY(page_size, tx.query_one("PRAGMA page_size"));
      fmt::print("index: {} search_grams rows; database file {:.0f} MB\n", grams->i64(0),
                 static_cast<double>(pages->i64(0) * page_size->i64(0)) / 1e6);
      return {};
    }
    XZZF_TRY(sizes, tx.query_one("SELECT pg_table_size('search_docs'), "
                                 "pg_relation_size('search_docs_trgm'), "
                                 "pg_relation_size('search_docs_chars'), "
                                 "pg_table_size('bench_texts')"));
    const auto mb = [&](std::size_t i) { return static_cast<double>(sizes->i64(i)) / 1e6; };
    fmt::print(
        "index: search_docs {:.0f} MB (text and chars), its trigram index {:.0f} MB, its "
        "chars index {:.0f} MB; the scan's table (id, text) {:.0f} MB\n",
        mb(0), mb(1), mb(2), mb(3));
    return {};
  });
}

// ---------------------------------------------------------------------------
// Queries

// A portal page: how many (the scan's exact count), and the first page of ids.
struct Answer {
  std::int64_t count = 0;
  bool capped = false;  // count is the cap, and more match
  std::vector<std::int64_t> page;
};

constexpr std::string_view kOrder = "department_id, code, id";

Result<Answer> indexed(Database& db, const std::string& q) {
  const search::Listing listing{.kind = kKind,
                                .table = "bench_items",
                                .id_column = "bench_items.id",
                                .order_by = std::string(kOrder),
                                .limit = kPageSize,
                                .total_cap = total_cap};
  return db.read([&](Tx& tx) -> Result<Answer> {
    XZZF_TRY(found, search::find(tx, listing, q));
    return Answer{found.total, found.total_capped, std::move(found.ids)};
  });
}

Result<Answer> scanned(Database& db, const std::string& q) {
  const std::string where =
      db.dialect() == Dialect::kSqlite ? " WHERE instr(text, ?) > 0" : " WHERE strpos(text, ?) > 0";
  return db.read([&](Tx& tx) -> Result<Answer> {
    Answer a;
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM bench_texts" + where, {q}));
    a.count = count ? count->i64(0) : 0;
    XZZF_TRY(rows, tx.query("SELECT id FROM bench_texts" + where + " ORDER BY " +
                                std::string(kOrder) + " LIMIT " + std::to_string(kPageSize),
                            {q}));
    for (const auto& row : rows) a.page.push_back(row.i64(0));
    return a;
  });
}

// The indexed answer is the scan's, its count capped as the portal shows it.
bool same(const Answer& indexed, const Answer& scan) {
  const bool more = scan.count > total_cap;
  return indexed.page == scan.page && indexed.capped == more &&
         indexed.count == (more ? total_cap : scan.count);
}

struct Query {
  std::string text;
  std::size_t length = 0;  // code points; 3 stands for 3 or more
  std::int64_t matches = 0;
  std::vector<double> indexed_ms;
  std::vector<double> scan_ms;
};

std::string selectivity(std::int64_t matches, std::int64_t items) {
  const double share = static_cast<double>(matches) / static_cast<double>(items);
  if (share >= 0.10) return "common";
  if (share >= 0.01) return "medium";
  return "selective";
}

Result<int> run(const DbUrl& url, std::int64_t items, int rounds, bool fill_only) {
  Database::Options options;
  options.pool_size = 2;
  XZZF_TRY(db, Database::open(url, options));
  XZZF_TRY(migrated, db->migrate());
  (void)migrated;
  XZZF_CHECK(fill(*db, items));
  if (fill_only) return 0;
  XZZF_CHECK(print_sizes(*db));

  // Per class, from very common to absent; written as users type them.
  const std::vector<std::string> raw = {
      // 1 character
      "的", "局", "食", "许", "镇", "扣", "鑫", "Q", "酂", "鳄",
      // 2 characters
      "经营", "食品", "许可", "扣押", "芒山", "鑫隆", "ＱＺ", "酂城", "鳄鱼",
      // 3 or more
      "市场监督管理局", "食品安全", "经营者", "特种设备", "超过保质期", "芒山镇鑫隆",
      "411481-scjg-cf-01", "ＳＣＪＧ-ＣＦ-123", "对旅行社违规发布广告的处罚", "鳄鱼皮革"};
  std::vector<Query> queries;
  for (const auto& r : raw) {
    XZZF_TRY(q, search::query_text(r));
    Query query;
    query.length = std::min<std::size_t>(3, search::code_points(q));
    query.text = std::move(q);
    queries.push_back(std::move(query));
  }

  fmt::print("\nqueries: {} rounds each, indexed and scan alternating; every answer compared\n",
             rounds);
  std::fflush(stdout);
  for (int round = 0; round < rounds + 1; ++round) {
    for (auto& q : queries) {
      // Alternate which side goes first, so that neither always finds the
      // pages the other just read.
      Answer a;
      Answer b;
      for (int side = 0; side < 2; ++side) {
        const bool index_side = (side == 0) == (round % 2 == 0);
        const auto start = SteadyClock::now();
        XZZF_TRY(answer, index_side ? indexed(*db, q.text) : scanned(*db, q.text));
        const double ms = millis_since(start);
        // Round 0 warms the caches and is not counted.
        if (round > 0) (index_side ? q.indexed_ms : q.scan_ms).push_back(ms);
        (index_side ? a : b) = std::move(answer);
      }
      if (!same(a, b)) {
        return tl::unexpected(bench_error(
            fmt::format("query \"{}\": index found {} (first page {}), the scan {} (first page {})",
                        q.text, a.count, fmt::join(a.page, ","), b.count, fmt::join(b.page, ","))));
      }
      q.matches = b.count;
    }
  }

  fmt::print("\n{:<26} {:>7} {:>9}  {:>9} {:>9}  {:>9} {:>9}  {:>7}\n", "query", "matches", "",
             "idx p50", "idx p95", "scan p50", "scan p95", "p95 ÷");
  for (auto& q : queries) {
    const double ip50 = quantile(q.indexed_ms, 0.5);
    const double ip95 = quantile(q.indexed_ms, 0.95);
    const double sp50 = quantile(q.scan_ms, 0.5);
    const double sp95 = quantile(q.scan_ms, 0.95);
    // Pad by display width: a CJK character takes two columns.
    const std::size_t cps = search::code_points(q.text);
    const std::size_t wide = (q.text.size() - cps) / 2;
    const std::size_t width = cps + wide;
    fmt::print("{}{} {:>7} {:>9}  {:>7.2f}ms {:>7.2f}ms  {:>7.2f}ms {:>7.2f}ms  {:>7.3f}\n", q.text,
               std::string(width < 26 ? 26 - width : 0, ' '), q.matches,
               selectivity(q.matches, items), ip50, ip95, sp50, sp95, ip95 / sp95);
  }

  // Per length, all its queries; then per length and selectivity.
  fmt::print("\n{:<20} {:>9} {:>9}  {:>9} {:>9}  {:>7} {:>7}  {}\n", "length", "idx p50", "idx p95",
             "scan p50", "scan p95", "p50 ÷", "p95 ÷", "target p95 ÷ ≤ 0.05");
  const auto summary = [&](std::size_t length, std::string_view bucket) {
    std::vector<double> index_ms;
    std::vector<double> scan_ms;
    int n = 0;
    for (const auto& q : queries) {
      if (q.length != length) continue;
      if (!bucket.empty() && selectivity(q.matches, items) != bucket) continue;
      ++n;
      index_ms.insert(index_ms.end(), q.indexed_ms.begin(), q.indexed_ms.end());
      scan_ms.insert(scan_ms.end(), q.scan_ms.begin(), q.scan_ms.end());
    }
    if (n == 0) return;
    const double ip50 = quantile(index_ms, 0.5);
    const double ip95 = quantile(index_ms, 0.95);
    const double sp50 = quantile(scan_ms, 0.5);
    const double sp95 = quantile(scan_ms, 0.95);
    std::string label = length == 3 ? "3+" : std::to_string(length);
    label += bucket.empty() ? fmt::format(" (all {})", n) : fmt::format("  {} ({})", bucket, n);
    fmt::print("{:<20} {:>7.2f}ms {:>7.2f}ms  {:>7.2f}ms {:>7.2f}ms  {:>7.3f} {:>7.3f}  {}\n",
               label, ip50, ip95, sp50, sp95, ip50 / sp50, ip95 / sp95,
               ip95 / sp95 <= 0.05 ? "met" : "not met");
  };
  for (std::size_t length : {1, 2, 3}) summary(length, "");
  fmt::print("\n");
  for (std::size_t length : {1, 2, 3}) {
    for (std::string_view bucket : {"common", "medium", "selective"}) summary(length, bucket);
  }
  fmt::print("(common: ≥ 10% of the items match, medium: ≥ 1%, selective: fewer)\n");
  return 0;
}

}  // namespace
}  // namespace xzzf::bench

int main(int argc, char** argv) {
  CLI::App app{"xzzf_search_bench: indexed Chinese search vs a full scan (QUALITY.md 4)"};
  std::string url_text;
  std::int64_t items = 100000;
  int rounds = 15;
  app.add_option("--db", url_text, "database URL (sqlite:///abs/path.db or postgresql://…)")
      ->required();
  app.add_option("--items", items, "items to fill (a filled database is reused)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  app.add_option("--rounds", rounds, "timed rounds per query and side")
      ->check(CLI::Range(1, 10000));
  app.add_option("--cap", xzzf::bench::total_cap,
                 "the total is exact up to this (portal.search_total_cap)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  bool fill_only = false;
  app.add_flag("--fill-only", fill_only, "fill the database and stop");
  CLI11_PARSE(app, argc, argv);

  auto url = xzzf::storage::DbUrl::parse(url_text);
  if (!url) return xzzf::bench::report(url.error());
  auto r = xzzf::bench::run(*url, items, rounds, fill_only);
  if (!r) return xzzf::bench::report(r.error());
  return *r;
}
