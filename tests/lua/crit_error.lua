-- An uncaught libcrit error: critlua exits 1 and prints it.
local crit = require "crit"
local w = crit.World()
w:add_mineral("Ga", -1)
