-- api_fuzz.lua: the Lua-API fuzzer (issue 17). Run by the nnlab binary:
--   cd SCRATCH && nnlab .../api_fuzz.lua SEED CALLS [LOG]
-- (tests/fuzz/run_api_fuzz.sh does that for successive seeds, in child processes,
-- and calls a child that dies a crash). It finds the public API at run time: the
-- functions of the global modules (help.modules) and globals (help.globals), the
-- methods of every object in its pool (help.class_of), and the functions calls
-- return. It keeps a bounded pool of live objects, made first by valid calls and
-- then by whatever fuzzed calls return, frees some of them, and calls random
-- functions under pcall with 0-4 generated arguments: wrong types, nil, NaN,
-- infinities, huge, negative and fractional numbers, names, tables, option
-- tables, functions, objects and freed objects.
--
-- Bounds: Lua work of one call stops after CALL_INSNS instructions (a count hook,
-- also on the coroutines of jobs) or CALL_CPU_S seconds of CPU time; C work is
-- bounded by the child's timeout. It writes only in the current folder, which must
-- be a scratch folder (it checks), and never calls os.exit, os.execute or io.popen.
-- Each call is written to LOG (default fuzz_calls.log), flushed, before it is made,
-- so the call that crashed the process is the log's last line.
--
-- The call sequence depends only on SEED (its own generator; keys sorted), except
-- where a call's outcome depends on time (a job slice, the CPU limit). The log is
-- Lua: `nnlab api_fuzz.lua replay LOG` runs it (or the lines of it kept) again.
-- Environment: API_FUZZ_SKIP=module:param,... leaves calls out (a known crash that
-- would hide the next one); API_FUZZ_SITES=N prints N sites instead of 10.
-- Last line on standard output:
--   api_fuzz: seed S calls N errors E internal I timeouts T
-- followed by the most frequent sites of internal errors: Lua's own "attempt to
-- index/call/perform arithmetic on ..." raised inside nnlab's lua/ files, which
-- should instead name the function and the bad argument.
local seed = math.tointeger(tonumber(arg[1] or "1")) or 1
local ncalls = math.tointeger(tonumber(arg[2] or "2000")) or 2000
local log_path = arg[3] or "fuzz_calls.log"
if arg[1] == "replay" then log_path = "replay_calls.log" end

local CALL_INSNS = 2000000 -- Lua instructions one call may run
local CALL_CPU_S = 2.0     -- CPU seconds one call may run
local POOL_MAX = 48        -- live objects kept
local HOOK_EVERY = 1000    -- instructions between hook calls
local SLOW_S = 0.5         -- a call that takes longer is marked in the log

local help = require "help"
local core = require "repl.core"
local options = require "options"

--------------------------------------------------------------- scratch folder
-- Every path the fuzzer passes is a relative name, and nnlab's own defaults are
-- relative too: the current folder must be one made for this run.
do
  local marker = ".nnlab_api_fuzz_scratch"
  local f = io.open(marker, "r")
  if not f then
    io.stderr:write("api_fuzz: the current folder is not a scratch folder (no " .. marker
      .. "); run tests/fuzz/run_api_fuzz.sh, or: d=$(mktemp -d) && touch $d/" .. marker
      .. " && cd $d && nnlab api_fuzz.lua SEED CALLS\n")
    error("api_fuzz: refusing to run outside a scratch folder", 0)
  end
  f:close()
end

--------------------------------------------------------------- random numbers
-- xorshift64*, so that nothing nnlab does with math.random changes the sequence.
local state = (seed * 0x9E3779B97F4A7C15) ~ 0x2545F4914F6CDD1D
if state == 0 then state = 1 end
local function next_u()
  state = state ~ (state << 13)
  state = state ~ (state >> 7)
  state = state ~ (state << 17)
  return state
end
local function rand(n) -- 1..n
  return ((next_u() >> 11) % n) + 1
end
local function chance(p) return rand(1000000) <= p * 1000000 end
local function pick(list) return list[rand(#list)] end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do if type(k) == "string" then keys[#keys + 1] = k end end
  table.sort(keys)
  return keys
end

--------------------------------------------------------------- the log
local log = assert(io.open(log_path, "w"))
local function logline(s)
  log:write(s, "\n")
  log:flush()
end
logline(("-- api_fuzz seed %d calls %d: o[i] is the i-th object kept (see its line)"):format(seed, ncalls))

--------------------------------------------------------------- values
-- Each generated value comes with the Lua text that makes it, for the log.
local numbers = {
  {0, "0"}, {-1, "-1"}, {1, "1"}, {2, "2"}, {3, "3"}, {16, "16"}, {0.5, "0.5"},
  {-2.5, "-2.5"}, {1e308, "1e308"}, {-1e308, "-1e308"}, {0 / 0, "0/0"},
  {math.huge, "math.huge"}, {-math.huge, "-math.huge"}, {2 ^ 31, "2^31"},
  {2 ^ 32 + 2, "2^32+2"}, {2 ^ 53, "2^53"}, {-2 ^ 63, "-2^63"}, {1e-300, "1e-300"},
  {math.maxinteger, "math.maxinteger"}, {math.mininteger, "math.mininteger"},
  {2147483648, "2147483648"}, {-2147483649, "-2147483649"}, {100000, "100000"},
}
local strings = {"", "x", "tanh", "relu", "adam", "sgd", "mse", "cross_entropy",
  "rosenbrock", "d.csv", "m.nnm", "out.png", "sub/none.csv", ".", "nan",
  ("y"):rep(300), "a\0b", "%s%n", "train", "validation"}

-- Functions given as arguments (callbacks, jobs, dual functions, surfaces).
local F = {
  id = function(...) return ... end,
  nan = function() return 0 / 0 end,
  num = function() return 1.5 end,
  err = function() error("fuzz callback error") end,
  no = function() return false end,
  str = function() return "x" end,
  tbl = function() return {1, 2} end,
  square = function(x, y) return (x or 0) * (x or 0) + (tonumber(y) or 0) end,
  yield_forever = function() while true do coroutine.yield() end end,
  yield = function() coroutine.yield() return 1 end, -- from a C callback: an error
  gc = function(...) collectgarbage() return ... end, -- a full cycle inside a callback
}
local fnames = sorted_keys(F)

local option_keys = {"n", "epochs", "lr", "batch", "seed", "noise", "steps", "size",
  "loss", "optimizer", "activation", "hidden", "title", "width", "height", "x", "y",
  "classes", "validation", "train", "test", "every", "fps", "wait", "verbose", "kind",
  "path", "momentum", "weight_decay", "start", "surface", "features", "labels", "max"}

local pool = {}      -- {value=, name="o[7]", kind=} of the objects kept
local pool_n = 0     -- objects kept so far (their names are o[1], o[2], ...)
local fn_pool = {}   -- {fn=, name=} functions returned by calls

local gen_value -- forward

local function gen_number()
  local n = pick(numbers)
  return n[1], n[2]
end

local function quote(s) return (("%q"):format(s):gsub("\\\n", "\\n")) end

local function gen_table(depth, opt_names)
  local r = rand(8)
  if r == 1 then return {}, "{}" end
  if r == 2 then return {1, 2}, "{1, 2}" end
  if r == 3 then return {{1, 2}, {3, 4}}, "{{1, 2}, {3, 4}}" end
  if r == 4 then return {{1}, {2, 3}}, "{{1}, {2, 3}}" end
  if r == 5 and #pool > 0 then -- a list of objects (a layer list, a set of runs)
    local a, b = pick(pool), pick(pool)
    return {a.value, b.value}, ("{%s, %s}"):format(a.name, b.name)
  end
  -- an option table: names the called function takes, mostly, and other names
  local t, parts = {}, {}
  local nkeys = rand(3)
  if depth < 2 and chance(0.3) then -- a positional entry first (fit{train, ...})
    local v, s = gen_value(depth + 1)
    if v ~= nil then t[1] = v; parts[1] = s end
  end
  for _ = 1, nkeys do
    local k
    if opt_names and #opt_names > 0 and chance(0.7) then k = pick(opt_names) else k = pick(option_keys) end
    local v, s = gen_value(depth + 1, opt_names)
    if t[k] == nil then t[k] = v; parts[#parts + 1] = k .. " = " .. s end
  end
  return t, "{" .. table.concat(parts, ", ") .. "}"
end

-- gen_value(depth [, opt_names]) -> value, its Lua text
function gen_value(depth, opt_names)
  local r = rand(100)
  if r <= 6 then return nil, "nil" end
  if r <= 9 then return r == 7, tostring(r == 7) end
  if r <= 40 then return gen_number() end
  if r <= 52 then
    local s = pick(strings)
    return s, quote(s)
  end
  if r <= 66 and depth < 3 then return gen_table(depth, opt_names) end
  if r <= 70 then
    local name = pick(fnames)
    return F[name], "F." .. name
  end
  if r <= 73 and #fn_pool > 0 then
    local f = pick(fn_pool)
    return f.fn, f.name
  end
  if #pool > 0 then
    local o = pick(pool)
    return o.value, o.name
  end
  return gen_number()
end

--------------------------------------------------------------- the API
-- every module help documents: the globals (nn, optim, data, plot, ...) and those a
-- lesson loads with require (control, faults), found as help.module finds them
local modules = help.modules
for _, m in ipairs(modules) do
  if rawget(_G, m) == nil then pcall(require, m) end
end
local globals = help.globals

-- The functions to call: {fn=, name="nn.linear", key="nn.linear"}. Names starting
-- with "_" are private (the prompt's own entry points) and left alone.
local function module_functions()
  local list = {}
  for _, m in ipairs(modules) do
    local t = help.module(m)
    if type(t) == "table" then
      for _, k in ipairs(sorted_keys(t)) do
        local v = t[k]
        if not k:match("^_") then
          if type(v) == "function" then
            list[#list + 1] = {fn = v, name = m .. "." .. k, key = m .. "." .. k}
          elseif type(v) == "table" and k:match("^%l") then -- a submodule (dual.math)
            for _, k2 in ipairs(sorted_keys(v)) do
              if type(v[k2]) == "function" and not k2:match("^_") then
                local name = m .. "." .. k .. "." .. k2
                list[#list + 1] = {fn = v[k2], name = name, key = name}
              end
            end
          end
        end
      end
    end
  end
  for _, g in ipairs(globals) do
    if type(rawget(_G, g)) == "function" then list[#list + 1] = {fn = _G[g], name = g, key = g} end
  end
  return list
end
local functions = module_functions()

local function methods_of(value)
  local ok, key, methods = pcall(help.class_of, value)
  if not ok or not key then return nil end
  local names = sorted_keys(methods)
  if #names == 0 then return nil end
  return key, methods, names
end

--------------------------------------------------------------- the pool
local function describe(v)
  local key = methods_of(v)
  return key or type(v)
end

local in_pool = setmetatable({}, {__mode = "k"})
-- keep(value [, twin]) -> the pool entry made for value, or nil (not an object, or
-- already kept: methods return self). twin keeps a second entry, to be freed.
local function keep(value, twin)
  local t = type(value)
  if t == "function" then
    if #fn_pool >= 16 or twin then return nil end
    local entry = {fn = value, name = ("f[%d]"):format(#fn_pool + 1), kind = "function"}
    fn_pool[#fn_pool + 1] = entry
    return entry
  end
  if t ~= "userdata" and t ~= "table" then return nil end
  if in_pool[value] and not twin then return nil end
  pool_n = pool_n + 1
  local entry = {value = value, name = ("o[%d]"):format(pool_n), kind = describe(value)}
  if #pool < POOL_MAX then
    pool[#pool + 1] = entry
  else
    local i = rand(#pool)
    in_pool[pool[i].value] = nil
    pool[i] = entry
  end
  in_pool[value] = true
  return entry
end

--------------------------------------------------------------- bounds
local budget_insns, budget_t, calls_cut = 0, 0, 0
local function hook()
  budget_insns = budget_insns - HOOK_EVERY
  if budget_insns < 0 then
    budget_insns = CALL_INSNS -- raised again if the error is swallowed and work goes on
    calls_cut = calls_cut + 1
    error("api_fuzz: call cut after its instruction budget", 0)
  end
  if os.clock() > budget_t then
    budget_t = os.clock() + CALL_CPU_S
    calls_cut = calls_cut + 1
    error("api_fuzz: call cut after its time budget", 0)
  end
end

-- The hook goes on this thread and on the coroutine of every live job (a job
-- stepped by wait() runs there).
local function arm()
  budget_insns, budget_t = CALL_INSNS, os.clock() + CALL_CPU_S
  debug.sethook(hook, "", HOOK_EVERY)
  local ok, list = pcall(repl.jobs)
  if ok and type(list) == "table" then
    for _, job in ipairs(list) do
      if type(job) == "table" and type(job.co) == "thread" then debug.sethook(job.co, hook, "", HOOK_EVERY) end
    end
  end
end
local function disarm() debug.sethook() end

--------------------------------------------------------------- errors
local calls, errors, internal = 0, 0, 0
local called = {} -- names of the functions and methods called
local sites = {} -- "file:line (function called)" -> count
local own_files = {} -- nnlab's Lua files, by name
for _, name in ipairs(core.listdir(core.lua_dir) or {}) do own_files[name] = true end

local function classify(msg, fname)
  errors = errors + 1
  if type(msg) ~= "string" then return end
  local file, line, verb = msg:match("^(.-%.lua):(%d+): attempt to (%a+)")
  local base = file and file:match("lua/([%w_]+%.lua)$")
  if not base or not own_files[base] then return end
  internal = internal + 1
  local what = verb == "perform" and "arithmetic" or verb == "get" and "length" or verb
  local site = ("lua/%s:%s %s (%s)"):format(base, line, what, fname)
  sites[site] = (sites[site] or 0) + 1
end

--------------------------------------------------------------- calling
local function pack(...) return {n = select("#", ...), ...} end

-- API_FUZZ_SKIP=name,name (nn.linear, module:param): calls left out, so that a
-- crash already known (and awaiting its fix) does not hide the next one.
local skip = {}
for name in (os.getenv("API_FUZZ_SKIP") or ""):gmatch("[^,%s]+") do skip[name] = true end

-- Calls fn(args) under pcall with the bounds armed; keeps what comes back.
local function fuzz_call(fn, name, text, args)
  if skip[(name:gsub(" %[wrong self%]$", ""))] then return end
  calls = calls + 1
  called[(name:gsub(" %[wrong self%]$", ""))] = true
  logline(("r = C(%s)  -- %d %s"):format(text, calls, name))
  local t0 = core.now()
  arm()
  local res = pack(pcall(fn, table.unpack(args, 1, args.n)))
  disarm()
  local dt = core.now() - t0
  if dt > SLOW_S then logline(("-- slow: %.1f s"):format(dt)) end
  if not res[1] then
    classify(res[2], name)
    return
  end
  for i = 2, math.min(res.n, 4) do
    local e = keep(res[i])
    if e then logline(("%s = r[%d]  -- %s"):format(e.name, i - 1, e.kind)) end
  end
end

local function gen_args(opt_names, first, first_text)
  local args, texts = {n = 0}, {}
  if first_text then args.n = 1; args[1] = first; texts[1] = first_text end
  local nargs = rand(5) - 1
  for _ = 1, nargs do
    local v, s = gen_value(0, opt_names)
    args.n = args.n + 1
    args[args.n] = v
    texts[args.n] = s
  end
  return args, texts
end

-- Functions that take seconds for reasons of their own (Fashion-MNIST's 60,000
-- images) are drawn this much less often, so that a bounded run tries more calls.
local rarely = {["data.fashion_mnist"] = 0.1}

local function call_function()
  local f = pick(functions)
  while rarely[f.name] and not chance(rarely[f.name]) do f = pick(functions) end
  local args, texts = gen_args(options.names(f.key))
  fuzz_call(f.fn, f.name, table.concat({f.name, table.unpack(texts, 1, args.n)}, ", "), args)
end

local function call_method()
  local o = pick(pool)
  local key, methods, names = methods_of(o.value)
  if not key then return call_function() end
  local m = pick(names)
  local self_v, self_s = o.value, o.name
  local label = key .. ":" .. m
  if chance(0.15) then -- a method given the wrong self (obj.method() for obj:method())
    self_v, self_s = gen_value(0)
    label = label .. " [wrong self]"
  end
  local args, texts = gen_args(options.names(key .. ":" .. m), self_v, self_s)
  local text = table.concat({("M(%s, %q)"):format(o.name, m), table.unpack(texts, 1, args.n)}, ", ")
  fuzz_call(methods[m], label, text, args)
end

local function call_returned()
  local f = pick(fn_pool)
  local args, texts = gen_args(nil)
  fuzz_call(f.fn, "a returned function", table.concat({f.name, table.unpack(texts, 1, args.n)}, ", "), args)
end

local function prompt_pass() -- what the prompt does between two lines
  logline("P()  -- a prompt pass: job slices, SDL events")
  arm()
  pcall(repl._jobs_step, 0)
  pcall(plot.pump)
  disarm()
end

--------------------------------------------------------------- replay
-- nnlab api_fuzz.lua replay LOG: runs a log (or a part of one) again, line by
-- line, each under pcall, with the same bounds: to find which calls make a crash.
if arg[1] == "replay" then
  local env = setmetatable({o = {}, f = {}, F = F, P = prompt_pass}, {__index = _G})
  function env.C(fn, ...)
    arm()
    local res = pack(pcall(fn, ...))
    disarm()
    if not res[1] then print("error: " .. tostring(res[2])) end
    return {n = res.n - 1, table.unpack(res, 2, res.n)}
  end
  env.V = function(...) return pack(...) end
  function env.M(obj, name)
    local _, methods = methods_of(obj)
    return methods and methods[name]
  end
  local n = 0
  local path = arg[2] or error("replay: give the log to replay", 0)
  for line in io.lines(path) do
    local chunk, err = load(line, "=replay", "t", env)
    if not chunk then error("replay: " .. err) end
    n = n + 1
    local ok, e = pcall(chunk)
    if not ok then print(("line %d: %s"):format(n, tostring(e))) end
  end
  for _, job in ipairs(repl.jobs()) do pcall(job.stop, job) end
  print(("api_fuzz replay: %d lines"):format(n))
  return
end

--------------------------------------------------------------- the start
-- Even seeds run as the prompt does (repl.interactive): fits, views and the
-- playground then work in background jobs, stepped by the prompt passes below.
repl.interactive = seed % 2 == 0
logline(("repl.interactive = %s"):format(tostring(repl.interactive)))


-- Valid calls first, so that every kind of object is in the pool; then a few of
-- them freed (a freed object must raise "... was freed", never crash).
local function valid(text)
  local chunk = assert(load("return " .. text, "=valid", "t"))
  logline(("r = V(%s)"):format(text))
  arm()
  local res = pack(pcall(chunk))
  disarm()
  if not res[1] then
    logline("-- failed: " .. tostring(res[2]):gsub("\n", " "))
    return nil
  end
  for i = 2, res.n do
    local e = keep(res[i])
    if e then logline(("%s = r[%d]  -- %s"):format(e.name, i - 1, e.kind)) end
  end
  return res[2]
end

do
  local f = io.open("d.csv", "w")
  f:write("a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
  f:close()
end
local makers = {
  "nn.tensor{{1, 2}, {3, 4}}", "nn.zeros(2, 3)", "nn.randn(3)", "nn.tensor{1, 2, 3}:requires_grad(true)",
  "nn.linear(2, 3)", "nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}",
  "nn.batchnorm(3)", "nn.dropout(0.5)", "nn.relu()",
  "optim.adam(nn.linear(2, 2))", "optim.sgd(nn.linear(2, 1), {lr = 0.1})",
  "data.xor{n = 16}", "data.moons{n = 16}", "data.csv('d.csv')",
  "plot.lines{}", "plot.scatter{}", "plot.window{plot.lines{}, plot.hist{}}",
  "plot.decision(nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}, data.xor{n = 16})",
  "plot.network(nn.linear(2, 2))", "playground()",
  "nn.sequential{nn.linear(2, 2), nn.tanh(), nn.linear(2, 2)}:fit{data.xor{n = 16}, epochs = 1, verbose = false}",
  "race.new{surface = 'rosenbrock', steps = 5}",
  "dual.new(1.5, 1)", "spawn(function() coroutine.yield() end)", "race.new{steps = 3}:show()",
  "plot.loss(nn.linear(2, 2):fit{data.xor{n = 8}, epochs = 1, verbose = false})",
  "nn.save(nn.linear(2, 2), 'm.nnm')", "nn.load('m.nnm')",
  -- objects that hold others, all kept: freeing one must not leave the other dangling
  "(function() local m = nn.linear(2, 2) return m, optim.adam(m) end)()",
  "(function() local l = nn.linear(2, 2) return l, nn.sequential{l, nn.relu()} end)()",
  "(function() local m, d = nn.linear(2, 2), data.xor{n = 16} return m, d, m:fit{d, epochs = 1, verbose = false} end)()",
  "(function() local m, d = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}, data.xor{n = 16} return m, d, plot.decision(m, d) end)()",
  "(function() local t = nn.tensor{{1, 2}, {3, 4}} return t, t:t(), t:reshape(4) end)()",
  "(function() local x = nn.tensor{1, 2}:requires_grad(true) return x, x:mul(x):sum() end)()",
  "(function() local p = plot.lines{} return p, plot.window{p} end)()",
  "(function() local m = nn.linear(2, 2) return m, m:param(1) end)()",
}
for _, text in ipairs(makers) do valid(text) end
local made = #pool
for i = 1, made do -- some objects freed: a freed object must raise, never crash
  local e = pool[i]
  local key, methods = methods_of(e.value)
  if key and methods.free and chance(0.3) and not skip[key .. ":free"] then
    logline(("pcall(M(%s, 'free'), %s)  -- %s freed"):format(e.name, e.name, e.kind))
    arm(); pcall(methods.free, e.value); disarm()
  end
end

--------------------------------------------------------------- the campaign

for i = 1, ncalls do
  local r = rand(100)
  if r <= 3 and #pool > 0 then -- free an object: what holds it must raise, never crash
    local e = pick(pool)
    local key, methods = methods_of(e.value)
    if key and methods.free then fuzz_call(methods.free, key .. ":free", ("M(%s, 'free'), %s"):format(e.name, e.name), {n = 1, e.value}) end
  elseif r <= 45 then call_function()
  elseif r <= 92 and #pool > 0 then call_method()
  elseif #fn_pool > 0 then call_returned()
  else call_function() end
  if i % 50 == 0 then prompt_pass() end
  if i % 100 == 0 then valid(pick(makers)) end -- fresh valid objects of every kind
  if i % 250 == 0 then
    logline("collectgarbage()")
    collectgarbage()
  end
end

-- Jobs would otherwise run to their end after the script (some never end).
for _, job in ipairs(repl.jobs()) do pcall(job.stop, job) end
logline("-- end")
log:close()

local list = {}
for site, n in pairs(sites) do list[#list + 1] = {site, n} end
table.sort(list, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
for i = 1, math.min(tonumber(os.getenv("API_FUZZ_SITES")) or 10, #list) do
  print(("api_fuzz site %5d  %s"):format(list[i][2], list[i][1]))
end
local distinct = 0
for _ in pairs(called) do distinct = distinct + 1 end
print(("api_fuzz: seed %d calls %d errors %d internal %d cut %d functions %d"):format(seed, calls,
  errors, internal, calls_cut, distinct))
