#pragma once

// TLS for the services' listeners and their gRPC clients, configured by PEM file paths (flags).
// The files are read and checked once, at start, so that a wrong path, a key that does not
// belong to its certificate or a file that holds no certificate is a clear error naming the flag
// rather than a failed handshake later.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace preflight {

// A listener's TLS: --tls_cert and --tls_key turn it on; --tls_client_ca also requires every
// client to present a certificate issued by that CA (mutual TLS).
struct ServerTlsOptions {
  // PEM certificate chain, leaf first.
  std::string cert_file;
  // PEM private key of the leaf certificate.
  std::string key_file;
  // PEM CA certificates that client certificates must chain to; empty: no client certificates.
  std::string client_ca_file;

  // True when any file is named (an incomplete set is then an error, never plaintext).
  bool enabled() const {
    return !cert_file.empty() || !key_file.empty() || !client_ca_file.empty();
  }
};

// Plaintext credentials when `options` names no file, else TLS (mutual TLS with a client CA).
// INVALID_ARGUMENT naming the flag (--tls_cert, --tls_key, --tls_client_ca) when a file is missing,
// unreadable or not what it should be, or the key does not match the certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> LoadServerCredentials(
    const ServerTlsOptions& options);

// A client's TLS. Naming any file or a server name turns TLS on; without a CA file the server is
// verified against the system's trusted roots.
struct ClientTlsOptions {
  // PEM CA certificates the server's certificate must chain to.
  std::string ca_file;
  // The client's own certificate and key, for servers that require mutual TLS; both or neither.
  std::string cert_file;
  std::string key_file;
  // The name the server's certificate is checked against instead of the host of the address
  // (e.g. when connecting by IP to a server whose certificate names only its DNS name).
  std::string server_name;

  bool enabled() const {
    return !ca_file.empty() || !cert_file.empty() || !key_file.empty() || !server_name.empty();
  }
};

// What a client channel needs: credentials and, with TLS, the server name override.
struct ClientTls {
  // Never null; a default ClientTls is plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  bool tls = false;
  std::string server_name = "";

  // Adds the server name override (if any) to `args`.
  void Apply(grpc::ChannelArguments& args) const;
};

// Loads `options`. `flag_prefix` is how the flags are named in error messages: with "tls_" the
// messages name --tls_ca, --tls_cert, --tls_key and --tls_server_name. INVALID_ARGUMENT as for
// LoadServerCredentials.
absl::StatusOr<ClientTls> LoadClientTls(const ClientTlsOptions& options,
                                        absl::string_view flag_prefix = "tls_");

}  // namespace preflight
