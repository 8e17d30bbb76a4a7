-- test_help_coverage.lua: every public Lua function has a help entry: functions of
-- the global modules (nn, optim, data, plot, ..., repl), the REPL's globals (help,
-- spawn, ...) and the methods in the __index tables of "nnlab.*" metatables. Fails
-- with the list of what is missing; entries go in lua/doc/<area>.lua.
local help = require "help"

-- the userdata types register their metatables when their module loads: load them
for _, mod in ipairs(help.modules) do
  if _G[mod] == nil then pcall(require, mod) end
end

local missing = help.missing()
if #missing > 0 then
  error(("%d public functions have no help entry (add them to lua/doc/*.lua):\n  %s")
    :format(#missing, table.concat(missing, "\n  ")), 0)
end

-- every entry has at least a signature and a one-line summary
for key, e in pairs(help.entries()) do
  assert(type(e) == "table", key .. ": an entry is a table")
  assert(type(e.sig) == "string" and type(e.summary) == "string",
    key .. ": an entry needs sig and summary")
end
