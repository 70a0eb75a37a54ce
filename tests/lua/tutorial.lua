-- docs/tutorial-lua.md: its snippets run, in order, and every line ending
-- in `--> text` prints exactly text. Usage: lua5.4 tutorial.lua DOC
local f = assert(io.open((assert(arg[1], "usage: tutorial.lua DOC"))))
local text = f:read("a")
f:close()

local chunks, expected = {}, {}
for block in text:gmatch("```lua\n(.-)```") do
  chunks[#chunks + 1] = block
  for want in block:gmatch("%-%-> ([^\n]*)") do
    expected[#expected + 1] = want
  end
end
assert(#expected >= 5, "too few checked outputs")

local printed = {}
local env = setmetatable({print = function(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  printed[#printed + 1] = table.concat(t, "\t", 1, t.n)
end}, {__index = _G})
assert(load(table.concat(chunks, "\n"), "=tutorial-lua.md", "t", env))()

local i = 1
for _, want in ipairs(expected) do
  while printed[i] ~= nil and printed[i] ~= want do i = i + 1 end
  assert(printed[i] == want, "never printed: " .. want)
  i = i + 1
end
print("tutorial.lua: ok")
