// Fuzzes the checklist template loader: text-format parsing, then validation and compilation
// (item codes, dependencies and their cycles, groups, conditions, durations). A template that
// compiles must answer lookups for every item it declares.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "checklist-service/domain/template_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using preflight::checklist::CompiledTemplate;
  using preflight::checklist::TemplateCatalog;
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::CompileText(text, "fuzz.textproto");
  if (!compiled.ok()) {
    // Errors must name the source so an operator can find the broken file.
    if (compiled.status().message().find("fuzz.textproto") == absl::string_view::npos) {
      std::abort();
    }
    return 0;
  }
  for (const auto& item : compiled->proto().items()) {
    if (compiled->FindItem(item.code()) == nullptr) std::abort();
    compiled->AppliesWhen(item.code());
  }
  for (int i = 0; i < compiled->proto().constraints_size(); ++i) compiled->ConstraintWhen(i);
  return 0;
}
