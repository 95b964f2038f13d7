#include "common/api/etag.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/error_text.h"

namespace preflight::api {

std::string MakeEtag(absl::string_view resource_name, int64_t version) {
  // The hash binds the etag to its resource, so an etag of one item is refused for another.
  return absl::StrCat(version, "-",
                      Sha256Hex(absl::StrCat(resource_name, "@", version)).substr(0, 12));
}

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag, absl::string_view resource_name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(etag, absl::MaxSplits('-', 1));
  int64_t version = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &version) ||
      MakeEtag(resource_name, version) != etag) {
    return absl::AbortedError(absl::StrCat("etag mismatch: ", QuoteForError(etag),
                                           " is not a current etag of ", resource_name,
                                           "; read it again and retry"));
  }
  return version;
}

}  // namespace preflight::api
