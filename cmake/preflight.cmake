# The project's build functions and the layer rules they enforce (docs/architecture.md).
#
#   preflight_add_library(NAME [LAYER domain] SOURCES ... DEPS ...)
#   preflight_add_tests(NAME SOURCES ... DEPS ...)
#
# LAYER domain marks plain-C++ code: the domain libraries and what they may use (the base
# library, the API vocabulary). Such a library fails to build if one of its files includes a
# gRPC, SQLite or libpqxx header, directly or through another header: its include path starts
# with a folder of stand-ins for every one of those headers that each stop the compiler with an
# #error. preflight_check_layers() then refuses, at configure time, a domain library that links
# gRPC, SQLite or libpqxx, or any library outside the domain layer.

set(PREFLIGHT_POISON_DIR "${CMAKE_BINARY_DIR}/layer-guard")

# The stand-ins: one per header of gRPC, gRPC++, SQLite and libpqxx, under the same relative path.
function(preflight_make_layer_guard)
  set(roots)
  foreach(target gRPC::grpc++ SQLiteCpp)
    get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
    if(dirs)
      list(APPEND roots ${dirs})
    endif()
  endforeach()
  list(APPEND roots /usr/include)
  list(REMOVE_DUPLICATES roots)
  set(count 0)
  foreach(root IN LISTS roots)
    file(GLOB_RECURSE headers RELATIVE "${root}" LIST_DIRECTORIES false
      "${root}/grpc/*.h" "${root}/grpcpp/*.h" "${root}/grpc++/*.h" "${root}/SQLiteCpp/*.h"
      "${root}/pqxx/*")
    foreach(name sqlite3.h sqlite3ext.h postgresql/libpq-fe.h)
      if(EXISTS "${root}/${name}")
        list(APPEND headers ${name})
      endif()
    endforeach()
    foreach(header IN LISTS headers)
      set(guard "${PREFLIGHT_POISON_DIR}/${header}")
      if(NOT EXISTS "${guard}")
        file(WRITE "${guard}"
          "#error \"layer violation: domain code includes <${header}>; gRPC, SQLite and PostgreSQL belong to the adapters (docs/architecture.md)\"\n")
      endif()
      math(EXPR count "${count} + 1")
    endforeach()
  endforeach()
  if(count EQUAL 0)
    message(FATAL_ERROR "layer guard: found no gRPC or SQLite headers to guard")
  endif()
endfunction()

function(preflight_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "LAYER" "SOURCES;DEPS")
  add_library(${name} STATIC ${arg_SOURCES})
  # Headers are named from the source root ("checklist-service/domain/model.h").
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PUBLIC ${arg_DEPS})
  if(arg_LAYER STREQUAL "domain")
    target_include_directories(${name} BEFORE PRIVATE "${PREFLIGHT_POISON_DIR}")
  elseif(arg_LAYER)
    message(FATAL_ERROR "${name}: unknown LAYER ${arg_LAYER}")
  endif()
  set_property(TARGET ${name} PROPERTY PREFLIGHT_LAYER "${arg_LAYER}")
  set_property(GLOBAL APPEND PROPERTY PREFLIGHT_LIBRARIES ${name})
endfunction()

function(preflight_add_tests name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPS")
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_DEPS} preflight_testing GTest::gmock_main)
  target_compile_definitions(${name} PRIVATE
    PREFLIGHT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PREFLIGHT_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# preflight_add_testing_library(NAME SOURCES ... DEPS ...): a per-layer test fixture
# (<layer>/testing/<thing>_testing.cc, docs/testing.md), linked only by test binaries.
function(preflight_add_testing_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPS")
  add_library(${name} STATIC ${arg_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PUBLIC ${arg_DEPS} preflight_testing)
  target_compile_definitions(${name} PRIVATE PREFLIGHT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()

# Every library a target links, transitively (project targets and imported ones).
function(preflight_collect_links target out)
  set(seen ${${out}})
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  if(NOT links)
    set(${out} ${seen} PARENT_SCOPE)
    return()
  endif()
  foreach(link IN LISTS links)
    if(link MATCHES "^\\$<" OR link IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${link})
    if(TARGET ${link})
      preflight_collect_links(${link} seen)
    endif()
  endforeach()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(preflight_check_layers)
  get_property(libraries GLOBAL PROPERTY PREFLIGHT_LIBRARIES)
  set(domain_count 0)
  foreach(library IN LISTS libraries)
    get_target_property(layer ${library} PREFLIGHT_LAYER)
    if(NOT layer STREQUAL "domain")
      continue()
    endif()
    math(EXPR domain_count "${domain_count} + 1")
    set(links)
    preflight_collect_links(${library} links)
    foreach(link IN LISTS links)
      if(link MATCHES "^(gRPC::|SQLiteCpp$|SQLite::|CURL::|PkgConfig::HTTPLIB|PkgConfig::LIBPQXX)")
        message(FATAL_ERROR "layer violation: domain library ${library} links ${link}")
      endif()
      if(TARGET ${link} AND link IN_LIST libraries)
        get_target_property(link_layer ${link} PREFLIGHT_LAYER)
        if(NOT link_layer STREQUAL "domain" AND NOT link STREQUAL "preflight_logging"
           AND NOT link STREQUAL "preflight_proto_messages")
          message(FATAL_ERROR
            "layer violation: domain library ${library} links ${link}, which is not plain C++")
        endif()
      endif()
    endforeach()
  endforeach()
  message(STATUS "layers: ${domain_count} domain libraries link no gRPC, SQLite or adapter")
endfunction()
