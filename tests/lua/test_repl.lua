-- test_repl.lua: the Lua half of the REPL (lua/repl.lua, lua/help.lua) run by the
-- nnlab binary: jobs run in slices, pause, stop, fail and are waited for; :commands
-- and their suggestions; the printer seen from Lua; help lookups.
assert(repl.interactive == false, "a script is not interactive")

-- spawn runs slices; wait finishes a job in the foreground
local log = {}
local job = spawn(function()
  for i = 1, 5 do log[#log + 1] = i; coroutine.yield() end
  return "done"
end, "counter")
assert(job.state == "running", "a new job runs, got " .. job.state)
assert(#log == 0, "spawn does not run the job at once")
repl._jobs_step(0)
assert(#log == 1, "one step of the job runs one slice, got " .. #log)
assert(wait(job) == true)
assert(job.state == "done" and #log == 5, "wait runs the job to the end")

-- pause, resume, stop
local n = 0
local j2 = spawn(function() while true do n = n + 1; coroutine.yield() end end)
repl._jobs_step(0)
j2:pause()
local before = n
for _ = 1, 3 do repl._jobs_step(0) end
assert(n == before, "a paused job does not run")
j2:resume()
repl._jobs_step(0)
assert(n == before + 1, "a resumed job runs again")
j2:stop()
assert(j2.state == "stopped")
repl._jobs_step(0)
assert(n == before + 1, "a stopped job does not run")
assert(tostring(jobs()) == "no jobs", "finished jobs leave the list: " .. tostring(jobs()))

-- a failing job: the error comes back from wait with its traceback
local j3 = spawn(function() coroutine.yield(); error("job broke") end)
local ok, err = pcall(wait, j3)
assert(not ok and err:find("job broke", 1, true), "wait raises the job's error: " .. tostring(err))
assert(j3.state == "error")

-- wait inside a job yields until the other job ends
local order = {}
local slow = spawn(function() for _ = 1, 3 do coroutine.yield() end; order[#order + 1] = "slow" end)
local waiter = spawn(function() wait(slow); order[#order + 1] = "waiter" end)
wait(waiter)
assert(order[1] == "slow" and order[2] == "waiter", "wait in a job waits: " .. table.concat(order, ","))

-- jobs left running at the end of a script are finished by nnlab (checked by the
-- e2e test); bad arguments are clear errors
ok, err = pcall(spawn, 42)
assert(not ok and err:find("expected a function, got number", 1, true), err)
ok, err = pcall(wait, {})
assert(not ok and err:find("expected a job", 1, true), err)

-- commands and suggestions
local got
repl.command("hello", function(arg) got = arg end, "say hello")
repl._command(":hello  world ")
assert(got == "world", "command gets the rest of the line, got " .. tostring(got))
ok, err = pcall(repl._command, ":hepl")
assert(not ok and err:match("did you mean [^?]*:help[,?]"), "suggests :help, got " .. tostring(err))
ok, err = pcall(repl._command, ":time maybe")
assert(not ok and err:find(":time on", 1, true), err)
repl._command(":time on")
assert(repl.timing == true)
repl._command(":time off")
assert(repl.timing == false)
local near = repl.nearest("qiut", {"quit", "jobs", "help"})
assert(#near == 1 and near[1] == "quit", "nearest: " .. table.concat(near, ","))

-- the empty-line hook
local pressed = 0
repl.on_line(function(line) pressed = pressed + 1; return line == "2" end)
assert(repl._line("") == false, "an empty line not taken")
assert(repl._line("2") == true, "the hook takes a line by returning true")
repl.on_line(nil)
assert(repl._line("2") == false)
assert(pressed == 2, "on_line runs its function for each line, then is removed")
assert(not pcall(repl.on_line, 42), "on_line refuses a number")

-- the printer, through repl.repr
assert(repl.repr({1, 2, x = "a"}) == '{1, 2, x = "a"}', repl.repr({1, 2, x = "a"}))
local cyc = {}
cyc.self = cyc
assert(repl.repr(cyc):find("<cycle: table: ", 1, true), repl.repr(cyc))
repl.printer("test.point", function(p) return ("point(%d, %d)"):format(p.x, p.y) end)
local pt = setmetatable({x = 1, y = 2}, {__name = "test.point"})
assert(repl.repr({pt}) == "{point(1, 2)}", repl.repr({pt}))

-- help: entries load from lua/doc, lookups by name and by value
local help_mod = require "help"
assert(help_mod.entries()["spawn"], "lua/doc/repl.lua is loaded")
local printed = {}
local real_print = print
print = function(...) printed[#printed + 1] = table.concat({...}, " ") end
help("spawn")
help(wait)
help("spwan")
apropos("background")
print = real_print
local text = table.concat(printed, "\n")
assert(text:find("job = spawn(fn [, name])", 1, true), text)
assert(text:find("wait(job)", 1, true), text)
assert(text:find("did you mean spawn", 1, true), text)
assert(text:find("spawn", 1, true), text)

-- lua/repl.lua captured the standard libraries as it loaded: with the globals
-- gone, jobs still run, jobs() still prints and :help still lists the commands
do
  local saved_table, saved_coroutine = table, coroutine
  local yield = coroutine.yield
  local steps = 0
  local running = spawn(function() while true do steps = steps + 1; yield() end end, "spinner")
  table, coroutine = nil, nil
  local ok1, err1 = pcall(repl._jobs_step, 0)
  local ok2, listed = pcall(function() return tostring(jobs()) end)
  local ok3, err3 = pcall(repl._command, ":help")
  table, coroutine = saved_table, saved_coroutine
  running:stop()
  assert(ok1, "jobs run without the global coroutine: " .. tostring(err1))
  assert(steps == 1, "the job ran one slice, got " .. steps)
  assert(ok2 and listed:find("spinner", 1, true), "jobs() prints without the global table: " .. tostring(listed))
  assert(ok3, ":help works without the global table: " .. tostring(err3))
end

-- a call of a missing function, method or global names what is near
do
  local function hint(code)
    local _, err = pcall(load(code, "=(test)"))
    return repl._did_you_mean(tostring(err))
  end
  local cases = {
    { "nn.lineaar(2, 3)", "did you mean nn.linear?" },
    { "nn.linear(2, 3):fitt()", "did you mean module:fit?" },
    { "nn.zeros{2}:maen()", "did you mean tensor:mean?" },   -- a swap is one edit
    { "plto.lines{}", "did you mean plot?" },
    { "optim.adma()", "did you mean optim.adam?" },
  }
  for _, c in ipairs(cases) do
    local msg = hint(c[1])
    assert(msg:find(c[2], 1, true), c[1] .. ": expected '" .. c[2] .. "' in: " .. msg)
  end
  -- given the object (the error handler finds it), only its type's methods: a
  -- module's "params" is near its nparams and param, not an RBM's params
  local lstm = nn.lstm(4, 8)
  local _, err = pcall(function() return lstm:params() end)
  local msg = repl._did_you_mean(tostring(err), lstm)
  assert(msg:find("did you mean module:nparams or module:param?", 1, true), msg)
  assert(not msg:find("rbm:", 1, true), msg)
  msg = repl._did_you_mean(tostring(err))
  assert(msg:find("rbm:params", 1, true), "without the object, every type's methods: " .. msg)
  -- a one- or two-letter global is a variable a failed line did not set, not a typo
  -- of "nn" or "io"; a short name gets only what one edit reaches
  local short = hint("m:fit()")
  assert(not short:find("did you mean", 1, true), short)
  assert(hint("nn.tanhh()"):find("did you mean nn.tanh?", 1, true))
  assert(not hint("nn.tnhx()"):find("did you mean", 1, true), hint("nn.tnhx()"))
  -- nothing near, but the object known: its methods, or where to find them
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write("abc\nabd\n")
  f:close()
  local corpus = data.text(path)
  os.remove(path)
  _, err = pcall(function() return corpus:sequences(32) end)
  msg = repl._did_you_mean(tostring(err), corpus)
  assert(msg:find("(method 'sequences'); a corpus's methods: decode, encode, lines, size, windows, with_breaks", 1, true), msg)
  local t = nn.zeros{2}
  _, err = pcall(function() return t:frobnicate() end)
  msg = repl._did_you_mean(tostring(err), t)
  assert(msg:find("; help%(x%) lists a tensor's %d+ methods$"), msg)
  -- a method that is a library function: m:lr_range_test() is nn.lr_range_test
  local mlp = nn.sequential{nn.linear(2, 2)}
  _, err = pcall(function() return mlp:lr_range_test() end)
  msg = repl._did_you_mean(tostring(err), mlp)
  assert(msg:find("did you mean nn.lr_range_test? (a function, not a method: ?nn.lr_range_test shows how", 1, true), msg)
  local far = hint("nn.qqqqqqq()")
  assert(not far:find("did you mean", 1, true), "nothing near: no suggestion, got " .. far)
  local other = repl._did_you_mean("stdin:1: boom")
  assert(other == "stdin:1: boom", "other errors are unchanged")
end

-- an entry's summary and prose are filled to the terminal (at most 86 columns), its
-- lines of formulas and its example kept as written
do
  local help = require "help"
  local out = {}
  local real_print = print
  print = function(...) out[#out + 1] = table.concat({ ... }, "\t") end
  help.help("fit")
  help.help("nn.lstm")
  print = real_print
  local text = table.concat(out, "\n")
  local width = math.min(86, math.max(40, (tonumber(os.getenv("COLUMNS") or "") or 80) - 1))
  local in_example = false
  for line in text:gmatch("[^\n]+") do
    if line:match("^Example:") then in_example = true end
    if line:match("^m:fit{") or line:match("^nn.lstm%(") then in_example = false end
    local formulas = line:match("^  %S+_t = ")
    if not in_example and not formulas and not line:match("^m:fit{") and not line:match("^nn%.lstm%(") then
      assert(utf8.len(line) <= width, ("a line of %d > %d columns: %s"):format(utf8.len(line), width, line))
    end
  end
  assert(text:find("\n  C_t = f_t * C_{t-1} + i_t * C~_t, o_t = sig(W_o [..] + b_o), h_t = o_t * tanh(C_t).\n", 1, true),
    "the LSTM's formulas keep their lines")
  assert(text:find("trains m; at the prompt as a background job", 1, true))
end

-- help() lists the topics, help(topic) a topic's functions; every entry has a topic
do
  local help = require "help"
  local out = {}
  local real_print = print
  print = function(...) out[#out + 1] = table.concat({ ... }, "\t") end
  help.help()
  local topics = table.concat(out, "\n")
  out = {}
  help.help("layers")
  local layers = table.concat(out, "\n")
  print = real_print
  for _, t in ipairs{ "tensors", "layers", "training", "data", "plots", "race", "playground", "lessons", "jobs" } do
    assert(topics:find("\n  " .. t .. " ", 1, true), "help() lists topic " .. t .. ":\n" .. topics)
  end
  assert(select(2, topics:gsub("\n", "")) < 16, "help() is short:\n" .. topics)
  assert(layers:find("nn.linear", 1, true) and layers:find("module:summary", 1, true), "help('layers'):\n" .. layers)
  assert(not layers:find("tensor:matmul", 1, true), "help('layers') leaves out tensors")
  for key in pairs(help.entries()) do
    assert(help.topic_of(key), "help entry " .. key .. " belongs to no topic")
  end
end

-- a bare word that names a command and no variable runs the command
do
  local ran
  repl.command("demo_cmd", function() ran = true end, "a test command")
  assert(repl._line("demo_cmd") == true and ran, "a bare command word runs the command")
  ran = nil
  demo_cmd = 5
  assert(repl._line("demo_cmd") ~= true and not ran, "a variable of that name wins")
  demo_cmd = nil
  assert(repl._line("x = 1") ~= true, "other lines are evaluated")
end

-- a job's method called without the colon, and repl.nearest given no word, say so
do
  local j = spawn(function() coroutine.yield() end)
  local ok, err = pcall(j.stop)
  assert(not ok and err:find("job:stop: call it on a job with a colon", 1, true), tostring(err))
  j:stop()
  ok, err = pcall(repl.nearest, 5, {})
  assert(not ok and err:find("repl.nearest: expected a word", 1, true), tostring(err))
end

-- the thread's CPU clock (bench/views_fps.lua): it moves with work done on this
-- thread, and no faster than the wall clock
do
  local rc = require "repl.core"
  local c0, t0 = rc.cpu_time(), rc.now()
  local s = 0
  for i = 1, 3e6 do s = s + i % 7 end
  local dc, dt = rc.cpu_time() - c0, rc.now() - t0
  assert(s > 0 and dc > 0 and dc <= dt + 1e-3, ("cpu %g s in %g s of wall time"):format(dc, dt))
end
