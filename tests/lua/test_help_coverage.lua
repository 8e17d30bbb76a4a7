-- test_help_coverage.lua: every public Lua function, module and method has a full
-- help entry (sig, summary, text, example), help(value) finds entries by identity,
-- and every example runs. Public means: the global modules (help.modules) and their
-- functions, the REPL's globals (help, spawn, ...), the methods of the "nnlab.*"
-- metatables, and the methods of real objects made here (tensor, model, run, plot,
-- window, race, views, playground, job...), found through their metatables so that a
-- new method without docs fails this test. Entries go in lua/doc/<area>.lua.
--
-- Each example runs in a fresh nnlab process (this binary, arg[-1]) with
-- SDL_VIDEODRIVER=dummy (windows open on no screen), in a temporary folder that is
-- also XDG_STATE_HOME, so files it writes land there. An entry whose example cannot
-- run headless says why in `no_run`; those stay few.
local help = require "help"

local failures = {}
local function fail(msg) failures[#failures + 1] = msg end

-- the userdata types register their metatables when their module loads: load them
for _, mod in ipairs(help.modules) do
  if _G[mod] == nil then pcall(require, mod) end
end

-- every global table that is not Lua's own library is a module in help.modules
local lua_libs = {string = 1, table = 1, math = 1, io = 1, os = 1, coroutine = 1,
  debug = 1, utf8 = 1, package = 1, _G = 1, arg = 1}
local listed = {}
for _, m in ipairs(help.modules) do listed[m] = true end
for name, v in pairs(_G) do
  if type(v) == "table" and not lua_libs[name] and not listed[name] then
    fail("global module " .. name .. " is missing from help.modules (lua/help.lua)")
  end
end

-- every global function that is not Lua's own is in help.globals
local lua_base = {}
for name in ("assert collectgarbage dofile error getmetatable ipairs load loadfile next pairs "
    .. "pcall print rawequal rawget rawlen rawset require select setmetatable tonumber "
    .. "tostring type warn xpcall"):gmatch("%S+") do lua_base[name] = true end
local globals = {}
for _, g in ipairs(help.globals) do globals[g] = true end
for name, v in pairs(_G) do
  if type(v) == "function" and not lua_base[name] and not globals[name] then
    fail("global function " .. name .. " is missing from help.globals (lua/help.lua)")
  end
end

-- real objects of every class, made headless
nn.seed(1)
local train = data.xor{n = 40, seed = 1}
local m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
local opt = optim.adam(m)
local run = m:fit{train, loss = nn.bce, optimizer = opt, epochs = 1, verbose = false}
local p = plot.lines{show = false}
local w = plot.window{plot.lines{show = false}, show = false}
local r = race.new{surface = "bowl", optimizers = {"gd", "adam"}, steps = 5}
local pg = playground{data = "xor", n = 40, hidden = {2}, epochs = 1}
local objects = {
  nn.ones(2), m, m:children()[1], opt, train, run, run._r, p, w, r, r.racers[1],
  require("nn.race").surface("bowl"), spawn(function() end),
  plot.decision(m, train), plot.loss(run), plot.network(m), pg, pg.run,
}
objects[#objects + 1] = conv{image = "step", kernel = "sobel_x", show = false}
-- a seq2seq model and its run (lesson 19)
local s2s_task = text.task("reverse", {n = 8, length = 3, symbols = 3})
local s2s = text.seq2seq{task = s2s_task, embed = 4, hidden = 4}
objects[#objects + 1] = s2s
objects[#objects + 1] = s2s:fit{s2s_task, epochs = 1}

local missing = help.missing(objects)
if #missing > 0 then
  fail(("%d public functions or modules have no help entry (add them to lua/doc/*.lua):\n  %s")
    :format(#missing, table.concat(missing, "\n  ")))
end

-- the modules students require by hand (lesson 25): every public function has an entry
for _, mod in ipairs{"control", "faults"} do
  for k, v in pairs(require(mod)) do
    local key = mod .. "." .. k
    if type(k) == "string" and not k:match("^_") and not help.entries()[key] then
      fail(("%s (a %s) has no help entry (add it to lua/doc/control.lua)"):format(key, type(v)))
    end
  end
end

-- every entry has all four parts
local keys = {}
for key, e in pairs(help.entries()) do
  keys[#keys + 1] = key
  if type(e) ~= "table" then
    fail(key .. ": an entry is a table")
  else
    for _, part in ipairs{"sig", "summary", "text", "example"} do
      if type(e[part]) ~= "string" or not e[part]:find("%S") then
        fail(key .. ": the entry has no " .. part)
      end
    end
  end
end
table.sort(keys)

-- help(value) finds entries by identity: modules, functions and objects
local function shown(value)
  local out, saved = {}, print
  print = function(...) -- help prints; catch what it says
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    out[#out + 1] = table.concat(parts, "\t")
  end
  local ok, err = pcall(help.help, value)
  print = saved
  if not ok then return nil, err end
  return table.concat(out, "\n")
end
local function expect_help(what, value, needle)
  local text, err = shown(value)
  if not text then
    fail(("help(%s) raised: %s"):format(what, tostring(err)))
  elseif not text:find(needle, 1, true) then
    fail(("help(%s) did not show %q:\n%s"):format(what, needle, text))
  end
end
local function sig(key) return (help.entries()[key] or {}).sig or ("the entry " .. key) end
for _, mod in ipairs(help.modules) do
  if _G[mod] then expect_help(mod, _G[mod], sig(mod)) end
end
expect_help("nn.zeros", nn.zeros, sig("nn.zeros"))
-- every documented function of every module, required ones too (control.pid): the
-- key's value, looked up, finds its entry, or that of another key naming the same
-- function (repl.spawn is the global spawn)
local keys_of = {} -- function -> the keys that name it
local is_global = {}
for _, g in ipairs(help.globals) do is_global[g] = true end
for key in pairs(help.entries()) do
  local mod, path = key:match("^([%w_]+)%.([%w_.]+)$")
  local v = mod and (rawget(_G, mod) or package.loaded[mod]) -- not help's own lookup
  for part in (path or ""):gmatch("[^.]+") do v = type(v) == "table" and v[part] or nil end
  if is_global[key] then v = _G[key] end
  if type(v) == "function" then
    keys_of[v] = keys_of[v] or {}
    table.insert(keys_of[v], key)
  end
end
local walked, per_module = 0, {}
for f, names in pairs(keys_of) do
  table.sort(names)
  local text, err = shown(f)
  local found = false
  for _, key in ipairs(names) do found = found or (text and text:find(sig(key), 1, true) ~= nil) end
  if not found then
    fail(("help(%s) by value did not find its entry: %s"):format(names[1], text or tostring(err)))
  end
  walked = walked + 1
  per_module[names[1]:match("^[%w_]+")] = true
end
for _, mod in ipairs(help.modules) do
  if not per_module[mod] then fail("help by value: no documented function of " .. mod .. " was looked up") end
end
if not keys_of[require("control").pid] then fail("help by value: control.pid was not looked up") end
expect_help("spawn", spawn, sig("spawn"))
expect_help("a tensor's matmul", nn.ones(1).matmul, sig("tensor:matmul"))
expect_help("a tensor", nn.ones(2), "tensor:matmul")
expect_help("a run", run, "run:progress_line")
expect_help("a race", r, "race:play")
expect_help("\"plot\"", "plot", sig("plot"))
expect_help("a method name alone", "progress_line", sig("run:progress_line"))
expect_help("a plain table", {}, "no help for this table")
expect_help("a misspelt name", "nn.zerox", "did you mean nn.zeros")

-- every example runs, each in a fresh process inside a temporary folder
local exe = arg and arg[-1]
local tmp = os.tmpname()
os.remove(tmp)
assert(os.execute("mkdir -p '" .. tmp .. "'"), "cannot make " .. tmp)
local function run_example(i, key, code)
  local file = ("%s/example_%03d.lua"):format(tmp, i)
  local f = assert(io.open(file, "w"))
  f:write(code, "\n")
  f:close()
  local out = file:gsub("%.lua$", ".out")
  local cmd = ("cd '%s' && SDL_VIDEODRIVER=dummy NO_COLOR=1 XDG_STATE_HOME='%s' timeout 120 '%s' '%s' > '%s' 2>&1 < /dev/null")
    :format(tmp, tmp, exe, file, out)
  local ok = os.execute(cmd)
  if not ok then
    local o = io.open(out)
    local text = o and o:read("a") or ""
    if o then o:close() end
    fail(("%s: its example fails:\n%s\n-- output:\n%s"):format(key, code, text:sub(-1500)))
  end
end
local ran, skipped = 0, {}
local only = os.getenv("HELP_EXAMPLES") -- a key prefix: run only those (while writing docs)
for i, key in ipairs(keys) do
  local e = help.entries()[key]
  if type(e) == "table" and type(e.example) == "string"
      and (not only or key:sub(1, #only) == only) then
    if e.no_run then
      skipped[#skipped + 1] = key
    else
      run_example(i, key, e.example)
      ran = ran + 1
    end
  end
end
os.execute("rm -rf '" .. tmp .. "'")
print(("help coverage: %d entries, %d functions found by value, %d examples run, %d marked no_run (%s)")
  :format(#keys, walked, ran, #skipped, table.concat(skipped, ", ")))
if #skipped > 12 then fail(#skipped .. " examples are marked no_run: keep the exceptions few") end

if #failures > 0 then
  error(#failures .. " help problems:\n" .. table.concat(failures, "\n\n"), 0)
end
