#include "common/http/http_server.h"

#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "httplib.h"

namespace preflight::http {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> SplitAddress(absl::string_view address) {
  const size_t colon = address.rfind(':');
  HostPort parsed;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &parsed.port) || parsed.port < 0 ||
      parsed.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", address.substr(0, 64), "' is not HOST:PORT"));
  }
  absl::string_view host = address.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[")) {
    if (!absl::ConsumeSuffix(&host, "]")) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", address.substr(0, 64), "' is not HOST:PORT"));
    }
  }
  parsed.host = std::string(host);
  return parsed;
}

void ToResponse(const Response& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  to.set_content(from.body, from.content_type.c_str());
}

}  // namespace

HttpServer::HttpServer(std::unique_ptr<httplib::Server> server, std::string host, int port)
    : server_(std::move(server)), host_(std::move(host)), port_(port) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(absl::string_view address,
                                                              std::vector<Route> routes) {
  absl::StatusOr<HostPort> parsed = SplitAddress(address);
  if (!parsed.ok()) return parsed.status();
  auto server = std::make_unique<httplib::Server>();
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second process
  // silently share the port.
  server->set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  if (parsed->host.find(':') != std::string::npos) server->set_address_family(AF_INET6);
  server->set_read_timeout(5, 0);
  server->set_write_timeout(5, 0);
  server->set_keep_alive_max_count(100);
  for (Route& route : routes) {
    Handler handler = std::move(route.handler);
    auto serve = [handler](const httplib::Request& in, httplib::Response& out) {
      Request request;
      request.method = in.method;
      request.path = in.path;
      for (const auto& [key, value] : in.params) request.params.emplace(key, value);
      for (const auto& [key, value] : in.headers) {
        request.headers.emplace(absl::AsciiStrToLower(key), value);
      }
      ToResponse(handler(request), out);
    };
    server->Get(route.prefix ? route.path + ".*" : route.path, serve);
  }
  int port = parsed->port;
  if (port == 0) {
    port = server->bind_to_any_port(parsed->host);
    if (port <= 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", address.substr(0, 128)));
    }
  } else if (!server->bind_to_port(parsed->host, port)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address.substr(0, 128),
                     " (address in use, or not an address of this machine?)"));
  }
  std::unique_ptr<HttpServer> started(new HttpServer(std::move(server), parsed->host, port));
  httplib::Server* raw = started->server_.get();
  started->thread_ = std::thread([raw] { raw->listen_after_bind(); });
  // httplib's stop() does nothing until the loop runs, so Stop() right after Start() would hang.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!raw->is_running() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  return started;
}

std::string HttpServer::address() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return absl::StrCat(v6 ? "[" : "", host_, v6 ? "]" : "", ":", port_);
}

void HttpServer::Stop() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace preflight::http
