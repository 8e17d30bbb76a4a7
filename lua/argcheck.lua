-- argcheck.lua: the one set of argument checks of the Lua library (ae, gan, views_gen,
-- rbm, control, faults, data, text and its parts, views_text, views_lm). Each check
-- returns the value (a default for nil where it takes one) or raises, at the caller
-- of the public function, "fname: what must be <expected>, got <value>", naming the
-- function, the argument and the value given, instead of Lua's own "attempt to ..."
-- from inside the library. The names of a table of options are options.lua's.
local check = {}

local debug = debug -- captured: --safe takes it from user code (lua/sandbox.lua)

local LEVEL = 4 -- error() in fail <- the check <- the public function <- its caller

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

local function registry_is(v, name)
  return type(v) == "userdata" and getmetatable(v) == debug.getregistry()[name]
end

--- check.is_tensor(v), check.is_dataset(v) -> whether v is one
function check.is_tensor(v) return registry_is(v, "nnlab.tensor") end
function check.is_dataset(v) return registry_is(v, "nnlab.dataset") end

local function finite(v) return type(v) == "number" and v == v and v > -math.huge and v < math.huge end
--- check.is_finite(v) -> whether v is a number, neither NaN nor infinite
check.is_finite = finite

--- The predicates check.want takes: check.is_integer(v) (a Lua integer),
--- check.is_count(v) (an integer > 0), check.is_positive(v) (a finite number > 0),
--- check.is_fraction(v) (a number in [0, 1)).
function check.is_integer(v) return math.type(v) == "integer" end
function check.is_count(v) return math.type(v) == "integer" and v > 0 end
function check.is_positive(v) return type(v) == "number" and v > 0 and v < math.huge end
function check.is_fraction(v) return type(v) == "number" and v >= 0 and v < 1 end

local function a_or_an(word) return (word:find("^[aeiouAEIOU]") and "an " or "a ") .. word end

--- check.describe(v) -> v as a message shows it: numbers as Lua writes them (NaN as
--- nan), true and false, nil, strings quoted and cut ('the string "abc"'), a tensor
--- with its shape ("a tensor [2, 3]"), objects by their type ("a module", "a
--- vocabulary"), else the type ("a table", "a function").
function check.describe(v)
  local t = type(v)
  if t == "number" then
    if v ~= v then return "nan" end
    return math.type(v) == "integer" and tostring(v) or ("%.14g"):format(v)
  elseif t == "string" then
    return ("the string %q"):format(#v > 40 and v:sub(1, 40) .. "..." or v)
  elseif t == "nil" or t == "boolean" then
    return tostring(v)
  end
  if check.is_tensor(v) then
    local ok, shape = pcall(function() return v.shape end) -- a freed tensor has none
    return ok and ("a tensor [%s]"):format(table.concat(shape, ", ")) or "a freed tensor"
  end
  local name = mt_name(v)
  if type(name) == "string" then return a_or_an((name:gsub("^nnlab%.", ""))) end
  return a_or_an(t)
end
local describe = check.describe

--- check.fail(fname, what, expected, v [, level]): raises "fname: what must be
--- expected, got <v>"; level is error's (default: the caller of the public function
--- that called a check; 3 when the public function calls fail itself).
function check.fail(fname, what, expected, v, level)
  error(("%s: %s must be %s, got %s"):format(fname, what, expected, describe(v)), level or LEVEL)
end
local fail = check.fail

--- check.want(fname, opts, key, ok, expected) -> opts[key]: nil, or a value that the
--- predicate ok accepts (else "fname: key must be expected, got <value>").
function check.want(fname, opts, key, ok, expected)
  local v = opts[key]
  if v ~= nil and not ok(v) then fail(fname, key, expected, v) end
  return v
end

--- check.method(v, class, name, var): raises, when v's metatable is not class, that
--- the method was called on something else (v.id(5) for v:id(5)): "v:id: call it on a
--- vocabulary with a colon, v:id(...); got 5"; var is the object's name in it.
function check.method(v, class, name, var)
  if getmetatable(v) ~= class then
    error(("%s:%s: call it on %s with a colon, %s:%s(...); got %s"):format(var, name,
      a_or_an(class.__name or "object"), var, name, describe(v)), 3)
  end
end

--- check.number(fname, what, v [, lo, hi, default]) -> a finite number in [lo, hi]
function check.number(fname, what, v, lo, hi, default)
  if v == nil and default ~= nil then return default end
  if not finite(v) or (lo and v < lo) or (hi and v > hi) then
    local range = lo and hi and (" from %s to %s"):format(describe(lo), describe(hi))
      or lo and (" >= %s"):format(describe(lo)) or hi and (" <= %s"):format(describe(hi)) or ""
    fail(fname, what, "a finite number" .. range, v)
  end
  return v
end

--- check.positive(fname, what, v [, default [, hi]]) -> a finite number > 0 (and <= hi)
function check.positive(fname, what, v, default, hi)
  if v == nil and default ~= nil then return default end
  if not finite(v) or v <= 0 or (hi and v > hi) then
    fail(fname, what, "a finite number > 0" .. (hi and (" and <= %s"):format(describe(hi)) or ""), v)
  end
  return v
end

--- check.whole(fname, what, v [, lo, hi, default]) -> v as an integer: a whole number
--- in [lo, hi]
function check.whole(fname, what, v, lo, hi, default)
  if v == nil and default ~= nil then return default end
  local i = finite(v) and math.tointeger(v)
  if not i or (lo and i < lo) or (hi and i > hi) then
    local range = lo and hi and (" from %d to %d"):format(lo, hi) or lo and (" >= %d"):format(lo)
      or hi and (" <= %d"):format(hi) or ""
    fail(fname, what, "a whole number" .. range, v)
  end
  return i
end

--- check.table(fname, what, v) -> v: a table
function check.table(fname, what, v)
  if type(v) ~= "table" then fail(fname, what, "a table", v) end
  return v
end

--- check.options(fname, v [, example]) -> v or {}: nil or a plain table of options
--- (not an object); example is shown as the table it should look like.
function check.options(fname, v, example)
  if v == nil then return {} end
  if type(v) ~= "table" or getmetatable(v) ~= nil then
    fail(fname, "the options", example and ("a table like " .. example) or "a table", v)
  end
  return v
end

--- check.numbers(fname, what, v [, min_len [, any]]) -> v: a list of at least min_len
--- finite numbers (any: infinities and NaN too, as an unstable loop's response has)
function check.numbers(fname, what, v, min_len, any)
  if type(v) ~= "table" or #v < (min_len or 0) then
    fail(fname, what, ("a list of at least %d numbers"):format(min_len or 0), v)
  end
  for i = 1, #v do
    local x = v[i]
    if type(x) ~= "number" or not any and not finite(x) then
      fail(fname, ("%s[%d]"):format(what, i), any and "a number" or "a finite number", x)
    end
  end
  return v
end

--- check.tensor(fname, what, v [, ndim]) -> a tensor (of ndim dimensions, if given)
function check.tensor(fname, what, v, ndim)
  if not check.is_tensor(v) then fail(fname, what, "a tensor", v) end
  if ndim and v.ndim ~= ndim then
    fail(fname, what, ("a tensor of %d dimensions"):format(ndim), v)
  end
  return v
end

--- check.dataset(fname, what, v) -> v: a data set (data.from, data.spiral, ...)
function check.dataset(fname, what, v)
  if not check.is_dataset(v) then fail(fname, what, "a data set", v) end
  return v
end

--- check.rows(fname, what, v) -> the tensor of v (a tensor or a data set's inputs) with at least one row
function check.rows(fname, what, v)
  if check.is_dataset(v) then v = v:x() end
  if not check.is_tensor(v) or v.ndim < 1 or v.shape[1] < 1 then
    fail(fname, what, "a tensor [n, ...] or a data set", v)
  end
  return v
end

--- check.points(fname, what, v [, dim]) -> v, a tensor [n, dim] of finite values, n >= 1
function check.points(fname, what, v, dim)
  if not check.is_tensor(v) or v.ndim ~= 2 or v.shape[1] < 1 or (dim and v.shape[2] ~= dim) then
    fail(fname, what, ("points [n, %s] (a tensor)"):format(dim or "d"), v)
  end
  -- x * 0 is 0 where x is finite and NaN where it is not
  if (v * 0):sum():item() ~= 0 then
    error(("%s: %s must be finite, got a tensor holding NaN or infinity"):format(fname, what), LEVEL - 1)
  end
  return v
end

--- check.point(fname, what, v) -> v, a pair {x, y} of finite numbers
function check.point(fname, what, v)
  if type(v) ~= "table" or not finite(v[1]) or not finite(v[2]) then
    fail(fname, what, "a point {x, y} of finite numbers",
      type(v) == "table" and ("{%s, %s}"):format(describe(v[1]), describe(v[2])) or v)
  end
  return v
end

--- check.box(fname, box) -> box, {xmin =, xmax =, ymin =, ymax =} of finite numbers, min < max
function check.box(fname, box)
  if type(box) ~= "table" then fail(fname, "box", "{xmin =, xmax =, ymin =, ymax =}", box) end
  for _, k in ipairs{"xmin", "xmax", "ymin", "ymax"} do check.number(fname, "box." .. k, box[k]) end
  if box.xmin >= box.xmax or box.ymin >= box.ymax then
    error(("%s: box {xmin = %s, xmax = %s, ymin = %s, ymax = %s} must have min < max"):format(fname,
      describe(box.xmin), describe(box.xmax), describe(box.ymin), describe(box.ymax)), LEVEL - 1)
  end
  return box
end

--- check.fn(fname, what, v [, optional]) -> a function (or nil when optional)
function check.fn(fname, what, v, optional)
  if v == nil and optional then return nil end
  if type(v) ~= "function" then fail(fname, what, "a function", v) end
  return v
end

--- check.model(fname, what, v [, method]) -> v: a module (nn.sequential{...}) or an
--- object with the method (default "forward"; "predict" for what a model predicts with)
function check.model(fname, what, v, method)
  if mt_name(v) == "nnlab.module" then return v end
  local ok, f = pcall(function() return v[method or "forward"] end)
  if not (ok and type(f) == "function") then fail(fname, what, "a model (nn.sequential{...}, ...)", v) end
  return v
end

--- check.class(fname, what, v, class, expected) -> v: a table whose metatable is class
function check.class(fname, what, v, class, expected)
  if getmetatable(v) ~= class then fail(fname, what, expected, v) end
  return v
end

--- check.activation(fname, what, name) -> a new activation module of that name (nil for "linear")
function check.activation(fname, what, name)
  if name == "linear" then return nil end
  local ok, m = false, nil
  if type(name) == "string" then ok, m = pcall(nn.activation, name) end
  if not (ok and mt_name(m) == "nnlab.module") then
    fail(fname, what, "the name of an activation (\"relu\", \"tanh\", \"sigmoid\", \"linear\", ...)", name)
  end
  return m
end

return check
