#include "tests/testing/tls_certs.h"

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/testing/subprocess.h"

namespace preflight::testing {
namespace {

constexpr char kOpenssl[] = "/usr/bin/openssl";

absl::Status Run(const std::vector<std::string>& argv) {
  absl::StatusOr<CommandResult> result = RunCommand(argv, absl::Seconds(30));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat(absl::StrJoin(argv, " "), " failed: ", result->output));
  }
  return absl::OkStatus();
}

std::vector<std::string> NewKeyArgs() {
  return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
}

}  // namespace

absl::StatusOr<CaFiles> MakeCa(const std::string& dir, const std::string& name) {
  CaFiles ca{absl::StrCat(dir, "/", name, ".pem"), absl::StrCat(dir, "/", name, ".key")};
  // `req -x509` marks the certificate CA:TRUE (OpenSSL's default v3_ca section).
  std::vector<std::string> argv = {kOpenssl, "req", "-x509"};
  const std::vector<std::string> key = NewKeyArgs();
  argv.insert(argv.end(), key.begin(), key.end());
  argv.insert(argv.end(), {"-keyout", ca.key_path, "-out", ca.cert_path, "-days", "2", "-subj",
                           absl::StrCat("/CN=", name)});
  absl::Status made = Run(argv);
  if (!made.ok()) return made;
  return ca;
}

absl::StatusOr<CertFiles> MakeSignedCert(const std::string& dir, const std::string& name,
                                         const CaFiles& ca, const std::string& common_name,
                                         const std::vector<std::string>& subject_alt_names) {
  CertFiles files{absl::StrCat(dir, "/", name, ".pem"), absl::StrCat(dir, "/", name, ".key")};
  const std::string csr = absl::StrCat(dir, "/", name, ".csr");
  const std::string extensions = absl::StrCat(dir, "/", name, ".ext");
  {
    std::ofstream ext(extensions);
    ext << "basicConstraints=CA:FALSE\n"
        << "keyUsage=critical,digitalSignature,keyEncipherment\n"
        << "extendedKeyUsage=serverAuth,clientAuth\n";
    if (!subject_alt_names.empty()) {
      ext << "subjectAltName=" << absl::StrJoin(subject_alt_names, ",") << "\n";
    }
    if (!ext) return absl::InternalError(absl::StrCat("cannot write ", extensions));
  }
  std::vector<std::string> request = {kOpenssl, "req", "-new"};
  const std::vector<std::string> key = NewKeyArgs();
  request.insert(request.end(), key.begin(), key.end());
  request.insert(request.end(), {"-keyout", files.key_path, "-out", csr, "-subj",
                                 absl::StrCat("/CN=", common_name)});
  absl::Status requested = Run(request);
  if (!requested.ok()) return requested;
  absl::Status signed_cert =
      Run({kOpenssl, "x509", "-req", "-in", csr, "-CA", ca.cert_path, "-CAkey", ca.key_path,
           "-CAcreateserial", "-out", files.cert_path, "-days", "2", "-extfile", extensions});
  if (!signed_cert.ok()) return signed_cert;
  return files;
}

absl::StatusOr<TestPki> MakeTestPki(const std::string& dir) {
  TestPki pki;
  absl::StatusOr<CaFiles> ca = MakeCa(dir, "test-ca");
  if (!ca.ok()) return ca.status();
  pki.ca = *ca;
  absl::StatusOr<CertFiles> server =
      MakeSignedCert(dir, "server", pki.ca, "localhost", {"IP:127.0.0.1", "DNS:localhost"});
  if (!server.ok()) return server.status();
  pki.server = *server;
  absl::StatusOr<CertFiles> client = MakeSignedCert(dir, "client", pki.ca, "test-client", {});
  if (!client.ok()) return client.status();
  pki.client = *client;
  return pki;
}

}  // namespace preflight::testing
