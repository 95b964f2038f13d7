#include "notifier-service/channels/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "notifier-service/testing/channel_testing.h"
#include "tests/testing/peers.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::preflight::testing::HttpReceiver;
using ::preflight::testing::RecordedRequest;
using ::preflight::testing::ScriptedResponse;

class HttpClientTest : public testing::ReceiverTest {
 protected:
  static HttpClientOptions Options() {
    HttpClientOptions options;
    options.connect_timeout = absl::Seconds(5);
    options.timeout = absl::Seconds(10);
    return options;
  }
};

TEST_F(HttpClientTest, PostsHeadersAndBody) {
  HttpClient client(Options());
  HttpRequest request;
  request.url = receiver_->Url("/hook/a?key=k1&x=%E5%A4%87");
  request.headers = {{"Content-Type", "application/json"}, {"X-Test", "yes"}};
  request.body = R"({"text":"备案 filing"})";
  const HttpResponse response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"errcode":0,"code":0,"ok":true})");

  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok()) << requests.status();
  ASSERT_EQ(requests->size(), 1u);
  const RecordedRequest& got = requests->front();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.path, "/hook/a?key=k1&x=%E5%A4%87");
  EXPECT_EQ(got.QueryParameter("key"), "k1");
  EXPECT_EQ(got.body, R"({"text":"备案 filing"})");
  EXPECT_EQ(got.Header("content-type"), "application/json");
  EXPECT_EQ(got.Header("X-Test"), "yes");
}

TEST_F(HttpClientTest, LargeBodyGoesWithoutExpectContinue) {
  HttpClient client(Options());
  HttpRequest request;
  request.url = receiver_->Url("/big");
  request.body = std::string(200 * 1024, 'x');
  const HttpResponse response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.error_message;
  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ(requests->front().body.size(), request.body.size());
  EXPECT_EQ(requests->front().Header("Expect"), std::nullopt);
}

TEST_F(HttpClientTest, ReturnsStatusHeadersAndBody) {
  ScriptedResponse throttled;
  throttled.status = 429;
  throttled.headers = {{"Retry-After", "2"}, {"X-Reason", "busy"}};
  throttled.body = "slow down";
  ASSERT_TRUE(receiver_->Script("/s", {throttled}).ok());
  HttpClient client(Options());
  const HttpResponse response = client.Post({receiver_->Url("/s"), {}, "{}"});
  ASSERT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.Header("retry-after"), "2");
  EXPECT_EQ(response.Header("RETRY-AFTER"), "2");
  EXPECT_EQ(response.Header("x-reason"), "busy");
  EXPECT_EQ(response.body, "slow down");
  // The script is used up: the next answer is the default.
  EXPECT_EQ(client.Post({receiver_->Url("/s"), {}, "{}"}).status, 200);
}

TEST_F(HttpClientTest, CapsTheResponseBody) {
  ScriptedResponse big;
  big.body = std::string(100 * 1024, 'y');
  ASSERT_TRUE(receiver_->Script("/cap", {big}).ok());
  HttpClientOptions options = Options();
  options.max_response_bytes = 1000;
  const HttpResponse response = HttpClient(options).Post({receiver_->Url("/cap"), {}, ""});
  ASSERT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string(1000, 'y'));
  EXPECT_TRUE(response.body_truncated);
}

TEST_F(HttpClientTest, TimesOutOnAHangingServer) {
  ScriptedResponse hang;
  hang.hang = absl::Seconds(20);
  ASSERT_TRUE(receiver_->Script("/hang", {hang}).ok());
  HttpClientOptions options = Options();
  options.timeout = absl::Seconds(1);
  const absl::Time start = absl::Now();
  const HttpResponse response = HttpClient(options).Post({receiver_->Url("/hang"), {}, "{}"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_EQ(response.error, TransportError::kTimeout);
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.error_message.empty());
  // The request did arrive: a timeout does not mean it was not delivered.
  auto requests = receiver_->Requests("/hang");
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests->size(), 1u);
}

TEST_F(HttpClientTest, ConnectionDroppedWithoutAnswer) {
  ScriptedResponse drop;
  drop.close = true;
  ASSERT_TRUE(receiver_->Script("/drop", {drop}).ok());
  const HttpResponse response = HttpClient(Options()).Post({receiver_->Url("/drop"), {}, ""});
  EXPECT_EQ(response.error, TransportError::kConnection) << response.error_message;
}

TEST_F(HttpClientTest, ConnectionRefused) {
  const HttpResponse response = HttpClient(Options()).Post(
      {absl::StrCat("http://127.0.0.1:", testing::UnusedLoopbackPort(), "/x"), {}, ""});
  EXPECT_EQ(response.error, TransportError::kConnection) << response.error_message;
}

TEST_F(HttpClientTest, OnlyHttpAndHttpsSchemes) {
  HttpClient client(Options());
  EXPECT_EQ(client.Post({"file:///etc/passwd", {}, ""}).error, TransportError::kBadUrl);
  EXPECT_EQ(client.Post({"ftp://127.0.0.1/x", {}, ""}).error, TransportError::kBadUrl);
  EXPECT_EQ(client.Post({"", {}, ""}).error, TransportError::kBadUrl);
}

TEST_F(HttpClientTest, DoesNotFollowRedirects) {
  ScriptedResponse redirect;
  redirect.status = 302;
  redirect.headers = {{"Location", receiver_->Url("/elsewhere")}};
  ASSERT_TRUE(receiver_->Script("/moved", {redirect}).ok());
  const HttpResponse response = HttpClient(Options()).Post({receiver_->Url("/moved"), {}, ""});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response.status, 302);
  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ(requests->front().path, "/moved");
}

TEST(HttpClientTlsTest, VerifiesTheServerAgainstTheCaFile) {
  preflight::testing::TempDir dir;
  auto cert = preflight::testing::MakeSelfSignedCert(dir.path());
  ASSERT_TRUE(cert.ok()) << cert.status();
  auto receiver = HttpReceiver::Start(*cert);
  ASSERT_TRUE(receiver.ok()) << receiver.status();

  HttpClientOptions trusting;
  trusting.ca_file = cert->cert_path;
  const HttpResponse ok = HttpClient(trusting).Post({(*receiver)->Url("/tls"), {}, "{}"});
  ASSERT_TRUE(ok.ok()) << ok.error_message;
  EXPECT_EQ(ok.status, 200);

  // The system CAs do not know the self-signed certificate.
  const HttpResponse refused = HttpClient().Post({(*receiver)->Url("/tls"), {}, "{}"});
  EXPECT_EQ(refused.error, TransportError::kTlsVerification) << refused.error_message;

  HttpClientOptions missing_ca;
  missing_ca.ca_file = dir.Join("no-such-ca.pem");
  EXPECT_NE(HttpClient(missing_ca).Post({(*receiver)->Url("/tls"), {}, "{}"}).error,
            TransportError::kNone);

  auto requests = (*receiver)->Requests();
  ASSERT_TRUE(requests.ok()) << requests.status();
  EXPECT_EQ(requests->size(), 1u);
}

// A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every POST with 200 and counts the TCP
// connections it accepted (the peer receiver cannot tell connections apart).
class CountingServer {
 public:
  CountingServer() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener_, 16);
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~CountingServer() {
    stopping_ = true;
    acceptor_.join();
    for (std::thread& connection : connections_) connection.join();
    close(listener_);
  }

  std::string Url() const { return absl::StrCat("http://127.0.0.1:", port_, "/hook"); }
  int accepted() const { return accepted_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (poll(&ready, 1, 20) <= 0) continue;
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (!stopping_) {
      pollfd ready{fd, POLLIN, 0};
      if (poll(&ready, 1, 20) <= 0) continue;
      const ssize_t got = read(fd, chunk, sizeof(chunk));
      if (got <= 0) break;
      buffer.append(chunk, static_cast<size_t>(got));
      // Answer each complete request (headers, then Content-Length bytes of body).
      while (true) {
        const size_t end = buffer.find("\r\n\r\n");
        if (end == std::string::npos) break;
        size_t body = 0;
        const size_t at = absl::AsciiStrToLower(buffer.substr(0, end)).find("content-length:");
        if (at != std::string::npos) body = std::stoul(buffer.substr(at + 15));
        if (buffer.size() < end + 4 + body) break;
        buffer.erase(0, end + 4 + body);
        constexpr absl::string_view kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        if (write(fd, kAnswer.data(), kAnswer.size()) < 0) break;
      }
    }
    close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

TEST(HttpClientKeepAliveTest, ReusesTheConnectionForTheNextRequest) {
  CountingServer server;
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    HttpRequest request;
    request.url = server.Url();
    request.body = absl::StrCat("{\"n\":", i, "}");
    const HttpResponse response = client.Post(request);
    ASSERT_TRUE(response.ok()) << response.error_message;
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "ok");
  }
  // One TCP connection for all five requests (before: five).
  EXPECT_EQ(server.accepted(), 1);
}

}  // namespace
}  // namespace preflight::notifier
