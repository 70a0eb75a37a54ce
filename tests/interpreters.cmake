# Environment for tests that load libcrit into an interpreter built without
# sanitizers (python3, lua5.4). In the sanitizer build the ASan runtime
# must come first, so it is preloaded; the interpreters leak by design, so
# leak detection is off for them (the C tests and critlua keep it).
# Sets CRIT_INTERPRETER_ENV, a list for set_tests_properties(ENVIRONMENT).
set(CRIT_INTERPRETER_ENV)
if(CRIT_SANITIZE)
  execute_process(
    COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so
    OUTPUT_VARIABLE _asan OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${_asan}" OR NOT EXISTS "${_asan}")
    message(FATAL_ERROR "cannot find the ASan runtime (got '${_asan}')")
  endif()
  list(APPEND CRIT_INTERPRETER_ENV
    "LD_PRELOAD=${_asan}"
    "ASAN_OPTIONS=detect_leaks=0"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()
