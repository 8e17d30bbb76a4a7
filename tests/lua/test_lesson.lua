-- test_lesson.lua: the lesson engine (lua/lesson.lua) on the fixtures in
-- tests/lua/fixtures: steps run in order and page by page, a failing check says
-- what is wrong, quiz answers, progress written and read back (and a resumed lesson
-- catches up), headless checking passes a good lesson and names the step and the
-- reason for each broken one. Run by the nnlab binary (or lua5.4 with LUA_PATH).
local lesson = require "lesson"
local markup = require "markup"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local fixtures = here .. "/fixtures"
local good = fixtures .. "/lessons_good/00_tiny.lua"

-- Progress goes to a private folder, never the user's.
local state = os.tmpname()
os.remove(state)
assert(os.execute("mkdir -p '" .. state .. "'"), "cannot make a temporary folder " .. state)
lesson._state_dir = function() return state end
lesson._colour = false

local captured = {}
lesson._write = function(s) captured[#captured + 1] = s end
local function output()
  local s = table.concat(captured)
  captured = {}
  return s
end

local function expect_find(haystack, needle, what)
  if not haystack:find(needle, 1, true) then
    error(("%s: expected %q in the output:\n%s"):format(what, needle, haystack), 2)
  end
end

local function expect_eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end

-- Each test starts with no saved progress.
local function forget_progress() os.remove(state .. "/lessons.lua") end

local tests = {}

function tests.load_builds_steps_in_order_and_pages()
  local L = lesson.load(good)
  expect_eq(L.id, "tiny", "id")
  expect_eq(L.title, "A tiny lesson", "title")
  local kinds = {}
  for _, s in ipairs(L.steps) do kinds[#kinds + 1] = s.kind end
  expect_eq(table.concat(kinds, " "), "say show task say quiz pause say show", "step kinds")
  expect_eq(#L.pages, 4, "pages")
  expect_eq(L.pages[1].last, 3, "page 1 ends at the task")
  expect_eq(L.pages[4].first, 7, "the closing page")
  expect_eq(L.ntasks, 1, "tasks")
  expect_eq(L.nquizzes, 1, "quizzes")
  expect_eq(L.steps[3].line, 12, "a step knows its line in the file")
end

function tests.load_reports_file_and_line_of_a_bad_step()
  local ok, err = pcall(lesson.load, fixtures .. "/lessons_bad/04_bad_quiz.lua")
  assert(not ok, "a quiz whose answer is not a choice must not load")
  expect_find(err, "04_bad_quiz.lua:3:", "error position")
  expect_find(err, "answer must be the number of a choice (1 to 2), got 3", "error reason")
end

function tests.interactive_run_steps_checks_quiz_and_end()
  local env = {}
  lesson.start(good, { env = env, page = 1 })
  local o = output()
  expect_find(o, "Some emphasis, some strong text and a `code span`.", "say renders plain text")
  expect_find(o, "x = 40 + 2", "show prints its code")
  expect_find(o, "Task: Make `y` twice `x`.", "the task's prompt")
  assert(not o:find("Second page", 1, true), "the first page must stop at the task")
  expect_eq(env.x, 42, "show ran its code in the user's environment")

  expect_eq(lesson.check(), false, "check before the student did anything")
  expect_find(output(), "Not yet: there is no y yet", "the check's message")
  env.y = 5
  lesson.check()
  expect_find(output(), "y is 5, but twice x is 84", "the check says what is still wrong")

  lesson.hint()
  expect_find(output(), "Hint: `y = 2 * x`", "hint")
  lesson.solution()
  expect_find(output(), "y = 2 * x", "solution")

  env.y = 84
  expect_eq(lesson.check(), true, "check after the task was done")
  expect_find(output(), "Done", "a passing check says so")

  assert(lesson._intercept(""), "an empty line goes on while a lesson is active")
  o = output()
  expect_find(o, "Second page.", "the next page")
  expect_find(o, "1) 3", "quiz choices are numbered")
  expect_find(o, "3) 5", "quiz choices are numbered")

  expect_eq(lesson.answer(1), false, "a wrong answer")
  expect_find(output(), "Not 1", "a wrong answer is named")
  assert(repl._line(" 2 "), "the prompt hands a bare number to the lesson (lesson._install)")
  expect_find(output(), "Right. Two and two make four.", "the quiz's why")
  assert(not lesson._intercept("y = 3"), "Lua code is not taken by the lesson")

  lesson.next() -- to the pause page
  lesson.next() -- to the closing page
  expect_eq(env.z, 85, "the last show step ran")
  expect_find(output(), "end of lesson 00_tiny · 1/1 tasks done", "the end")
  assert(not lesson._active(), "a finished lesson is not active")
  assert(not lesson._intercept(""), "an empty line after the end is the prompt's again")
end

function tests.next_warns_once_on_an_unchecked_task_then_skips()
  local env = {}
  lesson.start(good, { env = env, page = 1 })
  output()
  lesson.next()
  expect_find(output(), "not checked yet", "the first :next warns")
  expect_eq(lesson._current().page, 1, "still on the task's page")
  lesson.next()
  expect_find(output(), "Second page.", "the second :next skips")
  lesson.back()
  expect_find(output(), "Task: Make", "back shows the previous page")
  lesson.goto_page(3)
  expect_eq(lesson._current().page, 3, ":goto")
  local ok, err = pcall(lesson.goto_page, 9)
  assert(not ok and err:find("from 1 to 4", 1, true), "goto outside the lesson: " .. tostring(err))
  output()
  lesson.restart()
  expect_eq(lesson._current().page, 1, ":restart goes to the first page")
  expect_find(output(), "Task: Make", ":restart shows the first page")
  expect_eq(lesson._load_progress()["00_tiny"].page, 1, ":restart saves the first page")
end

function tests.progress_is_written_and_read_back_and_resume_catches_up()
  lesson.start(good, { env = {}, page = 1 })
  output()
  local env = lesson._current().env
  env.y = 2 * env.x
  lesson.check()
  lesson.next()
  output()
  local f = assert(io.open(state .. "/lessons.lua"), "the progress file exists")
  local text = f:read("a")
  f:close()
  expect_find(text, '["00_tiny"] = {page = 2, pages = 4, done = false, tasks = {[3]=true}', "progress file")

  local prog = lesson._load_progress()["00_tiny"]
  expect_eq(prog.page, 2, "page read back")
  assert(prog.tasks[3], "passed task read back")

  -- A fresh session (a new environment) resumes at page 2 with x and y made again.
  local fresh = {}
  lesson.start(good, { env = fresh })
  local o = output()
  expect_find(o, "resuming at page 2", "resume")
  expect_find(o, "catching up", "catch-up is announced")
  expect_eq(fresh.x, 42, "catch-up ran the show step")
  expect_eq(fresh.y, 84, "catch-up ran the task's reference solution")
  assert(fresh.print == nil, "catch-up restores print")
end

function tests.damaged_progress_file_is_ignored()
  local f = assert(io.open(state .. "/lessons.lua", "w"))
  f:write("return {{{")
  f:close()
  local prog = lesson._load_progress()
  expect_eq(next(prog), nil, "damaged progress reads as empty")
  expect_find(output(), "ignoring damaged progress file", "and is reported")
end

function tests.check_passes_a_good_lesson()
  local ok, L = lesson.check_file(good)
  assert(ok, "the good fixture fails --check: " .. tostring(L))
  expect_eq(lesson._check_main({ good }), 0, "exit status for a good lesson")
end

function tests.check_names_step_and_reason_of_broken_lessons()
  local bad = fixtures .. "/lessons_bad/"
  local cases = {
    { "01_failing_check.lua", "step 2 (task, " .. bad .. "01_failing_check.lua:4): the check fails after the reference solution: w is 4, not 3" },
    { "02_show_error.lua", "step 2 (show, " .. bad .. "02_show_error.lua:4): the code fails:" },
    { "03_check_cannot_fail.lua", "step 1 (task, " .. bad .. "03_check_cannot_fail.lua:3): the check passes before the solution ran" },
    { "04_bad_quiz.lua", "does not load:" },
    { "05_accepts_wrong.lua", "step 2 (task, " .. bad .. "05_accepts_wrong.lua:4): the check accepts wrong answer 1 (x itself)" },
    { "06_one_wrong_answer.lua", "step 2 (task, " .. bad .. "06_one_wrong_answer.lua:4): a task needs at least two wrong answers" },
  }
  for _, c in ipairs(cases) do
    local ok, msg = lesson.check_file(bad .. c[1])
    assert(not ok, c[1] .. " must fail --check")
    expect_find(msg, c[2], c[1])
  end
  local ok, msg = lesson.check_file(bad .. "02_show_error.lua")
  assert(not ok)
  expect_find(msg, "attempt to index a nil value", "the show error's own message")
  expect_eq(lesson._check_main({ good, bad .. "01_failing_check.lua" }), 1, "exit status with a broken lesson")
end

function tests.find_by_number_name_and_part()
  local dir = fixtures .. "/lessons_bad"
  expect_eq(lesson._find("2", dir), dir .. "/02_show_error.lua", "by number")
  expect_eq(lesson._find("show_error", dir), dir .. "/02_show_error.lua", "by name")
  expect_eq(lesson._find("cannot", dir), dir .. "/03_check_cannot_fail.lua", "by a unique part")
  local ok, err = pcall(lesson._find, "check", dir)
  assert(not ok and err:find("matches 2 lessons", 1, true), "an ambiguous part: " .. tostring(err))
  ok, err = pcall(lesson._find, "nothing", dir)
  assert(not ok and err:find('no lesson "nothing"', 1, true), "a missing lesson: " .. tostring(err))
end

function tests.list_shows_progress()
  local list = lesson.list(fixtures .. "/lessons_bad")
  expect_eq(#list, 6, "every file is listed")
  expect_eq(list[1].title, "A check that the solution fails", "a lesson's title")
  assert(list[4].error and list[4].error:find("answer must be", 1, true), "a broken file lists its error")
end

function tests.markup_renders_plain_and_colour_and_wraps()
  local text = "Some *emphasis*, **strong** and `code`; 2*x*y stays as typed."
  expect_eq(markup.render(text), "Some emphasis, strong and `code`; 2*x*y stays as typed.", "plain")
  local c = markup.render(text, { colour = true })
  expect_find(c, "\27[3memphasis\27[0m", "italic")
  expect_find(c, "\27[1mstrong\27[0m", "bold")
  expect_find(c, "\27[36mcode\27[0m", "code span")
  local long = markup.render(("word "):rep(40), { width = 30 })
  for line in long:gmatch("[^\n]+") do
    assert(markup.width(line) <= 30, "a line wider than 30: " .. line)
  end
  local lines = markup.render("- one two three four five six\n- seven", { width = 12 })
  expect_eq(lines, "- one two\n  three four\n  five six\n- seven", "list items hang")
  expect_eq(markup.render("A\n\n    x = 1\n\nB"), "A\n\n    x = 1\n\nB", "verbatim block")
  expect_eq(markup.render("Starts here and\n  goes on here.\n  Same paragraph."),
    "Starts here and goes on here. Same paragraph.", "text that starts on the bracket's line")
  expect_eq(markup.render("\n  # Head\n  Text\n    code\n"), "Head\nText\n  code", "indented block text")
  local hl = markup.highlight('local s = "x" -- c', true)
  expect_find(hl, "\27[35mlocal\27[0m", "keyword")
  expect_find(hl, '\27[32m"x"\27[0m', "string")
  expect_find(hl, "\27[2m-- c\27[0m", "comment")
end

function tests.lessons_list_shows_a_lesson_with_a_skipped_task_as_partly_done()
  local dir = lesson._dir
  lesson._dir = function() return fixtures .. "/lessons_good" end
  local ok, err = pcall(function()
    local env = {}
    lesson.start(good, { env = env, page = 1 })
    lesson.next()
    lesson.next() -- the task skipped
    lesson.answer(2)
    lesson.next()
    lesson.next() -- the end
    output()
    lesson._print_list()
    local o = output()
    expect_find(o, "partly done · 0/1 tasks, 1/1 quizzes", "a skipped task")
    assert(not o:find("done ✓", 1, true), "not shown as done:\n" .. o)
    lesson.start(good, { env = env, page = 1 })
    env.y = 2 * env.x
    lesson.check()
    lesson.goto_page(4)
    output()
    lesson._print_list()
    expect_find(output(), "done ✓", "every task and quiz done")
  end)
  lesson._dir = dir
  if not ok then error(err, 0) end
end

-- :lessons keeps its progress column in one place: a title longer than the terminal
-- leaves room for is cut with "…", a short one padded (by characters, not bytes)
function tests.lessons_list_keeps_its_columns_with_long_titles()
  local dir = lesson._dir
  local folder = state .. "/titles"
  assert(os.execute("mkdir -p '" .. folder .. "'"))
  local titles = { "Short — with a dash", ("A very long title that goes on and on about encoders and decoders") }
  for i, t in ipairs(titles) do
    local f = assert(io.open(("%s/0%d_t%d.lua"):format(folder, i, i), "w"))
    f:write(("lesson{%q, %q}\nsay[[x]]\n"):format("t" .. i, t))
    f:close()
  end
  lesson._dir = function() return folder end
  local ok, err = pcall(function()
    output()
    lesson._print_list()
    local o = output()
    local header = o:match("[^\n]*progress[^\n]*")
    local col = utf8.len(header:sub(1, header:find("progress", 1, true) - 1))
    local rows = 0
    for line in o:gmatch("[^\n]+") do
      local at = line:find("not started", 1, true)
      if at then
        rows = rows + 1
        expect_eq(utf8.len(line:sub(1, at - 1)), col, "the progress column of: " .. line)
        assert(utf8.len(line) <= 79, "a row wider than an 80-column terminal: " .. line)
      end
    end
    expect_eq(rows, 2, "rows")
    expect_find(o, "A very long title that goes on… ", "a long title cut")
  end)
  lesson._dir = dir
  if not ok then error(err, 0) end
end

function tests.a_pages_job_stops_when_the_student_leaves_the_page()
  local path = state .. "/01_jobs.lua"
  local f = assert(io.open(path, "w"))
  f:write([[
lesson{"jobs", "A page with a job"}
show[=[spinner = spawn(function() while true do coroutine.yield() end end, "page job")]=]
pause()
show[=[other = spawn(function() while true do coroutine.yield() end end, "second page job")]=]
pause()
say[=[The end.]=]
]])
  f:close()
  local mine = spawn(function() while true do coroutine.yield() end end, "the student's own")
  local env = setmetatable({}, { __index = _G })
  lesson.start(path, { env = env, page = 1 })
  assert(env.spinner.state == "running", "the page's job runs while the page is shown")
  lesson.next()
  expect_eq(env.spinner.state, "stopped", "the first page's job after :next")
  assert(env.other.state == "running", "the second page's job runs")
  lesson.start(path, { env = env, page = 1 })
  expect_eq(env.other.state, "stopped", "a page's job when another lesson starts")
  expect_eq(mine.state, "running", "the student's own job is left alone")
  mine:stop()
  env.spinner:stop()
  output()
  os.remove(path)
end

-- A code line wider than the terminal wraps at spaces outside strings and comments;
-- the pieces are the same Lua (they run to the same values) and fit where they can.
function tests.long_code_lines_wrap_outside_strings_and_comments()
  local code = [=[
t = {("a b c  d"):rep(2), 1 + 2 * 3, "x  y " .. [[ p  q  r ]], #"s t", nested = {{1, 2}, {3, 4}}, 'u  v'} -- a  b  c  d  e
short = 1]=]
  local pieces = markup.wrap_code(markup.dedent(code), 30)
  local a, b = {}, {}
  assert(load(code, "=orig", "t", a))()
  assert(load(table.concat(pieces, "\n"), "=wrapped", "t", b))()
  expect_eq(require("repl").repr(b.t), require("repl").repr(a.t), "the wrapped code's value")
  assert(#pieces > 3, "a 120-character line in 30 columns: " .. #pieces .. " pieces")
  for _, p in ipairs(pieces) do
    -- only what has no break in reach stays long: the string, and the comment
    assert(utf8.len(p) <= 30 or p:find('"x  y "', 1, true) or p:find("[[ p", 1, true) or p:find("--", 1, true),
      "a piece wider than 30 columns: " .. p)
  end
  expect_find(table.concat(pieces, "\n"), '("a b c  d")', "a string is never cut")
  expect_find(table.concat(pieces, "\n"), "-- a  b  c  d  e", "a comment is never cut")
  expect_eq(pieces[#pieces], "short = 1", "a short line is left as it is")
end

local names = {}
for name in pairs(tests) do names[#names + 1] = name end
table.sort(names)
local failed = 0
for _, name in ipairs(names) do
  forget_progress()
  local ok, err = xpcall(tests[name], debug.traceback)
  if not ok then
    failed = failed + 1
    io.stderr:write(("FAIL %s: %s\n"):format(name, err))
  end
end
os.execute("rm -rf '" .. state .. "'")
if failed > 0 then
  error(("%d of %d lesson tests failed"):format(failed, #names))
end
print(("ok: %d lesson tests"):format(#names))
