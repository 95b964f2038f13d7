#include "common/http/http_server.h"

#include <sys/socket.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace preflight::http {
namespace {

using ::testing::HasSubstr;

TEST(HttpServerTest, ServesItsRoutesAndNothingElse) {
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
      "127.0.0.1:0", {{"/metrics", [](const Request& request) {
                         Response response;
                         response.content_type = "text/plain; version=0.0.4";
                         response.body = absl::StrCat("up 1 ", request.params.count("x"), "\n");
                         return response;
                       }}});
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result got = client.Get("/metrics?x=1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "up 1 1\n");
  EXPECT_EQ(got->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  httplib::Result missing = client.Get("/other");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ((*server)->address(), absl::StrCat("127.0.0.1:", (*server)->port()));
  (*server)->Stop();
}

TEST(HttpServerTest, APrefixRouteServesEveryPathUnderItWithHeadersBothWays) {
  Route feeds;
  feeds.path = "/feeds/";
  feeds.prefix = true;
  feeds.handler = [](const Request& request) {
    Response response;
    response.body = request.path;
    auto tag = request.headers.find("if-none-match");
    response.headers.emplace_back("ETag", tag == request.headers.end() ? "none" : tag->second);
    return response;
  };
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start("127.0.0.1:0", {feeds});
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result got = client.Get("/feeds/abc/def.ics", {{"If-None-Match", "\"x\""}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "/feeds/abc/def.ics");
  EXPECT_EQ(got->get_header_value("ETag"), "\"x\"");
  httplib::Result outside = client.Get("/feedsabc");
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 404);
  (*server)->Stop();
}

TEST(HttpServerTest, ATakenPortIsRefusedNotShared) {
  absl::StatusOr<std::unique_ptr<HttpServer>> first = HttpServer::Start("127.0.0.1:0", {});
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<HttpServer>> second = HttpServer::Start((*first)->address(), {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("cannot listen on"));
}

TEST(HttpServerTest, RefusesWhatIsNotHostPort) {
  for (const char* bad : {"", "127.0.0.1", ":80", "127.0.0.1:99999", "[::1:80"}) {
    EXPECT_EQ(HttpServer::Start(bad, {}).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(HttpServerTest, StopRightAfterStartReturns) {
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start("127.0.0.1:0", {});
    ASSERT_TRUE(server.ok()) << server.status();
    (*server)->Stop();
  }
}

}  // namespace
}  // namespace preflight::http
