#include "org/demo.hpp"

#include <gtest/gtest.h>

#include "org/repository.hpp"
#include "org_fixture.hpp"

namespace xzzf::org {
namespace {

using storage::Tx;
using testing::OrgTest;

struct Counts {
  std::int64_t jurisdictions, departments, agencies, posts, subjects, changes;
  friend bool operator==(const Counts&, const Counts&) = default;
};

class DemoTest : public OrgTest {
 protected:
  Counts counts() {
    auto c = db_->read([](Tx& tx) -> Result<Counts> {
      Counts out{};
      std::int64_t* fields[] = {&out.jurisdictions, &out.departments, &out.agencies,
                                &out.posts,         &out.subjects,    &out.changes};
      const char* tables[] = {"jurisdictions", "departments", "agencies",
                              "posts",         "subjects",    "org_changes"};
      for (std::size_t i = 0; i < 6; ++i) {
        auto n = repo::count_rows(tx, tables[i]);
        if (!n) return tl::unexpected(n.error());
        *fields[i] = *n;
      }
      return out;
    });
    EXPECT_TRUE(c) << c.error().message;
    return c.value_or(Counts{});
  }
};

TEST_P(DemoTest, LoadsYongchengOnceAndOnlyOnce) {
  auto first = load_demo(*db_, clock_);
  ASSERT_TRUE(first) << first.error().message;
  const Counts after_first = counts();
  auto second = load_demo(*db_, clock_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(counts(), after_first);
  EXPECT_EQ(second->county_id, first->county_id);
  EXPECT_EQ(second->department_ids, first->department_ids);
  EXPECT_EQ(second->market_id, first->market_id);

  EXPECT_GE(after_first.departments, 10);
  EXPECT_GE(first->township_ids.size(), 2u);
  EXPECT_GT(after_first.agencies, after_first.departments);

  auto everything =
      svc_->departments(root(), DepartmentQuery{.page = {.page = 1, .page_size = 200}});
  ASSERT_TRUE(everything);
  int legal_offices = 0;
  int in_townships = 0;
  for (const auto& d : everything->items) {
    if (d.is_legal_office) {
      ++legal_offices;
      EXPECT_EQ(d.name, "永城市司法局");
      EXPECT_EQ(d.id, first->legal_office_id);
    }
    if (d.jurisdiction_id != first->county_id) ++in_townships;
    EXPECT_FALSE(d.sectors.empty()) << d.name;
  }
  EXPECT_EQ(legal_offices, 1);
  EXPECT_GE(in_townships, 2);

  auto confirmed = svc_->subjects(root(), SubjectQuery{.status = std::string("confirmed")});
  ASSERT_TRUE(confirmed);
  EXPECT_GE(confirmed->total, 10);
  auto proposed = svc_->subjects(root(), SubjectQuery{.status = std::string("proposed")});
  ASSERT_TRUE(proposed);
  EXPECT_EQ(proposed->total, 1);
  auto revoked = svc_->subjects(root(), SubjectQuery{.status = std::string("revoked")});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->total, 1);
  auto shown = svc_->public_subjects(PublicSubjectQuery{.page = {.page = 1, .page_size = 200}});
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->total, confirmed->total);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DemoTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::org
