-- util.lua: small helpers that the files of the Lua library share.
local util = {}

-- The message of an error without the "file.lua:123: " that Lua puts in front of
-- it, so that the student reads the problem and not nnlab's internals.
function util.strip_position(msg)
  return (tostring(msg):gsub("^[^:\n]*:%d+: ", ""))
end

return util
