#pragma once

#include <string>

namespace preflight {

// Where the built-in data files (templates/, calendar/, notifier/) are, for --builtin_data_dir's
// default: PREFIX/share/preflight beside an installed binary (PREFIX/bin), else the source
// tree's data/ the binary was built from. Nothing of the build machine is assumed once installed.
std::string DefaultBuiltinDataDir();

}  // namespace preflight
