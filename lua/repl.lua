-- repl.lua: the Lua half of the nnlab prompt: background jobs (coroutines run in
-- time slices between keystrokes), `:commands`, and the table `repl` that user code
-- sees (repl.interactive, repl.command, repl.printer, repl.timing). The C half
-- (src/repl) calls repl._jobs_step, repl._jobs_finish, repl._command and repl._help.
--
-- Jobs in scripts: a script (or -e chunk) that spawns jobs has them run to
-- completion right after it ends, or earlier when it calls wait(job).
local core = require "repl.core"

-- The standard names this file uses, captured as it loads: the user may assign to
-- any global at the prompt (`table = nil`, `coroutine = nil`), and the jobs loop,
-- :help and jobs() must go on working regardless. print and io.write are already
-- the wrapped ones (core.c wraps them when repl.core opens).
local coroutine, table, string, math, debug, io = coroutine, table, string, math, debug, io
local error, pcall, print, require, tostring, tonumber = error, pcall, print, require, tostring, tonumber
local type, ipairs, pairs, getmetatable, setmetatable = type, ipairs, pairs, getmetatable, setmetatable
local stdout, stderr = io.stdout, io.stderr

local repl = {
  interactive = false, -- set by the prompt while it runs
  timing = false,      -- :time on
  version = core.version,
  safe = core.safe,
  lua_dir = core.lua_dir,
  lessons_dir = core.lessons_dir,
}

-- print and io.write are wrapped in C (src/repl/core.c); io.stdout:write and
-- io.stderr:write go through the file method, wrapped here the same way: the typed
-- line leaves the screen before anything is written and comes back after.
do
  local methods = getmetatable(io.stdout).__index
  local write = methods.write
  methods.write = function(f, ...)
    if f == stdout or f == stderr then core.hide(...) end
    return write(f, ...)
  end
end

------------------------------------------------------------------------ jobs

local Job = {}
Job.__index = Job
Job.__name = "job"

local all_jobs = {}  -- id -> job, in creation order in `order`
local order = {}
local next_id = 1

function Job:__tostring()
  return string.format("job %d (%s, %s, %.2f s)", self.id, self.name, self.state, self.time)
end

--- Runs one slice of the job; returns when it yields or ends.
function Job:_step()
  if self.state ~= "running" then return end
  local t0 = core.now()
  local ok, err = coroutine.resume(self.co)
  self.time = self.time + (core.now() - t0)
  if not ok and tostring(err):find("interrupted!$") then
    -- Ctrl-C during wait(), or at the prompt while this job never yielded
    self.state = "stopped"
    self.error = "interrupted!"
    if not self.waited then
      core.report(string.format("job %d (%s) stopped by Ctrl-C: it ran %.1f s without "
        .. "coroutine.yield()", self.id, self.name, core.now() - t0))
    end
  elseif not ok then
    self.state = "error"
    self.error = core.traceback(self.co, tostring(err))
    if not self.waited then
      core.report(string.format("job %d (%s) failed: %s", self.id, self.name, self.error))
    end
  elseif coroutine.status(self.co) == "dead" then
    self.state = "done"
  end
end

function Job:stop()
  if self.state == "running" or self.state == "paused" then
    self.state = "stopped"
    -- a job stopping itself is still running: it ends when it next yields
    if coroutine.running() ~= self.co then coroutine.close(self.co) end
  end
  return self
end

function Job:pause()
  if self.state == "running" then self.state = "paused" end
  return self
end

function Job:resume()
  if self.state == "paused" then self.state = "running" end
  return self
end

-- job.stop() for job:stop() says so, naming the method (not "attempt to index")
require("util").guard_methods(Job, "job")

local function live(job)
  return job.state == "running" or job.state == "paused"
end

local function forget_finished()
  local keep = {}
  for _, job in ipairs(order) do
    if live(job) then keep[#keep + 1] = job else all_jobs[job.id] = nil end
  end
  order = keep
end

--- spawn(fn [, name]) -> job: runs fn as a background job.
function repl.spawn(fn, name)
  if type(fn) ~= "function" then
    error("spawn: expected a function, got " .. type(fn), 2)
  end
  forget_finished()
  local info = debug.getinfo(fn, "S")
  local job = setmetatable({
    id = next_id, co = coroutine.create(fn), state = "running", time = 0,
    name = name or string.format("%s:%d", info.short_src, info.linedefined),
  }, Job)
  next_id = next_id + 1
  all_jobs[job.id] = job
  order[#order + 1] = job
  return job
end

--- jobs() -> the list of jobs that are running or paused, printed as a table.
function repl.jobs()
  local list = {}
  for _, job in ipairs(order) do
    if live(job) then list[#list + 1] = job end
  end
  return setmetatable(list, {__tostring = function(l)
    if #l == 0 then return "no jobs" end
    local lines = {}
    for _, job in ipairs(l) do
      lines[#lines + 1] = string.format("%3d  %-8s %8.2f s  %s", job.id, job.state, job.time, job.name)
    end
    return table.concat(lines, "\n")
  end})
end

--- wait(job) -> true: runs the job in the foreground until it ends (Ctrl-C stops
--- it), other jobs running beside it; raises its error if it failed. Inside
--- another job, yields until then.
function repl.wait(job)
  if getmetatable(job) ~= Job then
    -- a run (m:fit) or a race is waited for by its own wait, which follows its job
    local ok, w = pcall(function() return job.wait end)
    if ok and type(w) == "function" then return job:wait() end
    error("wait: expected a job, a run or a race, got " .. type(job), 2)
  end
  if coroutine.isyieldable() then
    while live(job) do coroutine.yield() end
  else
    local was = core.foreground(true)
    job.waited = true
    local ok, err = pcall(function()
      -- the other jobs keep their slices: the job may be waiting for one of them
      while live(job) do
        if job.state == "paused" then job.state = "running" end
        repl._jobs_step(0.01)
        core.pump()
      end
    end)
    job.waited = nil
    core.foreground(was)
    if not ok then
      job:stop()
      if tostring(err):find("interrupted!$") then err = "interrupted!" end
      error(err, 0)
    end
  end
  if job.state == "error" or job.error == "interrupted!" then error(job.error, 0) end
  return job.state == "done"
end

--- Called by the prompt each pass: runs job slices for about budget seconds;
--- returns true when a job still wants to run.
function repl._jobs_step(budget)
  local t_end = core.now() + budget
  local busy
  repeat
    busy = false
    for _, job in ipairs(order) do
      if job.state == "running" then
        job:_step()
        busy = busy or job.state == "running"
      end
    end
  until not busy or core.now() >= t_end
  return busy
end

--- Called after a script: runs every job to its end; false when one failed.
function repl._jobs_finish()
  local ok = true
  for _, job in ipairs(order) do
    if live(job) then
      local fine, err = pcall(repl.wait, job)
      if not fine then
        core.report(string.format("job %d (%s) failed: %s", job.id, job.name, err))
        ok = false
      end
    elseif job.state == "error" then
      ok = false
    end
  end
  forget_finished()
  return ok
end

function repl.job_by_id(id)
  return all_jobs[id]
end

------------------------------------------------------------------- commands

local commands = {}  -- name -> {fn = fn, help = "..."}

--- command(name, fn, help): adds `:name args...`; fn receives the rest of the line.
function repl.command(name, fn, help)
  if type(name) ~= "string" or not name:match("^[%w_%-]+$") then
    error("repl.command: name must be a word, got " .. tostring(name), 2)
  end
  if type(fn) ~= "function" then error("repl.command: expected a function", 2) end
  commands[name] = {fn = fn, help = help or ""}
end

-- Edit distance counting a swap of two neighbours as one edit (maen -> mean), the
-- typo people make most.
local function distance(a, b)
  local d = {}
  for i = 0, #a do d[i] = {[0] = i} end
  for j = 0, #b do d[0][j] = j end
  for i = 1, #a do
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      d[i][j] = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1 and j > 1 and a:sub(i, i) == b:sub(j - 1, j - 1) and a:sub(i - 1, i - 1) == b:sub(j, j) then
        d[i][j] = math.min(d[i][j], d[i - 2][j - 2] + 1)
      end
    end
  end
  return d[#a][#b]
end

--- The names nearest to word among names (edit distance <= 2, or a prefix).
function repl.nearest(word, names)
  if type(word) ~= "string" then error("repl.nearest: expected a word (a string), got " .. type(word), 2) end
  if type(names) ~= "table" then error("repl.nearest: expected a list of names, got " .. type(names), 2) end
  local out = {}
  for _, name in ipairs(names) do
    if type(name) ~= "string" then error("repl.nearest: names must be strings, got a " .. type(name), 2) end
    local d = distance(word, name)
    if d <= 2 or name:sub(1, #word) == word then out[#out + 1] = {name, d} end
  end
  table.sort(out, function(x, y) return x[2] < y[2] or (x[2] == y[2] and x[1] < y[1]) end)
  local dists = {}
  for i, p in ipairs(out) do out[i], dists[i] = p[1], p[2] end
  return out, dists
end

-- The qualified names ("nn.linear", "module:fit", "plot") whose last part is near
-- word: module functions for a field, methods for a method, globals for a global.
local function near_names(kind, word, receiver)
  local help = require "help"
  local full, seen = {}, {}
  local function add(short, qualified)
    if seen[qualified] then return end
    seen[qualified] = true
    full[#full + 1] = { short, qualified }
  end
  local class, methods = help.class_of(receiver)
  if kind == "method" and class then
    for m in pairs(methods) do add(m, class .. ":" .. m) end
  elseif kind == "global" then
    for k in pairs(_G) do
      if type(k) == "string" and not k:match("^_") then add(k, k) end
    end
  elseif kind == "method" then
    for key in pairs(help.entries()) do
      local t, m = key:match("^([%w_]+):([%w_]+)$")
      if m then add(m, key) end
    end
    for t, methods in pairs(help.method_tables()) do
      for m in pairs(methods) do
        if type(m) == "string" and not m:match("^_") then add(m, t .. ":" .. m) end
      end
    end
  else
    for _, mod in ipairs(help.modules) do
      if type(rawget(_G, mod)) == "table" then
        for k in pairs(rawget(_G, mod)) do
          if type(k) == "string" and not k:match("^_") then add(k, mod .. "." .. k) end
        end
      end
    end
  end
  -- each short name once, with the first of its qualified names in sorted order (a
  -- method of several classes, such as fit of a module and of an RBM, is one hint)
  local shorts, first = {}, {}
  for _, p in ipairs(full) do
    if not first[p[1]] then shorts[#shorts + 1] = p[1] end
    if not first[p[1]] or p[2] < first[p[1]] then first[p[1]] = p[2] end
  end
  local near, dists = repl.nearest(word, shorts)
  -- two edits turn "m" into "nn" or "io": for short names only what one edit
  -- reaches (or a longer name they start) is a likely typo, and a name of one or two
  -- letters is likely not a typo at all (a variable a failed line did not set)
  local most = #word <= 2 and -1 or #word <= 4 and 1 or math.huge
  local out = {}
  for i, n in ipairs(near) do
    if dists[i] > dists[1] or #out == 3 then break end -- only the nearest are worth reading
    if dists[i] <= most or (#word > 2 and n:sub(1, #word) == word) then out[#out + 1] = first[n] end
  end
  return out
end

--- Called by the error handler: Lua's "attempt to call a nil value (field 'lineaar')"
--- gains "; did you mean nn.linear?" when a function, method or global of that
--- kind is near the name; for a method, a method of receiver's type when the handler
--- found the object it was called on. Returns msg unchanged otherwise.
function repl._did_you_mean(msg, receiver)
  local kind, word = msg:match("attempt to call a nil value %((%a+) '([%w_]+)'%)")
  if not kind then kind, word = msg:match("attempt to index a nil value %((global) '([%w_]+)'%)") end
  if not kind or (kind ~= "field" and kind ~= "method" and kind ~= "global") then return msg end
  local near = near_names(kind, word, receiver)
  local head, rest = msg:match("^(.-)(\nstack traceback:.*)$")
  head, rest = head or msg, rest or ""
  if #near == 0 and kind == "method" then
    -- no such method, but a library function of that very name (m:lr_range_test for
    -- nn.lr_range_test): say so, and where its way of calling is explained
    for _, mod in ipairs(require("help").modules) do
      local t = rawget(_G, mod)
      if type(t) == "table" and type(rawget(t, word)) == "function" then
        return ("%s; did you mean %s.%s? (a function, not a method: ?%s.%s shows how to call it)%s"):format(head,
          mod, word, mod, word, rest)
      end
    end
  end
  if #near == 0 then
    -- nothing near, but the object is known: what it does have
    local class, methods = require("help").class_of(receiver)
    if kind ~= "method" or not class then return msg end
    local names = {}
    for m in pairs(methods) do names[#names + 1] = m end
    table.sort(names)
    if #names == 0 then return msg end
    local what = class:gsub("_", " ")
    if #names > 12 then return ("%s; help(x) lists a %s's %d methods%s"):format(head, what, #names, rest) end
    return ("%s; a %s's methods: %s%s"):format(head, what, table.concat(names, ", "), rest)
  end
  return head .. "; did you mean " .. table.concat(near, " or ") .. "?" .. rest
end

--- Called by Tab completion: the option names of the call whose braces the line
--- (up to the word being completed) is inside (lua/options.lua).
function repl._complete_option(before)
  return require("options").complete(before)
end

function repl._command(line)
  local name, rest = line:match("^%s*:([%w_%-]*)%s*(.-)%s*$")
  if name == "" and rest == "" then name = "help" end  -- a lone ":" lists the commands
  local cmd = name and commands[name]
  if not cmd then
    local names = {}
    for n in pairs(commands) do names[#names + 1] = n end
    local near = repl.nearest(name or "", names)
    local msg = string.format("unknown command ':%s'", name or line)
    if #near > 0 then
      for i, n in ipairs(near) do near[i] = ":" .. n end
      msg = msg .. "; did you mean " .. table.concat(near, ", ", 1, math.min(#near, 3)) .. "?"
    end
    error(msg .. " (:help lists the commands)", 0)
  end
  -- a command's error is a message for the user: its frames inside nnlab's own Lua
  -- files would only hide it, so it is raised again from here, without them
  local ok, err = pcall(cmd.fn, rest)
  if not ok then error(err, 0) end
  return err
end

local line_fn

--- on_line(fn): fn(line) sees each line typed at the prompt before it runs (not
--- :commands or ?help); when fn returns true the line was taken and does not run.
function repl.on_line(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error("repl.on_line: expected a function or nil, got " .. type(fn), 2)
  end
  line_fn = fn
end

function repl._line(line)
  repl._quit_asked = nil -- leaving asks again after other work
  -- a bare word that names a command and no variable (clear, quit, exit, jobs)
  -- runs the command, instead of printing nil
  local word = line:match("^%s*([%a_][%w_]*)%s*$")
  if word == "exit" then word = "quit" end
  if word and commands[word] and rawget(_G, word) == nil then
    repl._command(":" .. word)
    return true
  end
  return line_fn ~= nil and line_fn(line) == true
end

function repl._help(line)
  local name = line:match("^%s*%?%s*(.-)%s*$")
  require("help").help(name ~= "" and name or nil)
end

repl.command("help", function()
  local names = {}
  for n in pairs(commands) do names[#names + 1] = n end
  table.sort(names)
  for _, n in ipairs(names) do print(string.format("  :%-10s %s", n, commands[n].help)) end
  print("  ?name       help on a function, e.g. ?nn.zeros; help() lists topics")
end, "list the commands")

--- Asked when the student leaves (Ctrl-D, :quit): true when nnlab may go. With
--- jobs still running, the first request names them and the next one leaves; a
--- line typed in between asks again.
function repl._may_quit()
  local running = {}
  for _, job in ipairs(order) do
    if live(job) then running[#running + 1] = ("%d (%s)"):format(job.id, job.name) end
  end
  if #running == 0 or repl._quit_asked then return true end
  repl._quit_asked = true
  print(("%s still running: %s. Ctrl-D again (or :quit) leaves and discards %s;"
    .. " wait(job) lets one finish."):format(#running == 1 and "a job is" or #running .. " jobs are",
    table.concat(running, ", "), #running == 1 and "it" or "them"))
  return false
end

repl.command("quit", function()
  if repl._may_quit() then repl._quit = true end
end, "leave nnlab (also Ctrl-D); asks first while jobs run")

repl.command("jobs", function() print(repl.jobs()) end, "list background jobs")

repl.command("stop", function(arg)
  local id = tonumber(arg)
  local job = id and all_jobs[id]
  if not job then error(":stop: no job " .. (arg ~= "" and arg or "given") .. "; :jobs lists them", 0) end
  job:stop()
  print(tostring(job))
end, "stop job N: :stop 1")

repl.command("time", function(arg)
  if arg == "on" then repl.timing = true
  elseif arg == "off" then repl.timing = false
  else error(":time: say ':time on' or ':time off'", 0) end
end, "print how long each command takes: :time on|off")

repl.command("clear", function() core.clear() end, "clear the screen")

--- Called by the prompt while :record runs (lua/record.lua).
function repl._record(kind, text)
  local record = require "record"
  if kind == "input" then record._input(text)
  elseif kind == "output" then record._output(text)
  else record._after() end
end

repl.command("record", function(arg)
  local record = require "record"
  if arg == "" then
    print(record.active() and ("recording to " .. record.active() .. ".md; :record stop ends it")
      or "not recording; :record NAME starts a lab record (NAME.md and NAME.html)")
  elseif arg == "stop" then
    record.stop()
  elseif core.safe then
    error(":record: a --safe session writes no files", 0)
  else
    record.start(arg)
  end
end, "record the session for a lab report: :record lab3 ... :record stop")

repl.command("details", function(arg)
  local value = rawget(_G, "_")
  if arg ~= "" then
    local chunk, err = load("return " .. arg, "=:details", "t")
    if not chunk then error(":details: " .. tostring(err), 0) end
    value = chunk()
  end
  print(core.repr(value, false, true))
end, "show every field of the last result (or of :details EXPR): objects print one line")

--- status([text]): a background job's progress, one line just above the prompt,
--- written over its previous state while nothing else was printed; status() takes
--- the line away (print the final figures after it). Nothing in a script or while
--- a command runs in the foreground.
function repl.status(text)
  if text ~= nil and type(text) ~= "string" then
    error("repl.status: expected a string or nothing, got " .. type(text), 2)
  end
  core.status(text)
end

--- printer(type_name, fn): values whose metatable's __name is type_name print as fn(value).
function repl.printer(type_name, fn)
  core.printer(type_name, fn)
end

--- repr(value) -> the string the prompt prints for value.
function repl.repr(value)
  return core.repr(value)
end

core.register(repl) -- where the C half of the prompt finds this module
return repl
