#include "notifier-service/channels/email_channel.h"

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "notifier-service/channels/text_limits.h"
#include "tests/testing/peers.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::preflight::testing::CertFiles;
using ::preflight::testing::DecodeEncodedWords;
using ::preflight::testing::ParsedEmail;
using ::preflight::testing::ParseEmail;
using ::preflight::testing::ReceivedEmail;
using ::preflight::testing::SmtpServer;
using ::preflight::testing::SmtpServerOptions;
using ::preflight::testing::TempDir;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // Thu, 01 Jan 2026 00:00:00 UTC

OutgoingMessage Message() {
  OutgoingMessage message;
  message.subject = "【Preflight】微信认证 WeChat verification: due in 3 working days";
  message.text = "微信认证 is due on 2026-01-06.\nOwner: 张三\n";
  message.idempotency_key = "l1/MP_VERIFY/due-3/alice/email";
  return message;
}

ChannelEndpoint Recipient(const std::string& address = "alice@example.com") {
  ChannelEndpoint endpoint;
  endpoint.type = ChannelType::kEmail;
  endpoint.target = address;
  endpoint.recipient_display_name = "张三 Alice";
  return endpoint;
}

std::string Decoded(const ParsedEmail& email, absl::string_view header) {
  const std::optional<std::string> raw = email.Header(header);
  if (!raw.has_value()) return "<missing>";
  absl::StatusOr<std::string> decoded = DecodeEncodedWords(*raw);
  return decoded.ok() ? *decoded : "<undecodable>";
}

// One STARTTLS + AUTH server for the suite; the mail folder is emptied before each test.
class EmailChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto cert = preflight::testing::MakeSelfSignedCert(dir_->path());
    ASSERT_TRUE(cert.ok()) << cert.status();
    cert_ = new CertFiles(*cert);
    SmtpServerOptions options;
    options.mail_dir = dir_->Join("mail");
    options.tls = *cert;
    options.require_starttls = true;
    options.user = "preflight-bot";
    options.password = "pa55-word";
    auto server = SmtpServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete cert_;
    delete dir_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    std::filesystem::remove_all(dir_->Join("mail"));
    std::filesystem::create_directories(dir_->Join("mail"));
  }

  static SmtpSettings Settings() {
    SmtpSettings settings;
    settings.url = server_->Url();
    settings.from_address = "preflight@example.com";
    settings.username = "preflight-bot";
    settings.password = "pa55-word";
    settings.ca_file = cert_->cert_path;
    settings.require_tls = true;
    settings.connect_timeout = absl::Seconds(5);
    settings.timeout = absl::Seconds(15);
    return settings;
  }

  static std::vector<ReceivedEmail> Emails() {
    auto emails = server_->Emails();
    EXPECT_TRUE(emails.ok()) << emails.status();
    return emails.ok() ? *emails : std::vector<ReceivedEmail>{};
  }

  FakeClock clock_{kNow};
  static inline TempDir* dir_ = nullptr;
  static inline CertFiles* cert_ = nullptr;
  static inline SmtpServer* server_ = nullptr;
};

TEST_F(EmailChannelTest, DeliversThroughStartTlsAndAuth) {
  EmailChannel channel(Settings(), &clock_);
  const SendResult result = channel.Send(Recipient(), Message());
  ASSERT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;

  const std::vector<ReceivedEmail> emails = Emails();
  ASSERT_EQ(emails.size(), 1u);
  const ReceivedEmail& received = emails[0];
  EXPECT_TRUE(received.tls);
  EXPECT_EQ(received.login, "preflight-bot");
  EXPECT_EQ(received.mail_from, "preflight@example.com");
  ASSERT_EQ(received.rcpt_tos.size(), 1u);
  EXPECT_EQ(received.rcpt_tos[0], "alice@example.com");

  auto email = ParseEmail(received.raw);
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_EQ(email->Header("Date"), "Thu, 01 Jan 2026 00:00:00 +0000");
  const std::optional<std::string> message_id = email->Header("Message-ID");
  ASSERT_TRUE(message_id.has_value());
  EXPECT_TRUE(absl::StartsWith(*message_id, "<"));
  EXPECT_TRUE(absl::EndsWith(*message_id, "@example.com>"));
  EXPECT_EQ(email->Header("From"), "\"Preflight\" <preflight@example.com>");
  EXPECT_EQ(Decoded(*email, "To"), "张三 Alice <alice@example.com>");
  // Non-ASCII: sent as encoded-words, decoded back to the exact UTF-8 subject.
  EXPECT_TRUE(absl::StartsWith(*email->Header("Subject"), "=?UTF-8?B?"));
  EXPECT_EQ(Decoded(*email, "Subject"), Message().subject);
  EXPECT_EQ(email->Header("MIME-Version"), "1.0");
  EXPECT_EQ(email->Header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(email->Header("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(email->Header("X-Preflight-Idempotency-Key"), "l1/MP_VERIFY/due-3/alice/email");
  EXPECT_EQ(email->body, "微信认证 is due on 2026-01-06.\r\nOwner: 张三\r\n");
  // Raw lines stay short and end in CRLF.
  for (absl::string_view line : absl::StrSplit(received.raw, "\r\n")) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_EQ(line.find('\n'), absl::string_view::npos);
  }
}

TEST_F(EmailChannelTest, LongUtf8SubjectIsFoldedIntoShortEncodedWords) {
  OutgoingMessage message = Message();
  message.subject.clear();
  for (int i = 0; i < 60; ++i) absl::StrAppend(&message.subject, "备案😀", i, " ");
  EmailChannel channel(Settings(), &clock_);
  ASSERT_EQ(channel.Send(Recipient(), message).kind, SendResult::Kind::kDelivered);
  const std::vector<ReceivedEmail> emails = Emails();
  ASSERT_EQ(emails.size(), 1u);
  auto email = ParseEmail(emails[0].raw);
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(Decoded(*email, "Subject"), message.subject);
  const size_t start = emails[0].raw.find("Subject: ");
  const size_t end = emails[0].raw.find("\r\nMIME-Version");
  ASSERT_NE(start, std::string::npos);
  int words = 0;
  for (absl::string_view word : absl::StrSplit(
           absl::string_view(emails[0].raw).substr(start + 9, end - start - 9), "\r\n ")) {
    EXPECT_LE(word.size(), 75u);
    EXPECT_TRUE(absl::StartsWith(word, "=?UTF-8?B?")) << word;
    ++words;
  }
  EXPECT_GT(words, 5);
}

TEST_F(EmailChannelTest, AsciiSubjectStaysReadable) {
  OutgoingMessage message = Message();
  message.subject = "[Preflight] ICP filing: due in 3 working days";
  EmailChannel channel(Settings(), &clock_);
  ASSERT_EQ(channel.Send(Recipient(), message).kind, SendResult::Kind::kDelivered);
  auto email = ParseEmail(Emails().at(0).raw);
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(email->Header("Subject"), "[Preflight] ICP filing: due in 3 working days");
}

TEST_F(EmailChannelTest, WrongPasswordIsPermanent) {
  SmtpSettings settings = Settings();
  settings.password = "wrong";
  EmailChannel channel(settings, &clock_);
  const SendResult result = channel.Send(Recipient(), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kPermanent);
  EXPECT_TRUE(absl::StrContains(result.provider_answer, "535")) << result.provider_answer;
  EXPECT_TRUE(Emails().empty());
}

TEST_F(EmailChannelTest, PasswordNeverAppearsInAnswers) {
  // The server refuses the login; whatever it and libcurl say, the password is not in it.
  SmtpSettings settings = Settings();
  settings.password = "Wr0ng-pa55-SECRET";
  const SendResult refused = EmailChannel(settings, &clock_).Send(Recipient(), Message());
  EXPECT_EQ(refused.kind, SendResult::Kind::kPermanent);
  EXPECT_FALSE(absl::StrContains(refused.provider_answer, settings.password))
      << refused.provider_answer;

  // A password in the URL's userinfo is hidden from the validation error too.
  settings.url = "http://bot:Wr0ng-pa55-SECRET@mail.example.com";
  const absl::Status invalid = ValidateSmtpSettings(settings);
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(absl::StrContains(invalid.message(), "Wr0ng-pa55-SECRET")) << invalid.message();
  const SendResult unsent = EmailChannel(settings, &clock_).Send(Recipient(), Message());
  EXPECT_FALSE(absl::StrContains(unsent.provider_answer, "Wr0ng-pa55-SECRET"))
      << unsent.provider_answer;
}

TEST_F(EmailChannelTest, TemporaryRejectionIsRetryableAndPermanentIsNot) {
  EmailChannel channel(Settings(), &clock_);
  const SendResult temporary = channel.Send(Recipient("smtp-reply-451@example.com"), Message());
  EXPECT_EQ(temporary.kind, SendResult::Kind::kRetryable);
  EXPECT_TRUE(absl::StrContains(temporary.provider_answer, "451")) << temporary.provider_answer;
  const SendResult permanent = channel.Send(Recipient("smtp-reply-550@example.com"), Message());
  EXPECT_EQ(permanent.kind, SendResult::Kind::kPermanent);
  EXPECT_TRUE(absl::StrContains(permanent.provider_answer, "550")) << permanent.provider_answer;
  EXPECT_TRUE(Emails().empty());
}

TEST_F(EmailChannelTest, HangingServerTimesOutAsRetryable) {
  SmtpSettings settings = Settings();
  settings.timeout = absl::Seconds(1);
  EmailChannel channel(settings, &clock_);
  const SendResult result = channel.Send(Recipient("smtp-hang@example.com"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable) << result.provider_answer;
}

TEST_F(EmailChannelTest, UntrustedCertificateIsPermanent) {
  SmtpSettings settings = Settings();
  settings.ca_file.clear();  // the system CAs do not know the test certificate
  EmailChannel channel(settings, &clock_);
  const SendResult result = channel.Send(Recipient(), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kPermanent) << result.provider_answer;
  EXPECT_TRUE(Emails().empty());
}

TEST_F(EmailChannelTest, MalformedRecipientIsPermanentWithoutConnecting) {
  EmailChannel channel(Settings(), &clock_);
  for (const std::string bad :
       {"", "alice", "alice@", "@example.com", "a b@example.com",
        "alice@example.com>\r\nRCPT TO:<bob@example.com", "a@b@example.com"}) {
    EXPECT_EQ(channel.Send(Recipient(bad), Message()).kind, SendResult::Kind::kPermanent) << bad;
  }
  EXPECT_TRUE(Emails().empty());
}

TEST_F(EmailChannelTest, ServerWithoutStartTls) {
  TempDir dir;
  SmtpServerOptions options;
  options.mail_dir = dir.Join("mail");
  auto plain = SmtpServer::Start(options);
  ASSERT_TRUE(plain.ok()) << plain.status();
  SmtpSettings settings = Settings();
  settings.url = (*plain)->Url();
  settings.username.clear();

  // TLS required: refused before any mail is sent, and retrying cannot help.
  const SendResult refused = EmailChannel(settings, &clock_).Send(Recipient(), Message());
  EXPECT_EQ(refused.kind, SendResult::Kind::kPermanent) << refused.provider_answer;
  auto none = (*plain)->Emails();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  // TLS when offered: goes through in the clear.
  settings.require_tls = false;
  const SendResult sent = EmailChannel(settings, &clock_).Send(Recipient(), Message());
  EXPECT_EQ(sent.kind, SendResult::Kind::kDelivered) << sent.provider_answer;
  auto emails = (*plain)->Emails();
  ASSERT_TRUE(emails.ok());
  ASSERT_EQ(emails->size(), 1u);
  EXPECT_FALSE(emails->at(0).tls);
}

TEST_F(EmailChannelTest, UnreachableServerIsRetryable) {
  TempDir dir;
  SmtpServerOptions options;
  options.mail_dir = dir.Join("mail");
  std::string url;
  {
    auto gone = SmtpServer::Start(options);
    ASSERT_TRUE(gone.ok()) << gone.status();
    url = (*gone)->Url();
  }  // stopped: nothing listens on its port any more
  SmtpSettings settings = Settings();
  settings.url = url;
  EXPECT_EQ(EmailChannel(settings, &clock_).Send(Recipient(), Message()).kind,
            SendResult::Kind::kRetryable);
}

TEST(EmailMessageTest, MessageIdIsStablePerIdempotencyKey) {
  FakeClock clock(kNow);
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";
  settings.from_address = "preflight@example.com";
  EmailChannel channel(settings, &clock);
  auto id = [&](const OutgoingMessage& message, absl::Time now) {
    auto email = ParseEmail(channel.BuildMessage(Recipient(), message, now));
    return email.ok() ? email->Header("Message-ID").value_or("") : "";
  };
  OutgoingMessage other = Message();
  other.idempotency_key = "l1/MP_VERIFY/due-1/alice/email";
  EXPECT_EQ(id(Message(), kNow), id(Message(), kNow + absl::Hours(3)));
  EXPECT_NE(id(Message(), kNow), id(other, kNow));
}

TEST(EmailMessageTest, BodyIsCutToTheLimitAtACharacterBoundary) {
  FakeClock clock(kNow);
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";
  settings.from_address = "preflight@example.com";
  EmailChannel channel(settings, &clock);
  OutgoingMessage message = Message();
  message.text.clear();
  while (message.text.size() < EmailChannel::kMaxTextBytes + 100) message.text += "备案";
  auto email = ParseEmail(channel.BuildMessage(Recipient(), message, kNow));
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_LE(email->body.size(), EmailChannel::kMaxTextBytes);
  EXPECT_TRUE(absl::EndsWith(email->body, kTruncationMarker));
  EXPECT_EQ((email->body.size() - kTruncationMarker.size()) % 3, 0u);
}

TEST(EmailMessageTest, HeadersCannotBeInjected) {
  FakeClock clock(kNow);
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";
  settings.from_address = "preflight@example.com";
  settings.from_display_name = "Pre\"flight\r\nBcc: evil@example.com";
  EmailChannel channel(settings, &clock);
  OutgoingMessage message = Message();
  message.subject = "hello\r\nBcc: evil@example.com";
  const std::string raw = channel.BuildMessage(Recipient(), message, kNow);
  auto email = ParseEmail(raw);
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_EQ(email->Header("Bcc"), std::nullopt);
  EXPECT_EQ(email->Header("Subject"), "helloBcc: evil@example.com");
  EXPECT_EQ(email->Header("From"),
            "\"Pre\\\"flightBcc: evil@example.com\" <preflight@example.com>");
}

TEST(EncodeHeaderTextTest, PlainAsciiUnchangedOtherwiseEncodedWords) {
  EXPECT_EQ(EncodeHeaderText("ICP filing due"), "ICP filing due");
  EXPECT_EQ(EncodeHeaderText("备案"), "=?UTF-8?B?5aSH5qGI?=");
  const std::string long_ascii(1000, 'a');
  const std::string encoded = EncodeHeaderText(long_ascii);
  EXPECT_TRUE(absl::StartsWith(encoded, "=?UTF-8?B?"));
  auto decoded = DecodeEncodedWords(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, long_ascii);
}

TEST(SmtpSettingsTest, Validation) {
  SmtpSettings settings;
  settings.url = "smtp://mail.example.com:587";
  settings.from_address = "preflight@example.com";
  EXPECT_TRUE(ValidateSmtpSettings(settings).ok());
  settings.url = "smtps://mail.example.com:465";
  EXPECT_TRUE(ValidateSmtpSettings(settings).ok());
  settings.url = "http://mail.example.com";
  EXPECT_EQ(ValidateSmtpSettings(settings).code(), absl::StatusCode::kInvalidArgument);
  settings.url = "smtp://mail.example.com";
  settings.from_address = "Preflight <preflight@example.com>";
  EXPECT_EQ(ValidateSmtpSettings(settings).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::notifier
