#include "notifier-service/channels/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace preflight::notifier {
namespace {

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Collects the response while libcurl reads it.
struct ResponseSink {
  HttpResponse* response;
  size_t max_body_bytes;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t bytes = size * count;
  std::string& body = sink->response->body;
  const size_t room = sink->max_body_bytes > body.size() ? sink->max_body_bytes - body.size() : 0;
  body.append(data, std::min(room, bytes));
  if (bytes > room) sink->response->body_truncated = true;
  // Claiming every byte keeps the transfer going; the excess is simply dropped.
  return bytes;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t bytes = size * count;
  absl::string_view line(data, bytes);
  line = absl::StripTrailingAsciiWhitespace(line);
  if (absl::StartsWith(line, "HTTP/")) {
    // A new response (after 100 Continue, say): only the final one's headers count.
    sink->response->headers.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return bytes;
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  sink->response->headers.emplace_back(std::move(name), std::move(value));
  return bytes;
}

long ClampMillis(absl::Duration d) {
  const int64_t ms = absl::ToInt64Milliseconds(d);
  return static_cast<long>(std::clamp<int64_t>(ms, 1, 24 * 3600 * 1000));
}

}  // namespace

// Idle easy handles. A handle keeps its connection cache across curl_easy_reset, so borrowing
// one reuses the connection it left open to the same host (libcurl checks it is still alive).
class HttpClient::HandlePool {
 public:
  ~HandlePool() {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  // Null when libcurl cannot make a handle.
  CURL* Borrow() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  void Return(CURL* handle) {
    // Every option back to its default (none may point at the finished request's buffers);
    // the live connections and the DNS cache stay.
    curl_easy_reset(handle);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (static_cast<int>(idle_.size()) < kMaxIdleHandles) {
        idle_.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

 private:
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

void EnsureCurlInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::optional<std::string> HttpResponse::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

TransportError TransportErrorFromCurlCode(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
      return TransportError::kConnection;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportError::kBadUrl;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TransportError::kTlsVerification;
    default:
      return TransportError::kOther;
  }
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), pool_(std::make_shared<HandlePool>()) {
  EnsureCurlInitialized();
}

HttpResponse HttpClient::Post(const HttpRequest& request) const {
  HttpResponse response;
  // Back to the pool on every return path, with its connection left open.
  auto give_back = [pool = pool_.get()](CURL* handle) { pool->Return(handle); };
  std::unique_ptr<CURL, decltype(give_back)> curl(pool_->Borrow(), give_back);
  if (curl == nullptr) {
    response.error = TransportError::kOther;
    response.error_message = "curl_easy_init failed";
    return response;
  }
  std::unique_ptr<curl_slist, CurlSlistDeleter> pinned;
  if (options_.restrict_destinations) {
    absl::StatusOr<std::vector<std::string>> addresses =
        CheckDestination(request.url, options_.http_allow_hosts,
                         options_.resolver ? options_.resolver : HostResolver(&ResolveHost));
    if (!addresses.ok()) {
      response.error = absl::IsUnavailable(addresses.status()) ? TransportError::kConnection
                       : absl::IsPermissionDenied(addresses.status())
                           ? TransportError::kForbiddenDestination
                           : TransportError::kBadUrl;
      response.error_message = std::string(addresses.status().message());
      return response;
    }
    if (!addresses->empty()) {
      // Connect only to the addresses just checked ("host:port:addr,addr").
      const absl::StatusOr<UrlParts> parts = SplitUrl(request.url);
      std::vector<std::string> bracketed;
      for (const std::string& address : *addresses) {
        bracketed.push_back(absl::StrContains(address, ':') ? absl::StrCat("[", address, "]")
                                                            : address);
      }
      pinned.reset(curl_slist_append(nullptr, absl::StrCat(parts->host, ":", EffectivePort(*parts),
                                                           ":", absl::StrJoin(bracketed, ","))
                                                  .c_str()));
    }
  }
  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    raw_headers = curl_slist_append(raw_headers, absl::StrCat(name, ": ", value).c_str());
  }
  // Without this libcurl waits for "100 Continue" before sending larger bodies.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, CurlSlistDeleter> headers(raw_headers);

  ResponseSink sink{&response, options_.max_response_bytes};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  if (pinned != nullptr) curl_easy_setopt(h, CURLOPT_RESOLVE, pinned.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "preflight-notifier/1");
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ClampMillis(options_.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ClampMillis(options_.timeout));
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    response.error = TransportErrorFromCurlCode(code);
    response.error_message =
        RedactSecrets(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
    response.status = 0;
    response.headers.clear();
    response.body.clear();
    response.body_truncated = false;
    return response;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace preflight::notifier
