// Compiled with a domain library's include path by the layer_guard test, which expects it to
// fail: domain code may not include libpqxx, not even through another header.
#include "common/postgres/postgres_pool.h"
