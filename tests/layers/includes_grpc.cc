// Compiled with a domain library's include path by the layer_guard test, which expects it to
// fail: domain code may not include gRPC (cmake/preflight.cmake).
#include "grpcpp/grpcpp.h"
