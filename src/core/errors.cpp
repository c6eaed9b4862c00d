#include "core/errors.hpp"

#include <array>

namespace xzzf {
namespace {

constexpr std::array kSpecs = {
#define XZZF_ERROR_SPEC(name, code, kind, tmpl) ErrorSpec{code, ErrorKind::kind, tmpl},
    XZZF_ERROR_CATALOG(XZZF_ERROR_SPEC)
#undef XZZF_ERROR_SPEC
};

constexpr std::initializer_list<ErrorCode> kCodes = {
#define XZZF_ERROR_CODE(name, code, kind, tmpl) ErrorCode::k##name,
    XZZF_ERROR_CATALOG(XZZF_ERROR_CODE)
#undef XZZF_ERROR_CODE
};

}  // namespace

const ErrorSpec& error_spec(ErrorCode code) {
  return kSpecs.at(static_cast<std::size_t>(code));
}

std::initializer_list<ErrorCode> all_error_codes() {
  return kCodes;
}

}  // namespace xzzf
