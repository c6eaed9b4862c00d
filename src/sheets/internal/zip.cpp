#include "sheets/internal/zip.hpp"

#include <zip.h>

#include <algorithm>
#include <array>

namespace xzzf::sheets::internal {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

// What went wrong inside libzip, for a user who uploaded the file.
std::string describe_zip_error(int code) {
  switch (code) {
    case ZIP_ER_NOZIP:
      return "不是 zip 格式";
    case ZIP_ER_MULTIDISK:
      return "是分卷压缩包";
    case ZIP_ER_INCONS:
      return "压缩包结构不一致";
    case ZIP_ER_CRC:
      return "内容校验失败（CRC 错误）";
    case ZIP_ER_EOF:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
      return "文件不完整";
    case ZIP_ER_COMPNOTSUPP:
      return "使用了不支持的压缩方式";
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
      return "文件已加密";
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPRESSED_DATA:
      return "压缩数据已损坏";
    case ZIP_ER_MEMORY:
      return "内存不足";
    default:
      return fmt::format("压缩包已损坏（libzip 错误 {}）", code);
  }
}

// Excel 97-2003 files and password-protected .xlsx files are OLE compound
// documents, not zip archives: say so, since users can fix it by saving as .xlsx.
bool is_compound_document(std::string_view bytes) {
  constexpr std::string_view kMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  return bytes.substr(0, kMagic.size()) == kMagic;
}

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

}  // namespace

void ZipArchive::Discard::operator()(zip* archive) const {
  zip_discard(archive);
}

Result<ZipArchive> ZipArchive::open(std::string_view bytes, std::size_t max_entries,
                                    std::uint64_t budget) {
  if (bytes.empty()) {
    return fail(ErrorCode::kSheetsNotXlsx, field("detail", std::string("文件是空的")));
  }
  if (is_compound_document(bytes)) {
    return fail(ErrorCode::kSheetsNotXlsx,
                field("detail", std::string("这是旧版 Excel（.xls）文件或设置了密码的文件，"
                                            "请在 Excel 中取消密码并另存为 .xlsx 后再上传")));
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    const int code = zip_error_code_zip(&error);
    zip_error_fini(&error);
    return fail(ErrorCode::kSheetsNotXlsx, field("detail", describe_zip_error(code)));
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    // On failure the source still belongs to us.
    zip_source_free(source);
    const int code = zip_error_code_zip(&error);
    zip_error_fini(&error);
    return fail(ErrorCode::kSheetsNotXlsx, field("detail", describe_zip_error(code)));
  }
  zip_error_fini(&error);
  std::unique_ptr<zip, Discard> owned(archive);
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries < 0 || static_cast<std::uint64_t>(entries) > max_entries) {
    return fail(ErrorCode::kSheetsTooManyEntries, field("count", entries),
                field("limit", max_entries));
  }
  return ZipArchive(std::move(owned), budget);
}

std::optional<std::uint64_t> ZipArchive::find(const std::string& name) const {
  zip_int64_t index = zip_name_locate(archive_.get(), name.c_str(), 0);
  if (index < 0) index = zip_name_locate(archive_.get(), name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<std::uint64_t>(index);
}

Result<std::string> ZipArchive::read(std::uint64_t index, std::string_view name) {
  const auto too_large = [&] {
    return fail(ErrorCode::kSheetsTooLarge, field("limit", limit_), field("part", name));
  };
  const auto damaged = [&](std::string detail) {
    return fail(ErrorCode::kSheetsNotXlsx,
                field("detail", fmt::format("部件 {} {}", name, std::move(detail))));
  };

  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_.get(), index, 0, &stat) != 0) {
    return damaged(describe_zip_error(zip_error_code_zip(zip_get_error(archive_.get()))));
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
    return damaged("已加密");
  }
  if ((stat.valid & ZIP_STAT_COMP_METHOD) != 0 && stat.comp_method != ZIP_CM_STORE &&
      stat.comp_method != ZIP_CM_DEFLATE) {
    return damaged("使用了不支持的压缩方式");
  }
  // The declared size is only a first check: the central directory may lie,
  // so the bytes are counted again as they are inflated.
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > budget_) return too_large();

  std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(archive_.get(), index, 0));
  if (!file) {
    return damaged(describe_zip_error(zip_error_code_zip(zip_get_error(archive_.get()))));
  }
  std::string out;
  if ((stat.valid & ZIP_STAT_SIZE) != 0) out.reserve(static_cast<std::size_t>(stat.size));
  std::array<char, kChunk> chunk{};
  while (true) {
    // Ask for one byte more than the budget allows, to learn whether the entry
    // goes past it without inflating further.
    const std::uint64_t want = std::min<std::uint64_t>(kChunk, budget_ + 1);
    const zip_int64_t n = zip_fread(file.get(), chunk.data(), want);
    if (n < 0) {
      return damaged(describe_zip_error(zip_error_code_zip(zip_file_get_error(file.get()))));
    }
    if (n == 0) break;
    const auto got = static_cast<std::uint64_t>(n);
    if (got > budget_) return too_large();
    budget_ -= got;
    out.append(chunk.data(), static_cast<std::size_t>(got));
  }
  // A directory that lies is a tampered file, even when the truth is small.
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && out.size() != stat.size) {
    return damaged("声明的大小与实际内容不符");
  }
  return out;
}

}  // namespace xzzf::sheets::internal
