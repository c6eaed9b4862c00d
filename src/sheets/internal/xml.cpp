#include "sheets/internal/xml.hpp"

#include "sheets/internal/text.hpp"

namespace xzzf::sheets::internal {
namespace {

bool starts_with_at(std::string_view text, std::size_t i, std::string_view prefix) {
  return text.substr(i, prefix.size()) == prefix;
}

bool is_xml_char(unsigned long cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// True when text[i] ('&') starts a reference XML defines without a DTD.
bool valid_reference(std::string_view text, std::size_t i) {
  const auto semicolon = text.find(';', i);
  if (semicolon == std::string_view::npos || semicolon - i > 10) return false;
  const std::string_view name = text.substr(i + 1, semicolon - i - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    return true;
  }
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > (hex ? 6u : 7u)) return false;
  unsigned long cp = 0;
  for (char c : digits) {
    unsigned long d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned long>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned long>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned long>(c - 'A' + 10);
    } else {
      return false;
    }
    cp = cp * (hex ? 16 : 10) + d;
  }
  return is_xml_char(cp);
}

std::string describe_status(pugi::xml_parse_status status) {
  switch (status) {
    case pugi::status_out_of_memory:
      return "内存不足";
    case pugi::status_bad_pi:
      return "XML 声明或处理指令格式错误";
    case pugi::status_bad_comment:
      return "注释格式错误";
    case pugi::status_bad_cdata:
      return "CDATA 段格式错误";
    case pugi::status_bad_doctype:
      return "文档类型声明格式错误";
    case pugi::status_bad_pcdata:
      return "文本内容格式错误";
    case pugi::status_bad_attribute:
      return "属性格式错误";
    case pugi::status_end_element_mismatch:
      return "标签未闭合或起止标签不匹配";
    case pugi::status_no_document_element:
      return "没有根元素";
    default:
      return "标签格式错误";
  }
}

}  // namespace

Result<void> check_xml(std::string_view text, std::string_view part, const Limits& limits) {
  const auto bad = [&](std::string detail) {
    return fail(ErrorCode::kSheetsBadXml, field("part", part), field("detail", std::move(detail)));
  };
  if (!valid_utf8(text)) return bad("不是有效的 UTF-8 文本");
  std::size_t tags = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') return bad(fmt::format("第 {} 字节处含有 NUL 字符", i));
    if (c == '&') {
      if (!valid_reference(text, i)) {
        // Quote the reference up to 12 printable ASCII bytes: the message stays UTF-8.
        std::size_t n = 1;
        while (n < 12 && i + n < text.size() && text[i + n] > ' ' && text[i + n] < 0x7F) ++n;
        return bad(fmt::format("第 {} 字节处的实体引用“{}”无效", i, text.substr(i, n)));
      }
      continue;
    }
    if (c != '<') continue;
    if (++tags > limits.max_xml_tags) {
      return fail(ErrorCode::kSheetsTooComplex, field("part", part),
                  field("limit", limits.max_xml_tags));
    }
    // Comments, CDATA and processing instructions may hold '&' and '<' freely.
    std::string_view end;
    std::size_t skip = 0;
    if (starts_with_at(text, i, "<!--")) {
      end = "-->";
      skip = 4;
    } else if (starts_with_at(text, i, "<![CDATA[")) {
      end = "]]>";
      skip = 9;
    } else if (starts_with_at(text, i, "<?")) {
      end = "?>";
      skip = 2;
    } else if (starts_with_at(text, i, "<!")) {
      return bad("不允许文档类型声明（DOCTYPE）或实体声明");
    } else {
      continue;
    }
    const auto close = text.find(end, i + skip);
    if (close == std::string_view::npos) return bad(fmt::format("第 {} 字节处的段落未结束", i));
    // NUL inside the skipped text is refused too.
    if (text.substr(i, close - i).find('\0') != std::string_view::npos) {
      return bad("含有 NUL 字符");
    }
    i = close + end.size() - 1;
  }
  return {};
}

Result<std::unique_ptr<XmlPart>> load_xml(ZipArchive& zip, const std::string& name,
                                          const Limits& limits) {
  const auto index = zip.find(name);
  if (!index) return fail(ErrorCode::kSheetsMissingPart, field("part", name));
  auto part = std::make_unique<XmlPart>();
  XZZF_TRY(text, zip.read(*index, name));
  part->text = std::move(text);
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (std::string_view(part->text).substr(0, kBom.size()) == kBom) part->text.erase(0, kBom.size());
  XZZF_CHECK(check_xml(part->text, name, limits));
  // Whitespace-only text is kept where it is all an element holds: a cell of
  // one space is a cell of one space.
  const pugi::xml_parse_result parsed = part->doc.load_buffer_inplace(
      part->text.data(), part->text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
      pugi::encoding_utf8);
  if (!parsed) {
    return fail(ErrorCode::kSheetsBadXml, field("part", name),
                field("detail", fmt::format("{}（第 {} 字节附近）", describe_status(parsed.status),
                                            parsed.offset)));
  }
  return part;
}

std::string_view local_name(const char* name) {
  const std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child_element(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && local_name(child.name()) == name) return child;
  }
  return {};
}

std::string element_text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
  }
  return out;
}

}  // namespace xzzf::sheets::internal
