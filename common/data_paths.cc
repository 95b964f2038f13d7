#include "common/data_paths.h"

#include <filesystem>
#include <system_error>

namespace preflight {

std::string DefaultBuiltinDataDir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path installed = exe.parent_path().parent_path() / "share" / "preflight";
    if (std::filesystem::is_directory(installed, error)) return installed.string();
  }
  return PREFLIGHT_BUILTIN_DATA_DIR;
}

}  // namespace preflight
