# cmake -DCOMMAND=<cmd;args> -DEXPECT_RC=<n> -DEXPECT_REGEX=<re> -P expect.cmake
# [-DEXPECT_ABSENT=<path;...>]
# Runs COMMAND; fails unless it exits EXPECT_RC, its stderr matches and
# none of the EXPECT_ABSENT paths exists afterwards (any there before is
# removed first).
foreach(p ${EXPECT_ABSENT})
  file(REMOVE ${p})
endforeach()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECT_RC)
  message(FATAL_ERROR "exit ${rc}, expected ${EXPECT_RC}\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_REGEX}':\n${err}")
endif()
foreach(p ${EXPECT_ABSENT})
  if(EXISTS ${p})
    message(FATAL_ERROR "${p} exists: the command wrote it")
  endif()
endforeach()
message(STATUS "exit ${rc} as expected; stderr: ${err}")
