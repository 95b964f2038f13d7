#include "common/api/etag.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/error_text.h"

namespace preflight::api {

namespace {

// 64-bit FNV-1a: the etag only has to tell resources and versions apart, not resist an attacker
// (a forged etag gains nothing: the version it names is checked like any other). SHA-256 here was
// 5% of a GetLaunch's CPU.
uint64_t Fnv1a(std::initializer_list<absl::string_view> parts) {
  uint64_t hash = 14695981039346656037u;
  for (absl::string_view part : parts) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211u;
    }
  }
  return hash;
}

}  // namespace

std::string MakeEtag(absl::string_view resource_name, int64_t version) {
  // The hash binds the etag to its resource, so an etag of one item is refused for another.
  const std::string version_text = absl::StrCat(version);
  const uint64_t hash = Fnv1a({resource_name, "@", version_text});
  return absl::StrCat(version_text, "-", absl::Hex(hash >> 16, absl::kZeroPad12));
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
