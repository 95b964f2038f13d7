#include "common/build_info.h"

#include "absl/strings/str_cat.h"

namespace preflight {
namespace build_info_values {
// Defined in the generated build_info_values.cc.
extern const char kVersion[];
extern const char kGitRevision[];
extern const char kBuildType[];
}  // namespace build_info_values

const BuildInfo& GetBuildInfo() {
  static const BuildInfo info{build_info_values::kVersion, build_info_values::kGitRevision,
                              build_info_values::kBuildType};
  return info;
}

std::string VersionLine(absl::string_view program) {
  const BuildInfo& info = GetBuildInfo();
  return absl::StrCat(program, " ", info.version, " (git ", info.git_revision, ", ",
                      info.build_type, ")");
}

}  // namespace preflight
