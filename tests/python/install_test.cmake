# Install into a scratch prefix, then import crit from there alone: the
# extension must find the installed libcrit through its RUNPATH.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR}
  --prefix ${PREFIX} OUTPUT_QUIET RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
set(ENV{PYTHONPATH} ${SITE})
unset(ENV{LD_LIBRARY_PATH})
execute_process(COMMAND ${PYTHON} -c
  "import crit, os; w = crit.World(); w.add_economy('USA', member=True); assert w.members == ['USA']; assert crit.__file__.startswith(os.environ['PYTHONPATH']), crit.__file__; print(crit.__file__, crit.__version__)"
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "importing the installed crit failed: ${rc}")
endif()
