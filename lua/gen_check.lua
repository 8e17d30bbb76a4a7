-- gen_check.lua: the argument checks that ae.lua, gan.lua and views_gen.lua share.
-- Each check returns the value (a default for nil where it takes one) or raises
-- "fname: what must be <expected>, got <value>" at the public function's caller, in
-- the words of the rest of the library (race.lua, views_data.lua), so that a wrong
-- argument is named instead of Lua's own "attempt to ..." from inside these files.
local check = {}

local LEVEL = 4 -- error() in fail <- the check <- the public function <- its caller

local function mt_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

--- check.describe(v) -> v as a message shows it: numbers as Lua writes them (NaN as
--- nan), strings quoted and cut, objects by their type name.
function check.describe(v)
  if type(v) == "number" then
    if v ~= v then return "nan" end
    return math.type(v) == "integer" and tostring(v) or ("%.14g"):format(v)
  elseif type(v) == "string" then
    return ("%q"):format(#v > 40 and v:sub(1, 40) .. "..." or v)
  end
  local name = mt_name(v)
  if name == "nnlab.tensor" then
    local ok, shape = pcall(function() return v.shape end) -- a freed tensor has none
    return ok and ("a tensor {%s}"):format(table.concat(shape, ", ")) or "a freed tensor"
  end
  return type(name) == "string" and (name:gsub("^nnlab%.", "")) or type(v)
end

function check.fail(fname, what, expected, v, level)
  error(("%s: %s must be %s, got %s"):format(fname, what, expected, check.describe(v)), level or LEVEL)
end

local function finite(v) return type(v) == "number" and v == v and v > -math.huge and v < math.huge end
check.is_finite = finite

function check.is_tensor(v) return mt_name(v) == "nnlab.tensor" end
function check.is_dataset(v) return mt_name(v) == "nnlab.dataset" end

--- check.number(fname, what, v [, lo, hi, default]) -> a finite number in [lo, hi]
function check.number(fname, what, v, lo, hi, default)
  if v == nil and default ~= nil then return default end
  if not finite(v) or (lo and v < lo) or (hi and v > hi) then
    local range = lo and hi and (" from %s to %s"):format(check.describe(lo), check.describe(hi))
      or lo and (" >= %s"):format(check.describe(lo)) or hi and (" <= %s"):format(check.describe(hi)) or ""
    check.fail(fname, what, "a finite number" .. range, v)
  end
  return v
end

--- check.positive(fname, what, v [, default]) -> a finite number > 0
function check.positive(fname, what, v, default)
  if v == nil and default ~= nil then return default end
  if not finite(v) or v <= 0 then check.fail(fname, what, "a finite number > 0", v) end
  return v
end

--- check.whole(fname, what, v [, lo, hi, default]) -> a whole number (an integer) in [lo, hi]
function check.whole(fname, what, v, lo, hi, default)
  if v == nil and default ~= nil then return default end
  local i = finite(v) and math.tointeger(v)
  if not i or (lo and i < lo) or (hi and i > hi) then
    local range = lo and hi and (" from %d to %d"):format(lo, hi) or lo and (" >= %d"):format(lo) or ""
    check.fail(fname, what, "a whole number" .. range, v)
  end
  return i
end

--- check.tensor(fname, what, v [, ndim]) -> a tensor (of ndim dimensions, if given)
function check.tensor(fname, what, v, ndim)
  if not check.is_tensor(v) then check.fail(fname, what, "a tensor", v) end
  if ndim and v.ndim ~= ndim then
    check.fail(fname, what, ("a tensor of %d dimensions"):format(ndim), v)
  end
  return v
end

--- check.rows(fname, what, v) -> the tensor of v (a tensor or a data set's inputs) with at least one row
function check.rows(fname, what, v)
  if check.is_dataset(v) then v = v:x() end
  if not check.is_tensor(v) or v.ndim < 1 or v.shape[1] < 1 then
    check.fail(fname, what, "a tensor [n, ...] or a data set", v)
  end
  return v
end

--- check.points(fname, what, v [, dim]) -> v, a tensor [n, dim] of finite values, n >= 1
function check.points(fname, what, v, dim)
  if not check.is_tensor(v) or v.ndim ~= 2 or v.shape[1] < 1 or (dim and v.shape[2] ~= dim) then
    check.fail(fname, what, ("points [n, %s] (a tensor)"):format(dim or "d"), v)
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
    check.fail(fname, what, "a point {x, y} of finite numbers",
      type(v) == "table" and ("{%s, %s}"):format(check.describe(v[1]), check.describe(v[2])) or v)
  end
  return v
end

--- check.box(fname, box) -> box, {xmin =, xmax =, ymin =, ymax =} of finite numbers, min < max
function check.box(fname, box)
  if type(box) ~= "table" then check.fail(fname, "box", "{xmin =, xmax =, ymin =, ymax =}", box) end
  for _, k in ipairs{"xmin", "xmax", "ymin", "ymax"} do check.number(fname, "box." .. k, box[k]) end
  if box.xmin >= box.xmax or box.ymin >= box.ymax then
    error(("%s: box {xmin = %s, xmax = %s, ymin = %s, ymax = %s} must have min < max"):format(fname,
      check.describe(box.xmin), check.describe(box.xmax), check.describe(box.ymin), check.describe(box.ymax)), LEVEL - 1)
  end
  return box
end

--- check.fn(fname, what, v [, optional]) -> a function (or nil when optional)
function check.fn(fname, what, v, optional)
  if v == nil and optional then return nil end
  if type(v) ~= "function" then check.fail(fname, what, "a function", v) end
  return v
end

--- check.options(fname, v) -> v or {} (a table of options)
function check.options(fname, v)
  if v == nil then return {} end
  if type(v) ~= "table" or getmetatable(v) ~= nil then check.fail(fname, "the options", "a table {...}", v) end
  return v
end

--- check.model(fname, what, v) -> v, a module (nn.sequential{...}) or a table with forward
function check.model(fname, what, v)
  local ok = mt_name(v) == "nnlab.module" or (type(v) == "table" and type(v.forward) == "function")
  if not ok then check.fail(fname, what, "a module (nn.sequential{...})", v) end
  return v
end

--- check.activation(fname, what, name) -> a new activation module of that name (nil for "linear")
function check.activation(fname, what, name)
  if name == "linear" then return nil end
  local ok, m = false, nil
  if type(name) == "string" then ok, m = pcall(nn.activation, name) end
  if not (ok and mt_name(m) == "nnlab.module") then
    check.fail(fname, what, "the name of an activation (\"relu\", \"tanh\", \"sigmoid\", \"linear\", ...)", name)
  end
  return m
end

return check
