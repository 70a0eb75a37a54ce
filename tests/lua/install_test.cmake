# Install into a scratch prefix, then load crit.so with lua5.4 and run
# critlua from there alone (both find libcrit through their RUNPATH).
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR}
  --prefix ${PREFIX} OUTPUT_QUIET RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
unset(ENV{LD_LIBRARY_PATH})
set(ENV{LUA_CPATH} "${PREFIX}/${LUA_DIR}/?.so")
set(script "local crit = require 'crit'; local w <close> = crit.World(); w:add_economy('USA'); assert(#w:economies() == 1); print('installed', crit.VERSION)")
file(WRITE ${PREFIX}/check.lua "${script}\n")
foreach(cmd "${LUA};${PREFIX}/check.lua" "${PREFIX}/bin/critlua;${PREFIX}/check.lua")
  execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  if(rc OR NOT out MATCHES "^installed\t1\\.")
    message(FATAL_ERROR "${cmd}: exit ${rc}\n${out}${err}")
  endif()
endforeach()
