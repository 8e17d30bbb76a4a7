-- sandbox.lua: what init.lua does last, before any user code runs.
--
-- guard_interrupts() (always): pcall, xpcall and coroutine.resume as user code sees
-- them raise Ctrl-C's "interrupted!" (or a --time/--memory limit) again when they
-- catch it, so a loop that catches its own interruption still stops. The C side
-- (src/repl/signals.c) keeps the error pending until the command is back at the top.
--
-- apply() (--safe): a lesson file from elsewhere can read and write files only in
-- its own folder and a scratch folder (read-only: nnlab's lua/ and lessons/, the
-- data sets), through every function that takes a path: io, dofile, loadfile,
-- require (its own Lua searcher, text only), nn.save/nn.load, plot and window saves,
-- the CSV, IDX and PNG readers. The paths are checked in one place,
-- repl.core.safe_path (src/repl/sandbox.c). Also gone: binary chunks (load's mode is
-- "t", string.dump), the debug library (but traceback and nnlab's metatables), the string metatable (hidden), os.exit,
-- os.getenv, os.tmpname, os.setlocale, and collectgarbage's "stop" and tuning.
-- nnlab's own modules captured what they need (debug, os.getenv) as they loaded.
local core = require "repl.core"

local M = {}

-- captured: the user may replace any of these, and the checks must not change
local error, select, type, tostring, ipairs, pairs = error, select, type, tostring, ipairs, pairs
local unpack, max, find, gsub, gmatch, concat =
  table.unpack, math.max, string.find, string.gsub, string.gmatch, table.concat
local raw_pcall, raw_xpcall = pcall, xpcall
local raw_resume = coroutine.resume
local pending = core.pending

-- Passes results through, unless the protected call caught an interruption that
-- must reach the top: then raises it again.
local function rethrow_pending(ok, ...)
  if not ok then
    local p = pending()
    if p then error(p, 0) end
  end
  return ok, ...
end

function M.guard_interrupts()
  _G.pcall = function(...) return rethrow_pending(raw_pcall(...)) end
  _G.xpcall = function(...) return rethrow_pending(raw_xpcall(...)) end
  -- a copy: nnlab's jobs (lua/repl.lua) hold the real table, and must catch
  -- a job's interruption to mark the job stopped
  local co = {}
  for k, v in pairs(coroutine) do co[k] = v end
  co.resume = function(...) return rethrow_pending(raw_resume(...)) end
  _G.coroutine = co
  package.loaded.coroutine = co
end

------------------------------------------------------------------------ --safe

local safe_path = core.safe_path

-- The checked path, or an error naming the function and the rule.
local function checked(fname, path, write, level)
  if type(path) ~= "string" then
    error(("%s: expected a file name, got %s"):format(fname, type(path)), level + 1)
  end
  local real, why = safe_path(path, write)
  if not real then error(("%s: refused by --safe: %s"):format(fname, why), level + 1) end
  return real
end

local function writes(mode)
  return type(mode) == "string" and find(mode, "[wa+]") ~= nil
end

-- fn with its argument i (a path) checked. With optional, anything but a string
-- passes unchecked: nil (stop recording) or a table (w:record{gif =}, whose path
-- lua/plot.lua hands to viz.win.record_gif, checked there).
local function guard(fname, fn, i, write, optional)
  return function(...)
    local n = select("#", ...)
    local args = {...}
    if not (optional and type(args[i]) ~= "string") then
      args[i] = checked(fname, args[i], write, 2)
    end
    return fn(unpack(args, 1, max(n, i)))
  end
end

local function no_binary(fname, mode)
  if mode ~= nil and mode ~= "t" then
    error(("%s: binary chunks are refused by --safe (mode %q)"):format(fname, tostring(mode)), 3)
  end
end

local function sandbox_io(raw_loadfile)
  local open, lines, input, output = io.open, io.lines, io.input, io.output
  io.open = function(path, mode)
    return open(checked("io.open", path, writes(mode), 2), mode)
  end
  io.lines = function(path, ...)
    if path == nil then return lines() end
    return lines(checked("io.lines", path, false, 2), ...)
  end
  io.input = function(f)
    if type(f) == "string" then f = checked("io.input", f, false, 2) end
    return input(f)
  end
  io.output = function(f)
    if type(f) == "string" then f = checked("io.output", f, true, 2) end
    return output(f)
  end
  local raw_load = load
  _G.load = function(chunk, name, mode, ...)
    no_binary("load", mode)
    if select("#", ...) > 0 then return raw_load(chunk, name, "t", (...)) end
    return raw_load(chunk, name, "t")
  end
  local function safe_loadfile(path, mode, ...)
    no_binary("loadfile", mode)
    if path ~= nil then path = checked("loadfile", path, false, 3) end
    if select("#", ...) > 0 then return raw_loadfile(path, "t", (...)) end
    return raw_loadfile(path, "t")
  end
  _G.loadfile = function(...) return safe_loadfile(...) end
  _G.dofile = function(path)
    local f, err = safe_loadfile(path)
    if not f then error(err, 2) end
    return f()
  end
  string.dump = nil
end

-- require: the preload searcher, then Lua files found on package.path that lie in
-- the allowed folders, loaded as text. A changed package.path reaches nothing else.
local function sandbox_require(raw_loadfile, checked_open)
  local searchers = package.searchers
  for i = #searchers, 2, -1 do searchers[i] = nil end
  searchers[2] = function(name)
    local tried = {}
    local file = gsub(tostring(name), "%.", "/")
    for template in gmatch(tostring(package.path), "[^;]+") do
      local path = gsub(template, "%?", file)
      local real = safe_path(path, false)
      if real then
        local f = checked_open(real, "r")
        if f then
          f:close()
          local chunk, err = raw_loadfile(real, "t")
          if not chunk then error(("error loading module '%s' from file '%s':\n\t%s")
            :format(name, path, err), 0) end
          return chunk, real
        end
        tried[#tried + 1] = "\n\tno file '" .. path .. "'"
      else
        tried[#tried + 1] = "\n\tno file '" .. path .. "' (outside the folders --safe allows)"
      end
    end
    return concat(tried)
  end
  package.loadlib = nil
  package.cpath = ""
  package.searchpath = nil -- it opens any file to see if it exists
end

-- The path-taking functions of the bindings: wrapped in their module tables and in
-- their userdata's method tables, and package.preload hands out the wrapped
-- modules (running an opener again would bring the raw functions back).
local function sandbox_bindings(registry)
  local modules = {
    ["nn.train"] = {{"save", 2, true}, {"load", 1, false}},
    ["nn.data"] = {{"csv", 1, false}, {"idx", 1, false}, {"idx", 2, false}},
    ["views.core"] = {{"read_png", 1, false}},
    ["viz.win"] = {{"record_gif", 2, true, true}},
  }
  local metatables = {
    ["nnlab.plot"] = {{"save", 2, true}},
    ["nnlab.window"] = {{"save", 2, true}, {"record", 2, true, true}},
  }
  local function wrap(where, t, list)
    for _, w in ipairs(list) do
      local fn = t[w[1]]
      if type(fn) ~= "function" then
        error(("sandbox: %s.%s is not a function: nnlab's --safe list is out of date")
          :format(where, w[1]))
      end
      t[w[1]] = guard(where .. "." .. w[1], fn, w[2], w[3], w[4])
    end
  end
  for name, list in pairs(modules) do
    local m = require(name)
    wrap(name, m, list)
    package.preload[name] = function() return m end
  end
  for name, list in pairs(metatables) do
    local mt = registry[name]
    if type(mt) ~= "table" then error("sandbox: no metatable " .. name) end
    local methods = type(mt.__index) == "table" and mt.__index or mt
    wrap(name, methods, list)
  end
  -- repl.core without what could dodge Ctrl-C, list any folder or write any file
  local user_core = {}
  for k, v in pairs(core) do user_core[k] = v end
  user_core.foreground, user_core.listdir, user_core.register = nil, nil, nil
  user_core.write_atomic = nil
  package.loaded["repl.core"] = user_core
  package.preload["repl.core"] = function() return user_core end
end

local function sandbox_os()
  for _, name in ipairs{"exit", "getenv", "tmpname", "setlocale", "execute", "remove", "rename"} do
    os[name] = nil
  end
  io.popen = nil
  local raw_collect = collectgarbage
  local allowed = {collect = true, count = true, step = true, isrunning = true}
  _G.collectgarbage = function(opt, ...)
    if opt ~= nil and not allowed[opt] then
      error(("collectgarbage: %q is refused by --safe (allowed: collect, count, step, "
        .. "isrunning)"):format(tostring(opt)), 2)
    end
    return raw_collect(opt, ...)
  end
end

function M.apply()
  local registry = debug.getregistry()
  local raw_loadfile = loadfile
  sandbox_bindings(registry)
  sandbox_io(raw_loadfile)
  sandbox_require(raw_loadfile, io.open)
  sandbox_os()
  getmetatable("").__metatable = false -- getmetatable("") is false: nothing to change
  -- debug: only traceback, and a registry that shows nnlab's type metatables
  -- (what getmetatable of an object shows anyway), which lua/nn_train.lua compares
  -- against; no upvalues, locals, hooks or raw registry
  local rawreg = registry
  local sub = string.sub
  local view = setmetatable({}, {
    __index = function(_, k)
      if type(k) == "string" and sub(k, 1, 6) == "nnlab." then return rawreg[k] end
    end,
    __newindex = function() error("debug.getregistry(): read-only under --safe", 2) end,
    __metatable = false,
  })
  local user_debug = {traceback = debug.traceback, getregistry = function() return view end}
  _G.debug = user_debug
  package.loaded.debug = user_debug
  package.loaded.sandbox = nil
  repl.scratch = core.scratch()
end

return M
