#include "common/tls_options.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace preflight {
namespace {

// PEM files of a few certificates are kilobytes; anything this big is the wrong file.
constexpr std::streamoff kMaxPemBytes = 1 << 20;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// A file named by a flag, for error messages: "--tls_cert=/path".
std::string FlagFile(absl::string_view flag, absl::string_view path) {
  return absl::StrCat("--", flag, "=", path);
}

absl::StatusOr<std::string> ReadPemFile(absl::string_view flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat(FlagFile(flag, path), ": cannot read: ", std::strerror(errno)));
  }
  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  if (size > kMaxPemBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(FlagFile(flag, path), ": too large for a PEM file (", size, " bytes)"));
  }
  file.seekg(0, std::ios::beg);
  std::ostringstream contents;
  contents << file.rdbuf();
  if (!file) {
    return absl::InvalidArgumentError(absl::StrCat(FlagFile(flag, path), ": cannot read"));
  }
  return contents.str();
}

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Never prompts for a passphrase on the terminal: an encrypted key simply fails to load.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return 0; }

// The first certificate in `pem`; null when there is none.
std::unique_ptr<X509, X509Free> FirstCertificate(const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio = MemoryBio(pem);
  std::unique_ptr<X509, X509Free> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, &NoPassphrase, nullptr) : nullptr);
  ERR_clear_error();
  return cert;
}

// Reads a file that must hold at least one PEM certificate.
absl::StatusOr<std::string> ReadCertificates(absl::string_view flag, const std::string& path) {
  absl::StatusOr<std::string> pem = ReadPemFile(flag, path);
  if (!pem.ok()) return pem.status();
  if (FirstCertificate(*pem) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(FlagFile(flag, path), ": holds no PEM certificate"));
  }
  return pem;
}

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

// Reads a certificate chain and its private key, and checks that they belong together.
absl::StatusOr<KeyPair> ReadKeyPair(absl::string_view cert_flag, const std::string& cert_path,
                                    absl::string_view key_flag, const std::string& key_path) {
  if (cert_path.empty() || key_path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", cert_flag, " and --", key_flag, " must be given together"));
  }
  KeyPair pair;
  absl::StatusOr<std::string> cert = ReadCertificates(cert_flag, cert_path);
  if (!cert.ok()) return cert.status();
  pair.cert_pem = *std::move(cert);
  absl::StatusOr<std::string> key = ReadPemFile(key_flag, key_path);
  if (!key.ok()) return key.status();
  pair.key_pem = *std::move(key);

  std::unique_ptr<BIO, BioFree> bio = MemoryBio(pair.key_pem);
  std::unique_ptr<EVP_PKEY, KeyFree> parsed(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr) : nullptr);
  ERR_clear_error();
  if (parsed == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(FlagFile(key_flag, key_path), ": holds no unencrypted PEM private key"));
  }
  std::unique_ptr<X509, X509Free> leaf = FirstCertificate(pair.cert_pem);
  const bool matches = X509_check_private_key(leaf.get(), parsed.get()) == 1;
  ERR_clear_error();
  if (!matches) {
    return absl::InvalidArgumentError(absl::StrCat(FlagFile(key_flag, key_path),
                                                   " is not the key of the certificate in ",
                                                   FlagFile(cert_flag, cert_path)));
  }
  return pair;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> LoadServerCredentials(
    const ServerTlsOptions& options) {
  if (!options.enabled()) return grpc::InsecureServerCredentials();
  absl::StatusOr<KeyPair> pair =
      ReadKeyPair("tls_cert", options.cert_file, "tls_key", options.key_file);
  if (!pair.ok()) return pair.status();

  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({pair->key_pem, pair->cert_pem});
  if (!options.client_ca_file.empty()) {
    absl::StatusOr<std::string> client_ca =
        ReadCertificates("tls_client_ca", options.client_ca_file);
    if (!client_ca.ok()) return client_ca.status();
    ssl.pem_root_certs = *std::move(client_ca);
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

void ClientTls::Apply(grpc::ChannelArguments& args) const {
  if (tls && !server_name.empty()) args.SetSslTargetNameOverride(server_name);
}

absl::StatusOr<ClientTls> LoadClientTls(const ClientTlsOptions& options,
                                        absl::string_view flag_prefix) {
  ClientTls result;
  if (!options.enabled()) return result;
  const std::string ca_flag = absl::StrCat(flag_prefix, "ca");
  const std::string cert_flag = absl::StrCat(flag_prefix, "cert");
  const std::string key_flag = absl::StrCat(flag_prefix, "key");

  grpc::SslCredentialsOptions ssl;
  if (!options.ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadCertificates(ca_flag, options.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!options.cert_file.empty() || !options.key_file.empty()) {
    absl::StatusOr<KeyPair> pair =
        ReadKeyPair(cert_flag, options.cert_file, key_flag, options.key_file);
    if (!pair.ok()) return pair.status();
    ssl.pem_cert_chain = std::move(pair->cert_pem);
    ssl.pem_private_key = std::move(pair->key_pem);
  }
  result.credentials = grpc::SslCredentials(ssl);
  result.tls = true;
  result.server_name = options.server_name;
  return result;
}

}  // namespace preflight
