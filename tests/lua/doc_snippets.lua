-- The Lua snippets of a document run, in order, after an optional
-- prelude that defines what the document assumes (docs/model.md's
-- example world `w` and policy `p`); every value they print is a number
-- (a price, a flow, a levy), and finite. docs/tutorial-lua.md has its own
-- test (tutorial.lua), which also checks what it prints.
-- Usage: lua5.4 doc_snippets.lua DOC [PRELUDE]
local doc = assert(arg[1], "usage: doc_snippets.lua DOC [PRELUDE]")
local f = assert(io.open(doc))
local text = f:read("a")
f:close()
local chunks = {}
for block in text:gmatch("```lua\n(.-)```") do
  chunks[#chunks + 1] = block
end
assert(#chunks > 0, doc .. ": no lua block")

local printed = 0
local env = setmetatable({print = function(...)
  local t = table.pack(...)
  for i = 1, t.n do
    assert(math.type(t[i]) ~= nil and t[i] == t[i] and
           t[i] > -math.huge and t[i] < math.huge,
           doc .. " printed " .. tostring(t[i]) .. ", not a finite number")
  end
  printed = printed + t.n
end}, {__index = _G})
if arg[2] then
  assert(loadfile(arg[2], "t", env))()
end
local name = "=" .. doc:match("[^/]*$")
assert(load(table.concat(chunks, "\n"), name, "t", env))()
print(("doc_snippets.lua: ok (%s, %d blocks, %d values printed)"):format(
  doc:match("[^/]*$"), #chunks, printed))
