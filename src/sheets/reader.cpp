#include "sheets/reader.hpp"

#include <optional>
#include <utility>

#include "sheets/internal/text.hpp"
#include "sheets/internal/xml.hpp"
#include "sheets/internal/zip.hpp"

namespace xzzf::sheets {
namespace {

using internal::child_element;
using internal::element_text;
using internal::local_name;
using internal::XmlPart;
using internal::ZipArchive;

constexpr std::string_view kPackageRels = "_rels/.rels";

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // resolved to a part name, e.g. "xl/worksheets/sheet1.xml"
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "xl/workbook.xml" → "xl/".
std::string directory_of(std::string_view part) {
  const auto slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels".
std::string relationships_of(std::string_view part) {
  const auto slash = part.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return directory_of(part) + "_rels/" + std::string(base) + ".rels";
}

// A relationship target resolved against the folder of its source part, as
// OPC resolves relative references: "worksheets/sheet1.xml" from "xl/" →
// "xl/worksheets/sheet1.xml"; "/xl/x.xml" from the root. nullopt when it
// leaves the package or names no part.
std::optional<std::string> resolve_target(std::string_view base, std::string_view target) {
  if (target.empty() || target.find("://") != std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> segments;
  const auto push_path = [&](std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
      auto slash = path.find('/', start);
      if (slash == std::string_view::npos) slash = path.size();
      const std::string_view segment = path.substr(start, slash - start);
      start = slash + 1;
      if (segment.empty() || segment == ".") continue;
      if (segment == "..") {
        if (segments.empty()) return false;
        segments.pop_back();
        continue;
      }
      segments.push_back(segment);
    }
    return true;
  };
  if (target.front() != '/' && !push_path(base)) return std::nullopt;
  if (!push_path(target) || segments.empty()) return std::nullopt;
  std::string out;
  for (std::string_view s : segments) {
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

// The relationships of part `source`, read from `rels_name`.
Result<std::vector<Relationship>> read_relationships(ZipArchive& zip, const std::string& rels_name,
                                                     std::string_view source,
                                                     const Limits& limits) {
  XZZF_TRY(part, internal::load_xml(zip, rels_name, limits));
  const pugi::xml_node root = part->doc.document_element();
  if (local_name(root.name()) != "Relationships") {
    return fail(ErrorCode::kSheetsBadXml, field("part", rels_name),
                field("detail", std::string("根元素不是 Relationships")));
  }
  std::vector<Relationship> out;
  const std::string base = directory_of(source);
  for (pugi::xml_node rel : root.children()) {
    if (rel.type() != pugi::node_element || local_name(rel.name()) != "Relationship") continue;
    if (std::string_view(rel.attribute("TargetMode").value()) == "External") continue;
    auto target = resolve_target(base, rel.attribute("Target").value());
    if (!target) continue;
    out.push_back({rel.attribute("Id").value(), rel.attribute("Type").value(), std::move(*target)});
  }
  return out;
}

const Relationship* find_by_type(const std::vector<Relationship>& rels, std::string_view suffix) {
  for (const auto& r : rels) {
    if (ends_with(r.type, suffix)) return &r;
  }
  return nullptr;
}

// The value of the attribute of `node` in the relationships namespace whose
// local name is `name` (r:id, whatever the prefix).
std::string_view prefixed_attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a : node.attributes()) {
    const std::string_view full = a.name();
    if (full.find(':') != std::string_view::npos && local_name(a.name()) == name) return a.value();
  }
  return {};
}

// The text of a string item (<si> of the shared strings, <is> of an inline
// string): its <t>, or the <t> of each rich-text run <r>; phonetic runs
// (<rPh>) are not part of the text.
std::string string_item_text(pugi::xml_node item) {
  std::string out;
  for (pugi::xml_node child : item.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = local_name(child.name());
    if (name == "t") {
      out += element_text(child);
    } else if (name == "r") {
      out += element_text(child_element(child, "t"));
    }
  }
  return internal::decode_xstring(out);
}

Result<std::vector<std::string>> read_shared_strings(ZipArchive& zip, const std::string& name,
                                                     const Limits& limits) {
  XZZF_TRY(part, internal::load_xml(zip, name, limits));
  const pugi::xml_node root = part->doc.document_element();
  if (local_name(root.name()) != "sst") {
    return fail(ErrorCode::kSheetsBadXml, field("part", name),
                field("detail", std::string("根元素不是 sst")));
  }
  std::vector<std::string> out;
  for (pugi::xml_node si : root.children()) {
    if (si.type() == pugi::node_element && local_name(si.name()) == "si") {
      out.push_back(string_item_text(si));
    }
  }
  return out;
}

// Walks the rows of one worksheet part.
class SheetReader {
 public:
  SheetReader(const std::vector<std::string>& shared, std::string part, const Limits& limits)
      : shared_(shared), part_(std::move(part)), limits_(limits) {}

  Result<std::vector<SheetRow>> rows(const pugi::xml_document& doc) {
    const pugi::xml_node root = doc.document_element();
    if (local_name(root.name()) != "worksheet") {
      return fail(ErrorCode::kSheetsBadXml, field("part", part_),
                  field("detail", std::string("根元素不是 worksheet")));
    }
    std::vector<SheetRow> out;
    std::uint32_t last_row = 0;
    for (pugi::xml_node row : child_element(root, "sheetData").children()) {
      if (row.type() != pugi::node_element || local_name(row.name()) != "row") continue;
      XZZF_TRY(number, row_number(row, last_row));
      last_row = number;
      XZZF_TRY(cells, row_cells(row, number));
      if (cells.empty()) continue;
      // The first non-empty row is the header; max_rows counts the rest.
      if (out.size() > limits_.max_rows) {
        return fail(ErrorCode::kSheetsTooManyRows, field("limit", limits_.max_rows));
      }
      out.push_back({number, std::move(cells)});
    }
    return out;
  }

 private:
  Result<std::uint32_t> row_number(pugi::xml_node row, std::uint32_t last_row) const {
    const pugi::xml_attribute r = row.attribute("r");
    if (!r) {
      if (last_row >= internal::kMaxSheetRow) return bad_reference("行数超出工作表的范围");
      return last_row + 1;
    }
    const auto number = internal::parse_row_number(r.value());
    if (!number) return bad_reference(fmt::format("行号“{}”无效", clip(r.value())));
    if (*number <= last_row) {
      return bad_reference(
          fmt::format("第 {} 行出现在第 {} 行之后（行须按顺序且不重复）", *number, last_row));
    }
    return *number;
  }

  Result<std::vector<std::string>> row_cells(pugi::xml_node row, std::uint32_t number) const {
    std::vector<std::string> cells;
    std::uint32_t last_column = 0;
    for (pugi::xml_node c : row.children()) {
      if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
      std::uint32_t column = last_column + 1;
      if (const pugi::xml_attribute r = c.attribute("r")) {
        const auto ref = internal::parse_cell_ref(r.value());
        if (!ref) return bad_reference(fmt::format("单元格位置“{}”无效", clip(r.value())));
        if (ref->row != number) {
          return bad_reference(
              fmt::format("单元格 {} 写在第 {} 行中，行号不一致", r.value(), number));
        }
        if (ref->column <= last_column) {
          return bad_reference(
              fmt::format("单元格 {} 在同一行中重复或顺序颠倒", std::string_view(r.value())));
        }
        column = ref->column;
      } else if (column > internal::kMaxSheetColumn) {
        return bad_reference(fmt::format("第 {} 行的单元格超出工作表的范围", number));
      }
      last_column = column;
      XZZF_TRY(text, cell_text(c, column, number));
      if (text.empty()) continue;
      if (column > limits_.max_columns) {
        return fail(ErrorCode::kSheetsTooManyColumns, field("cell", cell_name(column, number)),
                    field("limit", limits_.max_columns));
      }
      if (cells.size() < column) cells.resize(column);
      cells[column - 1] = std::move(text);
    }
    return cells;
  }

  // "B7", for messages only.
  static std::string cell_name(std::uint32_t column, std::uint32_t row) {
    return internal::column_letters(column) + std::to_string(row);
  }

  Result<std::string> cell_text(pugi::xml_node c, std::uint32_t column, std::uint32_t row) const {
    const std::string_view type = c.attribute("t") ? c.attribute("t").value() : "n";
    const pugi::xml_node v = child_element(c, "v");
    if (type == "s") {
      if (!v) return std::string();
      const std::string index = element_text(v);
      const auto i = parse_index(index);
      if (!i || *i >= shared_.size()) {
        return fail(ErrorCode::kSheetsBadSharedString, field("cell", cell_name(column, row)),
                    field("index", clip(index)), field("count", shared_.size()));
      }
      return shared_[*i];
    }
    if (type == "inlineStr") return string_item_text(child_element(c, "is"));
    if (type == "str") return internal::decode_xstring(element_text(v));
    if (type == "b") {
      std::string value = element_text(v);
      if (value == "1") return std::string("TRUE");
      if (value == "0") return std::string("FALSE");
      return value;
    }
    if (type == "n" || type == "e" || type == "d") return element_text(v);
    return fail(ErrorCode::kSheetsBadXml, field("part", part_),
                field("detail", fmt::format("单元格 {} 的类型“{}”无法识别", cell_name(column, row),
                                            clip(type))));
  }

  static std::optional<std::size_t> parse_index(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    std::size_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
  }

  // Text from the file quoted in a message: at most 20 characters.
  static std::string clip(std::string_view text) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u && ++chars > 20) {
        out += "…";
        break;
      }
      out.push_back(text[i]);
    }
    return out;
  }

  static tl::unexpected<Error> bad_reference(std::string detail) {
    return fail(ErrorCode::kSheetsBadReference, field("detail", std::move(detail)));
  }

  const std::vector<std::string>& shared_;
  std::string part_;
  const Limits& limits_;
};

}  // namespace

Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return fail(ErrorCode::kSheetsFileTooLarge, field("size", bytes.size()),
                field("limit", limits.max_file_bytes));
  }
  XZZF_TRY(zip, ZipArchive::open(bytes, limits.max_entries, limits.max_uncompressed_bytes));

  // _rels/.rels names the workbook; the workbook's relationships name its
  // sheets and shared strings.
  XZZF_TRY(package_rels, read_relationships(zip, std::string(kPackageRels), "", limits));
  const Relationship* office = find_by_type(package_rels, "/officeDocument");
  if (office == nullptr) {
    return fail(ErrorCode::kSheetsMissingPart, field("part", std::string("工作簿（workbook）")));
  }
  const std::string workbook_name = office->target;
  XZZF_TRY(workbook_rels,
           read_relationships(zip, relationships_of(workbook_name), workbook_name, limits));

  Sheet sheet;
  std::string sheet_part;
  {
    XZZF_TRY(workbook, internal::load_xml(zip, workbook_name, limits));
    const pugi::xml_node root = workbook->doc.document_element();
    if (local_name(root.name()) != "workbook") {
      return fail(ErrorCode::kSheetsBadXml, field("part", workbook_name),
                  field("detail", std::string("根元素不是 workbook")));
    }
    for (pugi::xml_node s : child_element(root, "sheets").children()) {
      if (s.type() != pugi::node_element || local_name(s.name()) != "sheet") continue;
      const std::string_view id = prefixed_attribute(s, "id");
      const Relationship* rel = nullptr;
      for (const auto& r : workbook_rels) {
        if (r.id == id) rel = &r;
      }
      // Chart sheets and dialog sheets are tabs too; the table is on the first worksheet.
      if (rel == nullptr || !ends_with(rel->type, "/worksheet")) continue;
      sheet.name = s.attribute("name").value();
      sheet_part = rel->target;
      break;
    }
  }
  if (sheet_part.empty()) {
    return fail(ErrorCode::kSheetsMissingPart, field("part", std::string("工作表（worksheet）")));
  }

  std::vector<std::string> shared;
  if (const Relationship* strings = find_by_type(workbook_rels, "/sharedStrings")) {
    XZZF_TRY(strings_read, read_shared_strings(zip, strings->target, limits));
    shared = std::move(strings_read);
  }
  XZZF_TRY(part, internal::load_xml(zip, sheet_part, limits));
  XZZF_TRY(rows, SheetReader(shared, sheet_part, limits).rows(part->doc));
  sheet.rows = std::move(rows);
  return sheet;
}

std::string column_name(std::uint32_t column) {
  return internal::column_letters(column);
}

}  // namespace xzzf::sheets
