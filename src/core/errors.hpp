#pragma once

// The one catalog of errors xzzf can answer with. Each entry has a stable code
// (clients rely on it), a kind (which http/ alone maps to a status) and a zh-CN
// message template with fmt-style named fields, e.g. {limit}.

#include <cstdint>
#include <string_view>

namespace xzzf {

// What went wrong, as far as a client is concerned.
enum class ErrorKind : std::uint8_t {
  kInvalidInput,      // 400
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kTimeout,           // 408
  kConflict,          // 409
  kTooLarge,          // 413
  kRuleRefused,       // 422, always with a legal basis
  kUnavailable,       // 503
  kInternal,          // 500
};

// X(Name, "code", Kind, "message template")
#define XZZF_ERROR_CATALOG(X)                                                                  \
  X(Internal, "internal", kInternal, "服务器内部错误，请稍后重试（请求编号 {request_id}）")    \
  X(Unavailable, "unavailable", kUnavailable, "服务暂不可用：{reason}")                        \
  X(HttpNotFound, "http.not_found", kNotFound, "请求的地址不存在：{path}")                     \
  X(HttpMethodNotAllowed, "http.method_not_allowed", kMethodNotAllowed,                        \
    "地址 {path} 不支持 {method} 方法")                                                        \
  X(HttpBodyTooLarge, "http.body_too_large", kTooLarge, "请求内容过大，上限为 {limit} 字节")   \
  X(HttpHeaderTooLarge, "http.header_too_large", kTooLarge, "请求头过大，上限为 {limit} 字节") \
  X(HttpBadRequest, "http.bad_request", kInvalidInput, "无法解析的 HTTP 请求：{detail}")       \
  X(HttpTimeout, "http.timeout", kTimeout, "请求在 {seconds} 秒内未发送完毕，连接已关闭")      \
  X(HttpUnsupportedMediaType, "http.unsupported_media_type", kInvalidInput,                    \
    "请求内容须为 JSON（Content-Type: application/json）")                                     \
  X(JsonMalformed, "json.malformed", kInvalidInput, "JSON 格式错误：{detail}")                 \
  X(JsonNotObject, "json.not_object", kInvalidInput, "请求内容须为 JSON 对象")                 \
  X(JsonUnknownField, "json.unknown_field", kInvalidInput, "不允许的字段：{field}")            \
  X(JsonMissingField, "json.missing_field", kInvalidInput, "缺少必填字段：{field}")            \
  X(JsonWrongType, "json.wrong_type", kInvalidInput, "字段 {field} 的类型应为{expected}")      \
  X(QueryInvalid, "query.invalid", kInvalidInput, "查询参数 {name} 无效：{detail}")            \
  X(MoneyInvalid, "money.invalid", kInvalidInput, "金额格式无效：{text}")                      \
  X(DateInvalid, "date.invalid", kInvalidInput, "日期格式无效（应为 YYYY-MM-DD）：{text}")     \
  X(IdInvalid, "id.invalid", kInvalidInput, "编号无效：{text}")                                \
  X(ConfigInvalid, "config.invalid", kInvalidInput, "配置项 {key} 无效：{detail}")             \
  X(DbUrlInvalid, "db.url_invalid", kInvalidInput,                                             \
    "数据库地址无效（应为 sqlite:///绝对路径 或 postgresql://…）：{detail}")                   \
  X(DbUnavailable, "db.unavailable", kUnavailable, "数据库不可用：{detail}")                   \
  X(DbError, "db.error", kInternal, "数据库错误：{detail}")                                    \
  X(DbConflict, "db.conflict", kConflict, "数据已被他人修改或违反唯一约束：{detail}")          \
  X(DbDiskFull, "db.disk_full", kUnavailable, "存储空间不足，本次操作未保存")                  \
  X(MigrationFailed, "db.migration_failed", kInternal, "数据库迁移 {version} 失败：{detail}")  \
  X(MigrationNewerSchema, "db.schema_newer", kUnavailable,                                     \
    "数据库结构版本 {found} 高于本程序支持的 {supported}，请升级程序")                         \
  X(FileError, "file.error", kInternal, "文件操作失败：{detail}")

enum class ErrorCode : std::uint16_t {
#define XZZF_ERROR_ENUM(name, code, kind, tmpl) k##name,
  XZZF_ERROR_CATALOG(XZZF_ERROR_ENUM)
#undef XZZF_ERROR_ENUM
};

// The catalog entry of a code.
struct ErrorSpec {
  std::string_view code;
  ErrorKind kind;
  std::string_view message_template;
};

[[nodiscard]] const ErrorSpec& error_spec(ErrorCode code);

// Every catalog entry, in declaration order (for tests and documentation).
[[nodiscard]] std::initializer_list<ErrorCode> all_error_codes();

}  // namespace xzzf
