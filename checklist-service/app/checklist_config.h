#pragma once

// Everything checklist-service is started with: main.cc fills it from flags (their help texts
// say what each field means) and hands it to RunChecklist.

#include <cstdint>
#include <string>

#include "common/tls_options.h"

namespace preflight::checklist {

struct ChecklistConfig {
  std::string listen = "127.0.0.1:50051";
  ServerTlsOptions tls;
  bool require_auth = false;
  bool insecure = false;
  std::string metrics_listen;
  // Calendar feeds over HTTP (docs/views.md): where to serve them, empty for none, and the URL
  // they are reached at from outside (empty: http://HOST:PORT of the listener).
  std::string feeds_listen;
  std::string feeds_base_url;
  std::string data_dir;
  std::string builtin_data_dir;
  std::string restore_from;
  // Empty: SQLite files in data_dir. A postgresql:// URL: the schema "checklist" of that
  // database, shared with any other replicas (docs/scaling.md), through this many connections.
  std::string database;
  // A file holding that URL (a mounted Secret), so the password stays out of argv.
  std::string database_file;
  int database_connections = 8;
  // Copy data_dir's SQLite files into the (empty) PostgreSQL `database`, then exit.
  bool copy_sqlite_to_database = false;
  // The store's working set (SqliteOptions).
  int sqlite_reader_connections = 4;
  int64_t sqlite_cache_size_kib = 16 * 1024;
  int64_t sqlite_mmap_size_bytes = int64_t{256} << 20;
  // Fault injection for tests only: a capped or read-only checklist.db.
  int64_t sqlite_max_page_count = 0;
  bool sqlite_read_only = false;
};

}  // namespace preflight::checklist
