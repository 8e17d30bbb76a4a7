-- options.lua: the one checker of the tables of named options that the API's
-- functions take (m:fit{...}, plot.lines{...}, race{...}). Each function declares
-- its option names once, beside its definition; the check refuses an unknown name
-- with the nearest valid one, and the prompt's Tab completes the names inside the
-- braces of a call (repl._complete_option).
local options = {}

local declared = {} -- function name ("module:fit", "plot.lines") -> {names, set, positional}

--- declared() -> the names of every function that declares its options, sorted.
function options.declared()
  local out = {}
  for fname in pairs(declared) do out[#out + 1] = fname end
  table.sort(out)
  return out
end

--- declare(fname, names [, positional [, shown [, example]]]) -> fname: the option
--- names fname takes; positional is how many array entries it takes ({train,
--- validation = ...}: 1); shown is the name errors give (default fname: "fit" for
--- "module:fit"); example is the table a non-table is told to look like.
function options.declare(fname, names, positional, shown, example)
  local set = {}
  for _, n in ipairs(names) do set[n] = true end
  local sorted = { table.unpack(names) }
  table.sort(sorted)
  declared[fname] = { names = sorted, set = set, positional = positional or 0, shown = shown or fname,
    example = example or ("{" .. (sorted[1] or "...") .. " = ...}") }
  return fname
end

--- elsewhere(fname, {name = where}) -> fname: names fname does not take but a student
--- will try, each with where it belongs ("lr" for fit: the optimizer's), said when
--- check refuses it instead of the nearest name.
function options.elsewhere(fname, notes)
  assert(declared[fname], "options.elsewhere: " .. tostring(fname) .. " declares no options")
  declared[fname].notes = notes
  return fname
end

--- names(fname) -> the sorted option names of fname, or nil when it declares none.
function options.names(fname)
  local d = declared[fname]
  return d and d.names
end

--- nearest(word, names) -> the name of names nearest to word (a typo's fix), or nil.
local function nearest(word, names)
  local ok, repl = pcall(require, "repl")
  if not ok or type(repl.nearest) ~= "function" then return nil end
  return repl.nearest(word, names)[1]
end
options.nearest = nearest

--- refuse(who, key, known [, level]): raises "who: unknown option 'key'; did you mean
--- 'near'? (it takes a, b, ...)" for the functions that keep their option names in a
--- set of their own (known: name -> anything); level as error's, for refuse's caller.
function options.refuse(who, key, known, level)
  local names = {}
  for n in pairs(known) do names[#names + 1] = n end
  table.sort(names)
  local near = type(key) == "string" and nearest(key, names)
  error(("%s: unknown option '%s'%s (it takes %s)"):format(who, tostring(key),
    near and ("; did you mean '" .. near .. "'?") or "", table.concat(names, ", ")), (level or 1) + 1)
end

--- check(fname, opts [, level]) -> opts, or {} for nil: raises, naming fname, when
--- opts is not a table, holds a name fname does not take (with the nearest one), or
--- more array entries than it takes. level is error's level for the caller of
--- fname (default 3: the user's call of the function that calls check).
function options.check(fname, opts, level)
  level = level or 3
  local d = assert(declared[fname], "options.check: " .. tostring(fname) .. " declares no options")
  local name = d.shown
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(("%s: expected a table of options %s, got %s"):format(name, d.example, type(opts)), level)
  end
  for k in pairs(opts) do
    if type(k) == "string" then
      if not d.set[k] and d.notes and d.notes[k] then
        error(("%s: unknown option '%s': %s"):format(name, k, d.notes[k]), level)
      elseif not d.set[k] then
        local near = nearest(k, d.names)
        error(("%s: unknown option '%s'%s (it takes %s)"):format(name, k,
          near and ("; did you mean '" .. near .. "'?") or "", table.concat(d.names, ", ")), level)
      end
    elseif math.type(k) ~= "integer" or k < 1 or k > d.positional then
      error(("%s: unexpected entry [%s] in the options (%s)"):format(name, tostring(k),
        d.positional > 0 and ("it takes " .. d.positional .. " before the named ones")
          or "it takes only named ones"), level)
    end
  end
  return opts
end

-- The value a dotted path names among the globals, read raw and through __index
-- tables only, so that completing never runs the student's code.
local function resolve(path)
  local v = _G
  for part in path:gmatch("[^.]+") do
    local found
    for _ = 1, 8 do
      if type(v) == "table" then found = rawget(v, part) end
      if found ~= nil then break end
      local mt = getmetatable(v)
      local index = type(mt) == "table" and rawget(mt, "__index")
      if type(index) ~= "table" then break end
      v = index
    end
    if found == nil then return nil end
    v = found
  end
  return v
end

-- "module:fit" for "m:fit" when m is a module (the help's type keys), else the
-- callee as typed.
local function fname_of(callee)
  local obj, method = callee:match("^([%w_.]+):([%w_]+)$")
  if not obj then return callee end
  local mt = getmetatable(resolve(obj))
  local name = type(mt) == "table" and rawget(mt, "__name")
  if type(name) ~= "string" then return nil end
  return name:gsub("^nnlab%.", ""):gsub("%s+", "_") .. ":" .. method
end

--- complete(before) -> the option names that may be typed where before (the line
--- up to the word being completed) ends: at a key position of the braces of a call
--- (`m:fit{opt`, `plot.lines{title = "x", xl`, `optim.sgd(m, {l`); else {}.
function options.complete(before)
  -- the innermost brace still open, outside strings
  local depth, open = 0, {}
  local i, n = 1, #before
  while i <= n do
    local c = before:sub(i, i)
    if c == '"' or c == "'" then
      local j = i + 1
      while j <= n and before:sub(j, j) ~= c do
        if before:sub(j, j) == "\\" then j = j + 1 end
        j = j + 1
      end
      if j > n then return {} end -- inside a string
      i = j
    elseif c == "{" or c == "(" then
      depth = depth + 1
      open[depth] = i
    elseif c == "}" or c == ")" then
      open[depth] = nil
      depth = math.max(0, depth - 1)
    end
    i = i + 1
  end
  local at = open[depth]
  if not at or before:sub(at, at) ~= "{" then return {} end
  local inside = before:sub(at + 1)
  -- a key position: right after the brace or a comma (not after "=")
  if not (inside:match("^%s*$") or inside:match(",%s*$")) then return {} end
  local head = before:sub(1, at - 1)
  local callee = head:match("([%a_][%w_.:]*)%s*$") -- f{...}
  if not callee then
    local outer = open[depth - 1]
    if outer and before:sub(outer, outer) == "(" and head:match(",%s*$") then
      callee = before:sub(1, outer - 1):match("([%a_][%w_.:]*)%s*$") -- f(x, {...})
    end
  end
  local fname = callee and fname_of(callee)
  return fname and options.names(fname) or {}
end

return options
