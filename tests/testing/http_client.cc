#include "tests/testing/http_client.h"

#include <curl/curl.h>

#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace preflight::testing {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* user) {
  const absl::string_view line(data, size * count);
  const size_t colon = line.find(':');
  if (colon != absl::string_view::npos) {
    static_cast<HttpAnswer*>(user)->headers.emplace_back(
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(line.substr(0, colon))),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

std::string HttpAnswer::Header(absl::string_view name) const {
  std::string found;
  for (const auto& [key, value] : headers) {
    if (key == name) found = value;
  }
  return found;
}

absl::StatusOr<HttpAnswer> HttpCall(const HttpExchange& exchange) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  HttpAnswer answer;
  curl_slist* headers = nullptr;
  for (const std::string& header : exchange.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, exchange.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(exchange.timeout)));
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer);
  if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!exchange.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, exchange.ca_file.c_str());
  if (exchange.http2_prior_knowledge) {
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
  }
  if (exchange.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, exchange.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(exchange.body.size()));
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(exchange.method, " ", exchange.url, ": ", curl_easy_strerror(code)));
  }
  return answer;
}

absl::StatusOr<std::string> HttpGet(const std::string& url) {
  HttpExchange exchange;
  exchange.url = url;
  absl::StatusOr<HttpAnswer> answer = HttpCall(exchange);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return absl::InternalError(
        absl::StrCat("GET ", url, ": HTTP ", answer->status, " ", answer->body.substr(0, 200)));
  }
  return answer->body;
}

absl::StatusOr<HttpAnswer> RawGrpcCall(const std::string& address, const std::string& method,
                                       const std::string& message, bool raw_body) {
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = absl::StrCat("http://", address, method);
  exchange.http2_prior_knowledge = true;
  exchange.headers = {"Content-Type: application/grpc", "TE: trailers"};
  if (raw_body) {
    exchange.body = message;
  } else {
    const uint32_t size = static_cast<uint32_t>(message.size());
    exchange.body = std::string(1, '\0');
    for (int shift = 24; shift >= 0; shift -= 8) {
      exchange.body.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    exchange.body += message;
  }
  return HttpCall(exchange);
}

}  // namespace preflight::testing
