# cmake -DDOXYGEN=<doxygen> -DDOXYFILE=<Doxyfile> -P run_doxygen.cmake
# Runs Doxygen and fails when its warning log (WARN_LOGFILE in the
# Doxyfile) is not empty: an undocumented function, parameter, return
# value, type, member or macro of the public headers.
file(STRINGS ${DOXYFILE} _log REGEX "^WARN_LOGFILE *=")
list(GET _log -1 _log)
string(REGEX REPLACE "^WARN_LOGFILE *= *" "" _log "${_log}")
get_filename_component(_dir ${_log} DIRECTORY)
file(REMOVE_RECURSE ${_dir})
file(MAKE_DIRECTORY ${_dir})
execute_process(COMMAND ${DOXYGEN} ${DOXYFILE} RESULT_VARIABLE _rc
  OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "doxygen failed (${_rc}):\n${_out}")
endif()
file(READ ${_log} _warnings)
string(STRIP "${_warnings}" _warnings)
if(NOT _warnings STREQUAL "")
  message(FATAL_ERROR "doxygen warnings in the public headers:\n${_warnings}")
endif()
message(STATUS "doxygen: no warnings")
