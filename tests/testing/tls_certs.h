#pragma once

// A small test PKI made with the openssl CLI at test time: a CA, and certificates it signs for
// servers and clients. Nothing is committed, so nothing expires in the repository.
//
//   TempDir dir;
//   auto pki = MakeTestPki(dir.path());   // CA + server cert (127.0.0.1, localhost) + client cert
//   ... --tls_cert=pki->server.cert_path --tls_key=pki->server.key_path ...
//   ... --tls_ca=pki->ca_cert_path ...

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/testing/peers.h"

namespace preflight::testing {

// A CA's certificate and key (EC P-256, valid for two days).
struct CaFiles {
  std::string cert_path;
  std::string key_path;
};

// Writes <name>.pem and <name>.key for a new self-signed CA into `dir`.
absl::StatusOr<CaFiles> MakeCa(const std::string& dir, const std::string& name);

// Writes <name>.pem and <name>.key into `dir`: a leaf certificate signed by `ca`, usable for both
// TLS servers and clients, with common name `common_name` and these subject alternative names,
// e.g. {"IP:127.0.0.1", "DNS:localhost"} (none: no SAN extension).
absl::StatusOr<CertFiles> MakeSignedCert(const std::string& dir, const std::string& name,
                                         const CaFiles& ca, const std::string& common_name,
                                         const std::vector<std::string>& subject_alt_names);

struct TestPki {
  CaFiles ca;
  // For 127.0.0.1 and localhost.
  CertFiles server;
  // CN=test-client, no SAN.
  CertFiles client;
};

// A CA in `dir` with a server and a client certificate.
absl::StatusOr<TestPki> MakeTestPki(const std::string& dir);

}  // namespace preflight::testing
