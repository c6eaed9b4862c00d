#include "core/errors.hpp"

#include <array>

namespace xzzf {
namespace {

constexpr std::array kSpecs = {
#define X(name, code, kind, tmpl) ErrorSpec{code, ErrorKind::kind, tmpl},
#include "core/errors/all.inc"
#undef X
};

constexpr std::initializer_list<ErrorCode> kCodes = {
#define X(name, code, kind, tmpl) ErrorCode::k##name,
#include "core/errors/all.inc"
#undef X
};

}  // namespace

const ErrorSpec& error_spec(ErrorCode code) {
  return kSpecs.at(static_cast<std::size_t>(code));
}

std::initializer_list<ErrorCode> all_error_codes() {
  return kCodes;
}

}  // namespace xzzf
