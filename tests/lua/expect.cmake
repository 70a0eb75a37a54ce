# cmake -DCOMMAND=<cmd;args> -DEXPECT_RC=<n> -DEXPECT_REGEX=<re> -P expect.cmake
# Runs COMMAND; fails unless it exits EXPECT_RC and its stderr matches.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECT_RC)
  message(FATAL_ERROR "exit ${rc}, expected ${EXPECT_RC}\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_REGEX}':\n${err}")
endif()
message(STATUS "exit ${rc} as expected; stderr: ${err}")
