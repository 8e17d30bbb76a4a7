-- lesson.lua: the lesson engine. A lesson file (lessons/NN_name.lua) calls
-- lesson{id, title}, say[[...]], show[[code]], caption[[...]], task{...}, quiz{...} and pause() to
-- build a list of steps; the engine shows them page by page at the prompt (a page
-- ends at a task, a quiz or a pause), checks tasks when the student says :check,
-- keeps progress per user, and runs every lesson headless for `nnlab --check`.
-- The REPL's :commands and its empty-line hook call the functions below; this file
-- draws nothing itself and knows nothing of the REPL's internals.
local markup = require "markup"

local lesson = {}

-- Captured when the module loads: the REPL's safe mode may remove them from the
-- user's globals later, and the engine still needs them to keep progress files.
local os_execute, os_rename, os_remove, io_open = os.execute, os.rename, os.remove, io.open
local real_print = print
local debug, getenv = debug, os.getenv -- --safe takes them from user code (sandbox.lua)

-- The REPL's C helpers (a directory listing, the lessons folder, its printer) when
-- running inside nnlab; plain Lua (lua5.4 with LUA_PATH) has none of them.
local has_core, core = pcall(require, "repl.core")
if not has_core then core = {} end

local BLOCKING = { task = true, quiz = true, pause = true }

---------------------------------------------------------------------------------
-- Where things are, and how output looks
---------------------------------------------------------------------------------

-- Output goes through lesson._write so that tests and the REPL can redirect it.
function lesson._write(s) io.stdout:write(s) end
local function out(...)
  local parts = table.pack(...)
  for k = 1, parts.n do parts[k] = tostring(parts[k]) end
  lesson._write(table.concat(parts, " ") .. "\n")
end

-- nil: decide from the terminal (stdout a tty and NO_COLOR unset); true/false: forced.
lesson._colour = nil
local tty_stdout
local function colour()
  if lesson._colour ~= nil then return lesson._colour end
  if tty_stdout == nil then
    local nocolour = getenv("NO_COLOR")
    tty_stdout = (nocolour == nil or nocolour == "") and os_execute ~= nil
      and os_execute("test -t 1") == true
  end
  return tty_stdout
end

-- Text width: readline exports COLUMNS; long lines read badly, so at most 86.
local function width()
  local cols = tonumber(getenv("COLUMNS") or "") or 80
  return math.max(40, math.min(cols, 88) - 2)
end

local function st(s, name) return markup.style(s, name, colour()) end

-- The lessons folder: the REPL's (which honours $NNLAB_LESSONS_DIR), else
-- $NNLAB_LESSONS_DIR, else lessons/ beside the lua/ folder this file was loaded from.
function lesson._dir()
  if type(core.lessons_dir) == "string" then return core.lessons_dir end
  local env = getenv("NNLAB_LESSONS_DIR")
  if env and env ~= "" then return env end
  local here = package.searchpath("lesson", package.path)
  if here then
    local root = here:match("^(.*)/lua/lesson%.lua$")
    if root then return root .. "/lessons" end
  end
  error("lesson._dir: cannot find the lessons folder; set NNLAB_LESSONS_DIR", 2)
end

-- Progress lives in $XDG_STATE_HOME/nnlab/lessons.lua (~/.local/state when unset).
function lesson._state_dir()
  local xdg = getenv("XDG_STATE_HOME")
  if xdg and xdg ~= "" then return xdg .. "/nnlab" end
  local home = getenv("HOME")
  if not home or home == "" then return nil end
  return home .. "/.local/state/nnlab"
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Lists lesson files (NN_name.lua, sorted). Outside nnlab there is no listdir, so
-- ls is asked instead (io.popen, captured at load like os.execute above).
local io_popen = io.popen
local function lesson_files(dir)
  local names = {}
  if core.listdir then
    names = core.listdir(dir) or {}
  elseif io_popen then
    local pipe = io_popen("ls -1 " .. shell_quote(dir) .. " 2>/dev/null")
    if pipe then
      for name in pipe:lines() do names[#names + 1] = name end
      pipe:close()
    end
  end
  local files = {}
  for _, name in ipairs(names) do
    if name:match("^%d%d[%w_%-]*%.lua$") then files[#files + 1] = name end
  end
  table.sort(files)
  return files
end

---------------------------------------------------------------------------------
-- Loading a lesson file into a list of steps
---------------------------------------------------------------------------------

local function need(cond, level, fmt, ...)
  if not cond then error(fmt:format(...), level + 1) end
end

-- Runs the lesson file with the step constructors in its environment and returns
-- {name, id, title, file, steps, pages, ntasks, nquizzes}. Errors name the file and
-- line of the offending call.
function lesson.load(path)
  need(type(path) == "string", 2, "lesson.load: path must be a string, got %s", type(path))
  local L = { file = path, name = path:match("([^/]+)%.lua$") or path, steps = {} }
  local steps = L.steps
  local fenv = setmetatable({}, { __index = _G })
  local function add(kind, step)
    need(L.id ~= nil, 3, "%s must come after lesson{id, title}", kind)
    step.kind, step.n = kind, #steps + 1
    step.line = debug.getinfo(3, "l").currentline
    steps[#steps + 1] = step
  end
  function fenv.lesson(t)
    need(type(t) == "table", 2, "lesson: expected a table {id, title}, got %s", type(t))
    need(L.id == nil, 2, "lesson: lesson{} given twice")
    L.id, L.title = t.id or t[1], t.title or t[2]
    need(type(L.id) == "string" and L.id ~= "", 2, "lesson: id must be a non-empty string")
    need(type(L.title) == "string" and L.title ~= "", 2, "lesson: title must be a non-empty string")
  end
  function fenv.say(text)
    need(type(text) == "string", 2, "say: expected text (a string), got %s", type(text))
    add("say", { text = text })
  end
  function fenv.show(code)
    need(type(code) == "string", 2, "show: expected code (a string), got %s", type(code))
    local ok, err = load(code, "=show", "t")
    if not ok then ok = load("return " .. code, "=show", "t") end -- an expression
    need(ok ~= nil, 2, "show: the code does not compile: %s", tostring(err))
    add("show", { code = code })
  end
  function fenv.task(t)
    need(type(t) == "table", 2, "task: expected a table {prompt, check=, hint=, solution=}, got %s", type(t))
    local prompt = t.prompt or t[1]
    need(type(prompt) == "string", 2, "task: prompt must be a string, got %s", type(prompt))
    need(type(t.check) == "function", 2, "task: check must be a function(env), got %s", type(t.check))
    need(type(t.hint) == "string", 2, "task: hint must be a string, got %s", type(t.hint))
    need(type(t.solution) == "string", 2, "task: solution must be code (a string), got %s", type(t.solution))
    local ok, err = load(t.solution, "=solution", "t")
    need(ok ~= nil, 2, "task: the solution does not compile: %s", tostring(err))
    -- wrong = {{"what the student did", [[code]]}, ...}: answers students give that
    -- the check must refuse (--check and the tests run each one)
    local wrong = t.wrong or {}
    need(type(wrong) == "table", 2, "task: wrong must be a list of {why, code}, got %s", type(wrong))
    for k, w in ipairs(wrong) do
      need(type(w) == "table" and type(w[1]) == "string" and type(w[2]) == "string", 2,
        "task: wrong[%d] must be {\"what the student did\", [[code]]}", k)
      local okw, errw = load(w[2], "=wrong", "t")
      need(okw ~= nil, 2, "task: wrong[%d] (%s) does not compile: %s", k, w[1], tostring(errw))
    end
    add("task", { prompt = prompt, check = t.check, hint = t.hint, solution = t.solution,
                  wrong = wrong })
  end
  function fenv.quiz(t)
    need(type(t) == "table", 2, "quiz: expected a table {q, choices, answer, why}, got %s", type(t))
    local q = t.q or t[1]
    need(type(q) == "string", 2, "quiz: q must be a string, got %s", type(q))
    need(type(t.choices) == "table" and #t.choices >= 2, 2, "quiz: choices must list at least two answers")
    for k, c in ipairs(t.choices) do
      need(type(c) == "string", 2, "quiz: choice %d must be a string, got %s", k, type(c))
    end
    need(math.type(t.answer) == "integer" and t.answer >= 1 and t.answer <= #t.choices, 2,
      "quiz: answer must be the number of a choice (1 to %d), got %s", #t.choices, tostring(t.answer))
    need(type(t.why) == "string", 2, "quiz: why must be a string, got %s", type(t.why))
    add("quiz", { q = q, choices = t.choices, answer = t.answer, why = t.why, hint = t.hint })
  end
  -- caption[[...]]: the page's key sentence or formula, in large type under the panels
  -- of every window (the terminal's text cannot be sized for a room); the next page
  -- takes it away.
  function fenv.caption(text)
    need(type(text) == "string" and text ~= "", 2, "caption: expected text (a string), got %s", type(text))
    add("caption", { text = text })
  end
  function fenv.pause(text)
    need(text == nil or type(text) == "string", 2, "pause: expected nothing or text, got %s", type(text))
    add("pause", { text = text })
  end

  local chunk, err = loadfile(path, "t", fenv)
  if not chunk then error(err, 0) end
  chunk()
  need(L.id ~= nil, 2, "%s: no lesson{id, title} in the file", path)
  need(#steps > 0, 2, "%s: the lesson has no steps", path)

  -- A page runs up to and including its blocking step; steps after the last one
  -- form a closing page that ends the lesson.
  L.pages, L.ntasks, L.nquizzes = {}, 0, 0
  local first = 1
  for i, s in ipairs(steps) do
    if s.kind == "task" then L.ntasks = L.ntasks + 1 end
    if s.kind == "quiz" then L.nquizzes = L.nquizzes + 1 end
    s.page = #L.pages + 1
    if BLOCKING[s.kind] or i == #steps then
      L.pages[#L.pages + 1] = { first = first, last = i }
      first = i + 1
    end
  end
  return L
end

-- The lessons in the lessons folder: {name, id, title, file, ntasks, pages} each,
-- in file order. A file that fails to load is listed with its error.
function lesson.list(dir)
  dir = dir or lesson._dir()
  local list = {}
  for _, f in ipairs(lesson_files(dir)) do
    local path = dir .. "/" .. f
    local ok, L = pcall(lesson.load, path)
    if ok then
      list[#list + 1] = L
    else
      list[#list + 1] = { name = f:gsub("%.lua$", ""), file = path, error = tostring(L) }
    end
  end
  return list
end

-- Finds a lesson file by its file name ("01_perceptron"), number ("01", "1"), id, or
-- a unique part of the name ("percep").
function lesson._find(name, dir)
  need(type(name) == "string" or math.type(name) == "integer", 2,
    "lesson._find: name must be a string or a number, got %s", type(name))
  name = tostring(name)
  if name:match("%.lua$") and io_open(name) then return name end
  dir = dir or lesson._dir()
  local files = lesson_files(dir)
  local num = tonumber(name)
  local hits = {}
  for _, f in ipairs(files) do
    local stem = f:gsub("%.lua$", "")
    local fnum, rest = stem:match("^(%d+)_?(.*)$")
    if stem == name or rest == name or (num and tonumber(fnum) == num) then
      return dir .. "/" .. f
    end
    if stem:find(name, 1, true) then hits[#hits + 1] = f end
  end
  if #hits == 1 then return dir .. "/" .. hits[1] end
  if #hits > 1 then
    error(("lesson: %q matches %d lessons (%s); say which"):format(name, #hits, table.concat(hits, ", ")), 2)
  end
  error(("lesson: no lesson %q in %s (:lessons lists them)"):format(name, dir), 2)
end

---------------------------------------------------------------------------------
-- Progress, saved per user
---------------------------------------------------------------------------------

local function progress_file()
  local d = lesson._state_dir()
  return d and (d .. "/lessons.lua")
end

-- Reads the progress table ({[name] = {page, pages, tasks, quizzes, done}}); a
-- missing file is empty progress, a damaged one is reported and ignored.
function lesson._load_progress()
  local path = progress_file()
  if not path then return {} end
  local f = io_open(path, "r")
  if not f then return {} end
  local text = f:read("a")
  f:close()
  local chunk = load(text, "=" .. path, "t", {})
  local ok, t = false, nil
  if chunk then ok, t = pcall(chunk) end
  if not ok or type(t) ~= "table" then
    out(st("lesson: ignoring damaged progress file " .. path, "bad"))
    return {}
  end
  return t
end

local function serialize_set(set)
  local keys = {}
  for k in pairs(set or {}) do if math.type(k) == "integer" then keys[#keys + 1] = k end end
  table.sort(keys)
  for i, k in ipairs(keys) do keys[i] = ("[%d]=true"):format(k) end
  return "{" .. table.concat(keys, ", ") .. "}"
end

-- Writes the whole table to a temporary file and renames it over the old one, so an
-- interrupted write never leaves half a file. Returns true, or nil and a message.
function lesson._save_progress(t)
  local path = progress_file()
  if not path then return nil, "no HOME or XDG_STATE_HOME to keep progress in" end
  local dir = path:match("^(.*)/[^/]+$")
  if not io_open(dir .. "/.", "r") and os_execute then
    os_execute("mkdir -p " .. shell_quote(dir))
  end
  local names = {}
  for name in pairs(t) do names[#names + 1] = name end
  table.sort(names)
  local lines = { "-- nnlab lesson progress; safe to delete", "return {" }
  for _, name in ipairs(names) do
    local p = t[name]
    lines[#lines + 1] = ("  [%q] = {page = %d, pages = %d, done = %s, tasks = %s, quizzes = %s},")
      :format(name, p.page or 1, p.pages or 1, tostring(p.done == true),
        serialize_set(p.tasks), serialize_set(p.quizzes))
  end
  lines[#lines + 1] = "}\n"
  if core.write_atomic then -- temporary file, fsync, rename (src/repl/atomic.c)
    return core.write_atomic(path, table.concat(lines, "\n"))
  end
  local tmp = path .. ".tmp"
  local f, err = io_open(tmp, "w")
  if not f then return nil, err end
  f:write(table.concat(lines, "\n"))
  f:close()
  if os_rename then
    local ok, rerr = os_rename(tmp, path)
    if not ok then
      if os_remove then os_remove(tmp) end
      return nil, rerr
    end
  end
  return true
end

---------------------------------------------------------------------------------
-- Running steps
---------------------------------------------------------------------------------

-- How show steps print the values of expressions: as the prompt does (the REPL's
-- printer) inside nnlab, with tostring outside it.
local function repr(v)
  if core.repr then return core.repr(v, true) end
  return tostring(v)
end

-- Compiles code as an expression first (so `x` shows x, as at the prompt), then as
-- statements, and runs it in env. Returns true, or false and the error message.
local function run_code(code, env, chunkname, show_values, traceback)
  local fn = load("return " .. code, chunkname, "t", env)
  local is_expr = fn ~= nil
  if not fn then
    local err
    fn, err = load(code, chunkname, "t", env)
    if not fn then return false, err end
  end
  local handler = traceback and debug.traceback or function(m) return m end
  local res = table.pack(xpcall(fn, handler))
  if not res[1] then return false, tostring(res[2]) end
  if show_values and is_expr and res.n > 1 then
    local vals = {}
    for k = 2, res.n do vals[#vals + 1] = repr(res[k]) end
    out(table.concat(vals, "\t"))
  end
  return true
end

-- Runs a task's check: it returns true when the task is done, or false/nil and a
-- message saying what is still wrong; an error inside the check also fails it.
local function run_check(step, env)
  local ok, pass, msg = pcall(step.check, env)
  if not ok then return false, "the check raised an error: " .. tostring(pass) end
  if pass == true then return true end
  if pass and pass ~= false then return true end
  return false, msg
end

-- A lesson's code under a gutter; lines wider than the terminal wrap (a line the
-- terminal breaks runs back under the gutter and reads as two statements).
local function code_block(code)
  local cols = math.max(36, (tonumber(getenv("COLUMNS") or "") or 80) - 5)
  local lines = {}
  for _, piece in ipairs(markup.wrap_code(markup.dedent(code), cols)) do
    lines[#lines + 1] = st("  │ ", "dim") .. markup.highlight(piece, colour())
  end
  return table.concat(lines, "\n")
end

local function choice_label(k) return tostring(k) end

---------------------------------------------------------------------------------
-- The interactive session: one lesson at a time
---------------------------------------------------------------------------------

-- cur = {les, page, env, ran = {[step] = true}, passed, answered, skip_warned, finished}
local cur

function lesson._active() return cur ~= nil and not cur.finished end
function lesson._current() return cur end

local function progress_of(name)
  local all = lesson._load_progress()
  return all, all[name]
end

local function save()
  if not cur then return end
  local all = lesson._load_progress()
  local L = cur.les
  all[L.name] = {
    page = cur.page, pages = #L.pages, done = cur.finished or (all[L.name] or {}).done,
    tasks = cur.passed, quizzes = cur.answered,
  }
  local ok, err = lesson._save_progress(all)
  if not ok and not cur.save_warned then
    cur.save_warned = true
    out(st("lesson: progress not saved: " .. tostring(err), "bad"))
  end
end

local function current_step()
  if not cur then return nil end
  local p = cur.les.pages[cur.page]
  return p and cur.les.steps[p.last]
end

local function footer()
  local L, s = cur.les, current_step()
  local where = ("page %d/%d"):format(cur.page, #L.pages)
  local keys
  if s.kind == "task" then
    keys = ":check when done · :hint · :solution · :back"
  elseif s.kind == "quiz" then
    keys = "type the number of your choice · :back"
  else
    keys = "Enter or :next to go on · :back"
  end
  out(st(("── %s · %s"):format(where, keys), "dim"))
end

-- Runs a step as the student sees it.
local function present(s)
  local env = cur.env
  if s.kind == "say" then
    out(markup.render(s.text, { colour = colour(), width = width() }))
    out("")
  elseif s.kind == "show" then
    out(code_block(s.code))
    local ok, err = run_code(s.code, env, "=" .. cur.les.name .. ":" .. s.line, true, false)
    cur.ran[s.n] = true
    if not ok then out(st("error in the lesson's code: " .. err, "bad")) end
    out("")
  elseif s.kind == "task" then
    local done = cur.passed[s.n] and st("  (done ✓)", "ok") or ""
    out(st("Task: ", "strong") .. markup.render(s.prompt, { colour = colour(), width = width() - 6 }) .. done)
  elseif s.kind == "quiz" then
    out(st("Quiz: ", "strong") .. markup.render(s.q, { colour = colour(), width = width() - 6 }))
    for k, c in ipairs(s.choices) do
      local text = markup.render(c, { colour = colour(), width = width() - 6 })
      out(("  %s) %s"):format(choice_label(k), (text:gsub("\n", "\n     "))))
    end
  elseif s.kind == "pause" and s.text then
    out(markup.render(s.text, { colour = colour(), width = width() }))
  elseif s.kind == "caption" then
    lesson.caption(s.text)
    out(st("(on the screen: " .. s.text:gsub("\n", " / ") .. ")", "dim"))
  end
end

--- lesson.caption(text | nil): puts text in large type under the panels of every
--- window, open or opened later (nil takes it away); a page's caption[[...]] step
--- calls it, and the next page clears it. Without nnlab's windows it does nothing.
function lesson.caption(text)
  if text ~= nil and type(text) ~= "string" then
    error("lesson.caption: expected text (a string) or nil, got " .. type(text), 2)
  end
  local ok, plot = pcall(require, "plot")
  if ok and type(plot) == "table" and plot.caption then plot.caption(text) end
  if cur then cur.caption = text end
end

-- Runs, quietly, the code of the steps before `upto` that this session has not run:
-- show steps and the reference solutions of tasks. A lesson resumed in a fresh
-- nnlab, or entered with :goto, then finds the variables earlier pages made.
local function catch_up(upto)
  local pending = {}
  for i = 1, upto - 1 do
    local s = cur.les.steps[i]
    if not cur.ran[i] and (s.kind == "show" or s.kind == "task") then pending[#pending + 1] = s end
  end
  if #pending == 0 then return end
  out(st(("(catching up: running, quietly, the code of %d earlier step%s not run in this session)")
    :format(#pending, #pending == 1 and "" or "s"), "dim"))
  local env = cur.env
  local saved_print = rawget(env, "print")
  env.print = function() end
  for _, s in ipairs(pending) do
    local ok, err = run_code(s.kind == "show" and s.code or s.solution, env,
      "=" .. cur.les.name .. ":" .. s.line, false, false)
    cur.ran[s.n] = true
    if not ok then out(st(("step %d: %s"):format(s.n, err), "bad")) end
  end
  env.print = saved_print
end

-- The live background jobs (a page's race or training run), by id; none outside
-- nnlab.
local function live_jobs()
  local ok, repl = pcall(require, "repl")
  local ids = {}
  if not ok or type(repl.jobs) ~= "function" then return ids end
  for _, job in ipairs(repl.jobs()) do ids[job.id] = job end
  return ids
end

-- A page's jobs end when the student leaves the page (or the lesson): a race or a
-- run left playing would keep drawing over the next page's windows.
local function stop_page_jobs()
  if not cur or not cur.page_jobs then return end
  for _, job in pairs(cur.page_jobs) do
    if job.state == "running" or job.state == "paused" then job:stop() end
  end
  cur.page_jobs = nil
end

local function show_page(p)
  local L = cur.les
  stop_page_jobs()
  if cur.caption then lesson.caption(nil) end
  cur.page, cur.skip_warned = p, false
  local before = live_jobs()
  catch_up(L.pages[p].first)
  for i = L.pages[p].first, L.pages[p].last do present(L.steps[i]) end
  cur.page_jobs = {}
  for id, job in pairs(live_jobs()) do
    if not before[id] then cur.page_jobs[id] = job end
  end
  local last = L.steps[L.pages[p].last]
  if BLOCKING[last.kind] then
    footer()
  else
    cur.finished = true
    out(st(("── end of lesson %s · %d/%d tasks done · :lessons for the next one"):format(
      L.name, (function() local n = 0; for _ in pairs(cur.passed) do n = n + 1 end; return n end)(),
      L.ntasks), "dim"))
  end
  save()
end

local function need_lesson(what)
  if not cur then error(what .. ": no lesson is running (:lessons lists them, :lesson NAME starts one)", 0) end
end

-- Starts (or resumes) a lesson. opts.page starts at that page; opts.env is the
-- environment its code runs in (the user's globals by default).
function lesson.start(name, opts)
  opts = opts or {}
  if type(opts) ~= "table" then error("lesson.start: expected options {page =, env =}, got " .. type(opts), 2) end
  local path = lesson._find(name)
  local L = lesson.load(path)
  stop_page_jobs() -- the lesson the student leaves
  local _, prog = progress_of(L.name)
  cur = { les = L, env = opts.env or _G, ran = {}, passed = {}, answered = {}, page = 1 }
  local page = opts.page
  if prog then
    for k in pairs(prog.tasks or {}) do if L.steps[k] and L.steps[k].kind == "task" then cur.passed[k] = true end end
    for k in pairs(prog.quizzes or {}) do if L.steps[k] and L.steps[k].kind == "quiz" then cur.answered[k] = true end end
    if not page and not prog.done and prog.page and prog.page > 1 and prog.page <= #L.pages then
      page = prog.page
    end
  end
  page = page or 1
  out(st(("━━ Lesson %s · %s ━━"):format(L.name:match("^(%d+)") or L.id, L.title), "heading"))
  if page > 1 then out(st(("(resuming at page %d of %d; :restart begins again)"):format(page, #L.pages), "dim")) end
  out("")
  show_page(page)
  return L
end

function lesson.next()
  need_lesson("next")
  if cur.finished then out("The lesson is over: :lessons lists the others, :restart begins again.") return end
  local s = current_step()
  local undone = (s.kind == "task" and not cur.passed[s.n]) or (s.kind == "quiz" and not cur.answered[s.n])
  if undone and not cur.skip_warned then
    cur.skip_warned = true
    local text = s.kind == "task"
      and "The task is not checked yet: :check when you are done, :hint for a hint, :solution for one way to do it. :next again skips it."
      or "The quiz is not answered yet: type the number of a choice. :next again skips it."
    out(st(markup.render(text, { width = width() }), "dim"))
    return
  end
  out("")
  show_page(cur.page + 1)
end

function lesson.back()
  need_lesson("back")
  out("")
  show_page(math.max(1, cur.finished and #cur.les.pages - 1 or cur.page - 1))
  cur.finished = false
end

function lesson.goto_page(n)
  need_lesson("goto")
  n = math.tointeger(tonumber(n))
  local pages = #cur.les.pages
  if not n or n < 1 or n > pages then
    error(("goto: page must be a number from 1 to %d"):format(pages), 0)
  end
  cur.finished = false
  out("")
  show_page(n)
end

function lesson.restart()
  need_lesson("restart")
  local L, env = cur.les, cur.env
  local all = lesson._load_progress()
  all[L.name] = nil
  lesson._save_progress(all)
  cur = nil
  lesson.start(L.file, { page = 1, env = env })
end

function lesson.hint()
  need_lesson("hint")
  local s = current_step()
  if s.kind == "task" then
    out(st("Hint: ", "strong") .. markup.render(s.hint, { colour = colour(), width = width() - 6 }))
  elseif s.kind == "quiz" and s.hint then
    out(st("Hint: ", "strong") .. markup.render(s.hint, { colour = colour(), width = width() - 6 }))
  else
    out("There is no task here to give a hint for.")
  end
end

function lesson.solution()
  need_lesson("solution")
  local s = current_step()
  if s.kind == "task" then
    out(st("One solution (type it or paste it, then :check):", "strong"))
    out(code_block(s.solution))
  elseif s.kind == "quiz" then
    out(("The answer is %s) %s. %s"):format(choice_label(s.answer), s.choices[s.answer],
      markup.render(s.why, { colour = colour(), width = width() })))
  else
    out("There is no task here.")
  end
end

-- Checks the current task. Returns true when it passes.
function lesson.check()
  need_lesson("check")
  local s = current_step()
  if s.kind ~= "task" then out("There is no task to check here; Enter goes on.") return false end
  local ok, msg = run_check(s, cur.env)
  if ok then
    cur.passed[s.n], cur.ran[s.n] = true, true
    out(st("✓ Done. ", "ok") .. "Enter or :next to go on.")
    save()
    return true
  end
  out(st("✗ Not yet: ", "bad") .. markup.render(msg and tostring(msg) or "the check did not pass (it gave no reason)",
    { colour = colour(), width = width() - 11 }))
  return false
end

-- Answers the current quiz with a choice number. Returns true when right.
function lesson.answer(choice)
  need_lesson("answer")
  local s = current_step()
  if s.kind ~= "quiz" then out("There is no quiz to answer here.") return false end
  local k = math.tointeger(tonumber(choice))
  if not k or k < 1 or k > #s.choices then
    out(("Answer with a number from 1 to %d."):format(#s.choices))
    return false
  end
  if k == s.answer then
    cur.answered[s.n] = true
    out(st("✓ Right. ", "ok") .. markup.render(s.why, { colour = colour(), width = width() - 9 }))
    out(st("Enter or :next to go on.", "dim"))
    save()
    return true
  end
  out(st(("✗ Not %d. "):format(k), "bad") .. "Think again, or :solution shows the answer.")
  return false
end

-- The REPL calls this with each line typed at the prompt before evaluating it; it
-- returns true when the line was meant for the lesson: an empty line goes on (like
-- :next), and a bare number answers a quiz that is waiting.
function lesson._intercept(line)
  if not lesson._active() then return false end
  if line:match("^%s*$") then
    lesson.next()
    return true
  end
  local s = current_step()
  local k = s and s.kind == "quiz" and line:match("^%s*(%d+)%s*$")
  if k then
    lesson.answer(k)
    return true
  end
  return false
end

-- text padded with spaces or cut with "…" to n characters (UTF-8)
local function fit_to(text, n)
  local len = utf8.len(text) or #text
  if len > n then
    text = text:sub(1, (utf8.offset(text, n) or n) - 1):gsub("%s+$", "") .. "…"
    len = utf8.len(text)
  end
  return text .. string.rep(" ", n - len)
end

-- Prints the lessons with the student's progress: the titles' column as wide as the
-- longest title, or as the terminal leaves beside a progress of 20 characters (a
-- long title cut with "…"), so that the progress column stays one column.
function lesson._print_list()
  local prog = lesson._load_progress()
  local lessons = lesson.list()
  local cols = tonumber(os.getenv("COLUMNS") or "") or 80
  local tw = 5
  for _, L in ipairs(lessons) do tw = math.max(tw, utf8.len(L.title or "") or 0) end
  tw = math.max(20, math.min(tw, cols - 1 - 26 - 1 - 20))
  out(st("  #   lesson              " .. fit_to("title", tw) .. " progress", "strong"))
  for _, L in ipairs(lessons) do
    local num, short = L.name:match("^(%d+)_?(.*)$")
    local state
    if L.error then
      state = st("broken: " .. L.error, "bad")
    else
      local p = prog[L.name]
      local n, q = 0, 0 -- tasks passed and quizzes answered, of this version of the lesson
      for k in pairs(p and p.tasks or {}) do if L.steps[k] and L.steps[k].kind == "task" then n = n + 1 end end
      for k in pairs(p and p.quizzes or {}) do if L.steps[k] and L.steps[k].kind == "quiz" then q = q + 1 end end
      if not p then
        state = "not started"
      elseif p.done and n == L.ntasks and q == L.nquizzes then
        state = st("done ✓", "ok")
      elseif p.done then -- read to the end, with a task or a quiz skipped
        state = ("partly done · %d/%d tasks, %d/%d quizzes"):format(n, L.ntasks, q, L.nquizzes)
      else
        state = ("page %d/%d · %d/%d tasks"):format(p.page or 1, #L.pages, n, L.ntasks)
      end
    end
    local mark = (cur and cur.les.name == L.name) and "▸" or " "
    out(("%s %-3s %-19s %s %s"):format(mark, num or "", short or L.name, fit_to(L.title or "", tw), state))
  end
  out(st("  :lesson NAME starts one (a number is enough: :lesson 1)", "dim"))
end

-- The :commands, for the REPL to register: name -> {fn(argstring), help}.
lesson._commands = {
  lessons = { fn = function() lesson._print_list() end, help = "list the lessons and your progress" },
  lesson = {
    fn = function(arg)
      if arg and arg:match("%S") then lesson.start(arg:match("^%s*(.-)%s*$"))
      elseif cur then show_page(cur.page)
      else lesson._print_list() end
    end,
    help = ":lesson NAME starts or resumes a lesson (:lesson alone shows the current page again)",
  },
  next = { fn = function() lesson.next() end, help = "go on to the next page of the lesson (Enter does it too)" },
  back = { fn = function() lesson.back() end, help = "go back one page in the lesson" },
  ["goto"] = { fn = function(arg) lesson.goto_page(arg) end, help = ":goto N jumps to page N of the lesson" },
  restart = { fn = function() lesson.restart() end, help = "start the lesson again from its first page" },
  hint = { fn = function() lesson.hint() end, help = "a hint for the current task" },
  solution = { fn = function() lesson.solution() end, help = "one solution of the current task (or the quiz's answer)" },
  check = { fn = function() lesson.check() end, help = "check the current task" },
  answer = { fn = function(arg) lesson.answer(arg) end, help = ":answer N answers the current quiz" },
}

-- Registers the :commands and the line hook with the REPL (lua/repl.lua).
function lesson._install(r)
  for name, c in pairs(lesson._commands) do r.command(name, c.fn, c.help) end
  r.on_line(lesson._intercept)
end

---------------------------------------------------------------------------------
-- Headless checking: `nnlab --check [NAME...]`
---------------------------------------------------------------------------------

-- Runs one lesson with the reference solutions in a fresh environment (globals read
-- through to _G, writes stay in it). Every show step must run; every task's check
-- must fail before its solution runs (else it cannot tell whether the student did
-- anything) with a message, and pass after it. Returns true, or false and
-- "step N (kind, file:line): reason".
function lesson.check_file(path, opts)
  opts = opts or {}
  local okload, L = pcall(lesson.load, path)
  if not okload then return false, "does not load: " .. tostring(L) end
  local env = setmetatable({}, { __index = _G })
  local global_print = _G.print
  if not opts.verbose then
    -- quiet: the lesson's prints and those of the library it calls (m:summary())
    env.print = function() end
    _G.print = env.print
  end
  local ok, err = pcall(function() return lesson._check_steps(L, env, opts) end)
  _G.print = global_print
  if not ok then return false, tostring(err) end
  if err then return false, err end
  return true, L
end

-- Runs each of a task's wrong answers in its own layer over env (its writes stay
-- there, so the next answer and the solution start clean) and asks the check: each
-- must fail with a message. Returns nil, or the reason one was accepted.
local function check_wrong_answers(s, env, chunkname, opts)
  for k, w in ipairs(s.wrong) do
    local layer = setmetatable({}, { __index = env })
    -- a wrong answer must run: it is the check, not an error, that refuses it
    local ok, err = run_code(w[2], layer, chunkname .. " wrong " .. k, opts.verbose, true)
    if not ok then return ("wrong answer %d (%s) raises: %s"):format(k, w[1], err) end
    local pass, msg = run_check(s, layer)
    if pass then return ("the check accepts wrong answer %d (%s)"):format(k, w[1]) end
    if type(msg) ~= "string" or msg == "" then
      return ("wrong answer %d (%s) fails without a message"):format(k, w[1])
    end
    if opts.verbose then real_print(("wrong answer %d (%s): %s"):format(k, w[1], msg)) end
  end
  return nil
end

-- The steps of check_file, in order; returns nil when all pass, else the reason.
function lesson._check_steps(L, env, opts)
  local function where(s) return ("step %d (%s, %s:%d)"):format(s.n, s.kind, L.file, s.line) end
  for _, s in ipairs(L.steps) do
    local chunkname = "=" .. L.file .. ":" .. s.line
    if s.kind == "say" then
      local ok, err = pcall(markup.render, s.text, { colour = false, width = 78 })
      if not ok then return where(s) .. ": text does not render: " .. tostring(err) end
      if opts.verbose then real_print(markup.render(s.text)) end
    elseif s.kind == "show" then
      local ok, err = run_code(s.code, env, chunkname, opts.verbose, true)
      if not ok then return where(s) .. ": the code fails: " .. err end
    elseif s.kind == "task" then
      local pass, msg = run_check(s, env)
      if pass then
        return where(s) .. ": the check passes before the solution ran, so it cannot tell whether the student did the task"
      end
      if type(msg) ~= "string" or msg == "" then
        return where(s) .. ": a failing check must say what is wrong (return false, \"message\")"
      end
      local werr = check_wrong_answers(s, env, chunkname, opts)
      if werr then return where(s) .. ": " .. werr end
      local ok, err = run_code(s.solution, env, chunkname, opts.verbose, true)
      if not ok then return where(s) .. ": the reference solution fails: " .. err end
      pass, msg = run_check(s, env)
      if not pass then
        return where(s) .. ": the check fails after the reference solution: " .. tostring(msg)
      end
      if #s.wrong < 2 then
        return where(s) .. (": a task needs at least two wrong answers (wrong = {{why, code}, ...})"
          .. " that its check refuses; it has %d"):format(#s.wrong)
      end
    end
  end
  return nil
end

-- Checks the named lessons (all of them when names is empty), printing one line a
-- lesson. Returns the process exit status: 0 when all pass, 1 otherwise.
function lesson._check_main(names, opts)
  opts = opts or {}
  local paths = {}
  if not names or #names == 0 then
    local dir = lesson._dir()
    for _, f in ipairs(lesson_files(dir)) do paths[#paths + 1] = dir .. "/" .. f end
    if #paths == 0 then
      io.stderr:write(("nnlab --check: no lessons in %s\n"):format(dir))
      return 1
    end
  else
    for _, n in ipairs(names) do
      local ok, p = pcall(lesson._find, n)
      if not ok then
        io.stderr:write(("FAIL %s: %s\n"):format(n, tostring(p)))
        return 1
      end
      paths[#paths + 1] = p
    end
  end
  local failed = 0
  for _, path in ipairs(paths) do
    local name = path:match("([^/]+)%.lua$") or path
    local t0 = os.clock()
    local ok, res = lesson.check_file(path, opts)
    if ok then
      real_print(("ok   %-24s %3d steps, %d tasks, %d quizzes  %.2f s"):format(
        name, #res.steps, res.ntasks, res.nquizzes, os.clock() - t0))
    else
      failed = failed + 1
      io.stderr:write(("FAIL %s: %s\n"):format(name, res))
    end
  end
  if failed > 0 then
    io.stderr:write(("nnlab --check: %d of %d lessons failed\n"):format(failed, #paths))
    return 1
  end
  return 0
end

-- lesson "01" at the prompt is :lesson 01.
return setmetatable(lesson, { __call = function(_, name) return lesson.start(name) end })
