// Fuzzes the page-token decoder with arbitrary tokens, and checks that what Encode produces for
// an arbitrary scope and position decodes back to the position under that scope only.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/page_token.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const preflight::PageTokenCodec* const codec =
      new preflight::PageTokenCodec("fuzz-page-token-key");
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  // Hostile tokens: anything but INVALID_ARGUMENT or a position is a bug.
  for (absl::string_view scope : {"launches", "events|launches/a", ""}) {
    absl::StatusOr<std::string> position = codec->Decode(input, scope);
    if (!position.ok() && position.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();
    }
  }

  // Round trip: the first byte says where the scope ends and the position begins.
  const preflight::fuzz::Selected selected = preflight::fuzz::Select(data, size, 256);
  const size_t split = std::min<size_t>(selected.choice, selected.payload.size());
  const absl::string_view scope = selected.payload.substr(0, split);
  const absl::string_view position = selected.payload.substr(split);
  const std::string token = codec->Encode(scope, position);
  // The decoder refuses tokens over 4 KiB; positions the services issue are far shorter.
  if (token.size() > 4096) return 0;
  absl::StatusOr<std::string> decoded = codec->Decode(token, scope);
  if (!decoded.ok() || *decoded != position) std::abort();
  const std::string other_scope = std::string(scope) + "x";
  if (codec->Decode(token, other_scope).ok()) std::abort();
  return 0;
}
