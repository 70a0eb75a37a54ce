require("crit").World():save(arg[1])
