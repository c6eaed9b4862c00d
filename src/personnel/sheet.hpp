#pragma once

// The spreadsheet layouts of personnel/ (导入模板), read and written with
// sheets/: officers entered in bulk (执法人员导入模板), and the certificate
// numbers the province issued (证件编号导入模板). Each template checks the
// form of its cells (a known 人员性质, 是 or 否, a date, a valid 居民身份证号码);
// PersonnelService checks each row as the form would, then imports all rows in
// one transaction or none.
//
// A message about a cell never repeats an ID number or a phone: a report is
// shown, copied and logged, and personal data must not travel with it. Where a
// message must point at a person, it shows the ID number masked.
//
// Templates are built once and read only: safe to use from several threads.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sheets/table.hpp"
#include "sheets/writer.hpp"

namespace xzzf::personnel {

// The most rows one import takes (all of them in one transaction), as for
// the power lists (powers::kMaxImportRows).
inline constexpr std::size_t kMaxImportRows = 2000;

// What an import answers: how many rows it took, or — when any row is
// invalid — nothing imported and every issue by row and column.
struct ImportReport {
  int imported = 0;
  std::vector<sheets::RowIssue> issues;
};

// 姓名, 身份证号码, 联系电话, 人员性质, 法律职业资格, 岗位, 到岗日期. Keys:
// full_name, id_number, phone, employment, legal_qualification, post, started_on.
[[nodiscard]] const sheets::Template& officer_template();
// 姓名, 身份证号码, 证件种类, 证件编号, 发证日期, 有效期至. Keys: full_name,
// id_number, kind, number, issued_on, expires_on.
[[nodiscard]] const sheets::Template& number_template();

// The example rows the blank templates carry. Their ID number is made up
// (kExampleIdNumber) and an import refuses it, so that a forgotten example
// row never becomes a person.
[[nodiscard]] sheets::Rows officer_example();
[[nodiscard]] sheets::Rows number_example();

// The example's 居民身份证号码: 永城市 (411481), born 1900-01-01, serial 001,
// with its MOD 11-2 check character (valid, so the example shows the form,
// but obviously no officer's: born in 1900).
[[nodiscard]] const std::string& example_id_number();

// 人员性质 as written in a cell: the Chinese name (在编在职人员) or the code
// (established) → the code.
[[nodiscard]] std::optional<std::string> employment_of(std::string_view cell);
// 法律职业资格: 是 → true, 否 or empty → false.
[[nodiscard]] std::optional<bool> yes_no(std::string_view cell);
// 证件种类: 行政执法证 or enforcement → enforcement; 行政执法监督证 or
// supervision → supervision.
[[nodiscard]] std::optional<std::string> certificate_kind_of(std::string_view cell);
// The Chinese name of a certificate kind.
[[nodiscard]] const char* certificate_kind_name(std::string_view kind);

// A cell with surrounding white space (ASCII or U+3000) removed.
[[nodiscard]] std::string trimmed(std::string_view cell);

}  // namespace xzzf::personnel
