-- util.lua: small helpers that the files of the Lua library share.
local check = require "argcheck"

local util = {}

-- The message of an error without the "file.lua:123: " that Lua puts in front of
-- it, so that the student reads the problem and not nnlab's internals.
function util.strip_position(msg)
  return (tostring(msg):gsub("^[^:\n]*:%d+: ", ""))
end

-- Wraps each method of class (a metatable of Lua objects, __name its type) so that
-- a call on something else, as obj.method(x) for obj:method(x), says so naming the
-- method (argcheck's check.method), instead of Lua's "attempt to index" from inside
-- the method. var is the object's name in the message ("pg" gives "pg:reset: ...").
function util.guard_methods(class, var)
  for name, f in pairs(class) do
    if type(f) == "function" and type(name) == "string" and not name:find("^__") then
      class[name] = function(self, ...)
        check.method(self, class, name, var)
        return f(self, ...)
      end
    end
  end
end

return util
