#include "lambdaform/version.hpp"

namespace lambdaform {

std::string_view version() noexcept {
  return LAMBDAFORM_VERSION;
}

}  // namespace lambdaform
