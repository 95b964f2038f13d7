#pragma once

// A small HTTP/1.1 server for what the services expose besides gRPC (Prometheus metrics), on
// cpp-httplib. Handlers run on the server's own threads; keep them quick.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}

namespace preflight::http {

struct Request {
  std::string method;
  std::string path;
  // Query parameters; the first value of each.
  std::map<std::string, std::string> params;
  // Request headers, names in lowercase ("if-none-match"); the first value of each.
  std::map<std::string, std::string> headers;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra headers (ETag, Cache-Control, ...).
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;

struct Route {
  // An exact path, e.g. "/metrics", served for GET and HEAD; with `prefix`, every path that
  // starts with it (letters, digits, '/', '-' and '_' only).
  std::string path;
  Handler handler;
  bool prefix = false;
};

class HttpServer {
 public:
  // Binds `address` ("HOST:PORT"; port 0 picks one; "[::1]:PORT" for IPv6) and serves `routes`
  // on a thread of its own. UNAVAILABLE when the address cannot be bound, INVALID_ARGUMENT when
  // it is not HOST:PORT. Unlike gRPC's default, the port is never shared with another process.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(absl::string_view address,
                                                           std::vector<Route> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "HOST:PORT" with the bound port.
  std::string address() const;
  // Stops accepting and waits for the serving thread. Idempotent.
  void Stop();

 private:
  HttpServer(std::unique_ptr<httplib::Server> server, std::string host, int port);

  std::unique_ptr<httplib::Server> server_;
  const std::string host_;
  const int port_;
  std::thread thread_;
};

}  // namespace preflight::http
