-- argcheck.lua: argument checks of the application libraries (rbm.lua, control.lua,
-- faults.lua): each raises, at the caller of the public function, an error naming
-- the function, the argument and the value given ("control.pid: dt must be a number
-- > 0, got nil"), instead of Lua's own "attempt to ..." from inside the library.
local A = {}

local function registry_is(v, name)
  return type(v) == "userdata" and getmetatable(v) == debug.getregistry()[name]
end

--- A.describe(v) -> the value as a message shows it
function A.describe(v)
  if type(v) == "string" then return ("the string %q"):format(#v > 40 and v:sub(1, 40) .. "..." or v) end
  if type(v) == "number" then return v ~= v and "nan" or tostring(v) end
  if type(v) == "boolean" then return tostring(v) end
  if v == nil then return "nil" end
  local ok, name = pcall(function() return getmetatable(v) and getmetatable(v).__name end)
  if ok and type(name) == "string" then return "a " .. name end
  return "a " .. type(v)
end
local describe = A.describe

-- Errors at level 4: the caller of the public function that called a check.
local function fail(f, what, v, expected)
  error(("%s: %s must be %s, got %s"):format(f, what, expected, describe(v)), 4)
end

--- A.number(f, what, v [, lo [, hi]]) -> v: a finite number in [lo, hi]
function A.number(f, what, v, lo, hi)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge or (lo and v < lo) or (hi and v > hi) then
    local range = lo and hi and (" from %g to %g"):format(lo, hi) or lo and (" >= %g"):format(lo)
      or hi and (" <= %g"):format(hi) or ""
    fail(f, what, v, "a finite number" .. range)
  end
  return v
end

--- A.positive(f, what, v [, hi]) -> v: a finite number > 0 (and <= hi)
function A.positive(f, what, v, hi)
  if type(v) ~= "number" or not (v > 0) or v == math.huge or (hi and v > hi) then
    fail(f, what, v, "a number > 0" .. (hi and (" and <= %g"):format(hi) or ""))
  end
  return v
end

--- A.count(f, what, v, lo, hi) -> v as an integer: a whole number from lo to hi
function A.count(f, what, v, lo, hi)
  local i = math.type(v) and math.tointeger(v)
  if not i or i < lo or i > hi then fail(f, what, v, ("a whole number from %d to %d"):format(lo, hi)) end
  return i
end

--- A.table(f, what, v) -> v: a table
function A.table(f, what, v)
  if type(v) ~= "table" then fail(f, what, v, "a table") end
  return v
end

--- A.options(f, v) -> v or {}: nil or a table of options
function A.options(f, v)
  if v == nil then return {} end
  if type(v) ~= "table" then fail(f, "the options", v, "a table") end
  return v
end

--- A.numbers(f, what, v [, min_len [, any]]) -> v: a list of at least min_len finite
--- numbers (any: infinities and NaN too, as an unstable loop's response has)
function A.numbers(f, what, v, min_len, any)
  if type(v) ~= "table" or #v < (min_len or 0) then
    fail(f, what, v, ("a list of at least %d numbers"):format(min_len or 0))
  end
  for i = 1, #v do
    local x = v[i]
    if type(x) ~= "number" or not any and (x ~= x or x == math.huge or x == -math.huge) then
      fail(f, ("%s[%d]"):format(what, i), x, any and "a number" or "a finite number")
    end
  end
  return v
end

--- A.dataset(f, what, v) -> v: a data set (data.from, data.spiral, ...)
function A.dataset(f, what, v)
  if not registry_is(v, "nnlab.dataset") then fail(f, what, v, "a data set") end
  return v
end

--- A.is_tensor(v), A.is_dataset(v) -> whether v is one
function A.is_tensor(v) return registry_is(v, "nnlab.tensor") end
function A.is_dataset(v) return registry_is(v, "nnlab.dataset") end

--- A.model(f, what, v) -> v: a model (anything with a predict method)
function A.model(f, what, v)
  local ok, predict = pcall(function() return v.predict end)
  if not (ok and type(predict) == "function") then
    fail(f, what, v, "a model (nn.sequential, ...)")
  end
  return v
end

--- A.class(f, what, v, mt, expected) -> v: a table whose metatable is mt
function A.class(f, what, v, mt, expected)
  if getmetatable(v) ~= mt then fail(f, what, v, expected) end
  return v
end

return A
