#pragma once

// `preflight admin backup DIR`: what each service streams, written into DIR/<service>/ with its
// MANIFEST.json, and checked (sizes, SHA-256, SQLite's integrity check) before it is called done.

#include <string>

#include "absl/status/statusor.h"
#include "cli/admin_client.h"
#include "preflight/v1/admin.pb.h"

namespace preflight::cli {

// Receives one service's backup from `client` into `dir` (created; it must not exist yet, so no
// backup is ever overwritten). A failed or interrupted backup leaves no manifest, so it cannot
// be restored by mistake. Returns the manifest.
absl::StatusOr<v1::BackupManifest> ReceiveBackup(AdminClient& client, const std::string& dir);

// One line per backed-up service for the CLI's output.
std::string RenderBackup(const std::string& dir, const v1::BackupManifest& manifest);

}  // namespace preflight::cli
