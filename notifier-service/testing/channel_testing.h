#pragma once

// Helpers shared by the channel tests: a per-suite HTTP receiver (tests/testing/peers.h), and
// signatures recomputed with OpenSSL directly, independently of common/crypto.h and the channels'
// own code. Header-only.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "tests/testing/peers.h"

namespace preflight::testing {

inline std::string OpenSslHmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

inline std::string OpenSslBase64(absl::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Decodes %XX escapes (and nothing else).
inline std::string PercentDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && absl::ascii_isxdigit(text[i + 1]) &&
        absl::ascii_isxdigit(text[i + 2])) {
      out += absl::HexStringToBytes(text.substr(i + 1, 2));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

// One HTTP receiver per test suite, reset before each test.
class ReceiverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = HttpReceiver::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    receiver_ = started->release();
  }
  static void TearDownTestSuite() {
    delete receiver_;
    receiver_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(receiver_, nullptr);
    ASSERT_TRUE(receiver_->Reset().ok());
  }

  // The only request that arrived (fails the test otherwise).
  static RecordedRequest OnlyRequest() {
    auto requests = receiver_->Requests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    if (!requests.ok() || requests->size() != 1) {
      ADD_FAILURE() << "expected exactly one request";
      return {};
    }
    return requests->front();
  }

  static inline HttpReceiver* receiver_ = nullptr;
};

}  // namespace preflight::testing
