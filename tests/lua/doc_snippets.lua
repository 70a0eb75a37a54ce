-- A document's Lua snippets run, in order, after an optional prelude that
-- defines what the document assumes (docs/model.md's example world `w`
-- and policy `p`). Every line ending in `--> text` prints exactly text,
-- in order (other printed lines are skipped), and there are at least
-- MIN such lines (0 by default); a document without them may print only
-- finite numbers (model.md: a price, a flow, a levy).
-- Usage: lua5.4 doc_snippets.lua DOC [PRELUDE|-] [MIN]
local usage = "usage: doc_snippets.lua DOC [PRELUDE|-] [MIN]"
local doc = assert(arg[1], usage)
local prelude = arg[2] ~= "-" and arg[2] or nil
local min = math.tointeger(tonumber(arg[3] or "0")) or error(usage)
local base = doc:match("[^/]*$")
local f = assert(io.open(doc))
local text = f:read("a")
f:close()

local chunks, expected = {}, {}
for block in text:gmatch("```lua\n(.-)```") do
  chunks[#chunks + 1] = block
  for want in block:gmatch("%-%-> ([^\n]*)") do
    expected[#expected + 1] = want
  end
end
assert(#chunks > 0, doc .. ": no lua block")
assert(#expected >= min, ("%s: %d checked outputs, fewer than %d"):format(
  doc, #expected, min))

local printed = {}
local env = setmetatable({print = function(...)
  local t = table.pack(...)
  for i = 1, t.n do
    if #expected == 0 then
      assert(math.type(t[i]) ~= nil and t[i] == t[i] and
             t[i] > -math.huge and t[i] < math.huge,
             doc .. " printed " .. tostring(t[i]) .. ", not a finite number")
    end
    t[i] = tostring(t[i])
  end
  printed[#printed + 1] = table.concat(t, "\t", 1, t.n)
end}, {__index = _G})
if prelude then
  assert(loadfile(prelude, "t", env))()
end
assert(load(table.concat(chunks, "\n"), "=" .. base, "t", env))()

local i = 1
for _, want in ipairs(expected) do
  while printed[i] ~= nil and printed[i] ~= want do i = i + 1 end
  assert(printed[i] == want, "never printed: " .. want)
  i = i + 1
end
print(("doc_snippets.lua: ok (%s, %d blocks, %d lines printed, %d checked)")
  :format(base, #chunks, #printed, #expected))
