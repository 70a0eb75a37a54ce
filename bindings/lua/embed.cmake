# cmake -DINPUT=crit.lua -DOUTPUT=crit_lua_layer.h -DNAME=crit_lua_layer -P embed.cmake
# Writes INPUT as a NUL-terminated C array, so that sizeof(NAME) - 1 is its
# length and any byte survives.
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
  "\\1\n    " bytes "${bytes}")
file(WRITE ${OUTPUT}.tmp
  "/* Generated from ${INPUT} by embed.cmake; do not edit. */\n"
  "static const char ${NAME}[] = {\n    ${bytes}0x00};\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
