-- doc/lesson.lua: help entries of the lesson engine (lua/lesson.lua). The :commands
-- (:lessons, :lesson, :next, ...) call these functions.
return {
  ["lesson"] = {
    sig = 'lesson(name)',
    summary = "start or resume a lesson; the same as :lesson NAME",
    text = [[
name is the lesson's number ("01" or 1), its file name ("01_perceptron") or a part of
it that only one lesson has ("percep"). :lessons lists them with your progress.
A lesson shows its text and code page by page; a page ends at a task, a quiz or a
pause. Enter (or :next, or PageDown in any window) goes on, :back (PageUp) goes back,
:check checks a task, :hint and
:solution help with it, typing a number (or :answer N) answers a quiz. Progress is saved in
$XDG_STATE_HOME/nnlab/lessons.lua (~/.local/state/nnlab/ when unset).
Functions: lesson(name) or lesson.start, lesson.next, lesson.back, lesson.goto_page,
lesson.restart, lesson.check, lesson.hint, lesson.solution, lesson.answer, lesson.list,
lesson.load, lesson.check_file, lesson.caption. A lecture demo is a lesson file too:
:lesson demos/lecture.lua (help "plot.keys").]],
    example = [[
lesson "01"   -- the same as :lesson 01]],
  },
  ["lesson.caption"] = {
    sig = "lesson.caption(text | nil)",
    summary = "a page's key sentence or formula in large type under every window's panels",
    example = [[
lesson.caption("w_new = w_old − η · dL/dw")
lesson.caption(nil)]],
    text = [[
A lesson file's caption "..." step calls it when its page is shown, and the next page
takes it away: the terminal's text cannot be sized for a room, a window's can.]],
  },
  ["lesson.start"] = {
    sig = 'lesson.start(name [, {page = n, env = table}])',
    summary = "start or resume a lesson (:lesson NAME)",
    text = [[
Resumes at the saved page unless page is given; the code of earlier pages that
this session has not run (show steps and reference solutions) runs quietly first,
so their variables exist. env is where the lesson's code runs: the globals by
default. Returns the loaded lesson.]],
    example = [[
lesson.start("perceptron", {page = 1})]],
  },
  ["lesson.next"] = {
    sig = "lesson.next()",
    summary = "go on to the next page (:next, or Enter on an empty line)",
    text = [[
On a task that is not checked yet (or a quiz not answered) the first :next says so
and the second skips it.]],
    example = [[
lesson.start("01", {page = 1})
lesson.next()]],
  },
  ["lesson.back"] = {
    sig = "lesson.back()",
    summary = "show the previous page again (:back)",
    example = [[
lesson.start("01", {page = 1})
lesson.goto_page(2); lesson.back()]],
    text = [[
On the first page it shows that page again. Code that already ran does not run
again.]],
  },
  ["lesson.goto_page"] = {
    sig = "lesson.goto_page(n)",
    summary = "jump to page n of the running lesson (:goto N)",
    example = [[
lesson.start("01", {page = 1})
lesson.goto_page(3)]],
    text = [[
n counts from 1 (:lessons shows how many pages a lesson has); a page out of range is
refused with the range. The code of the pages skipped over runs quietly first, so
their variables exist.]],
  },
  ["lesson.restart"] = {
    sig = "lesson.restart()",
    summary = "forget the lesson's progress and begin at its first page (:restart)",
    example = [[
lesson.start("01", {page = 1})
lesson.restart()]],
    text = [[
The saved progress of this lesson is forgotten and it begins again at page 1; other
lessons keep theirs.]],
  },
  ["lesson.hint"] = {
    sig = "lesson.hint()",
    summary = "a hint for the current task (:hint)",
    example = [[
lesson.start("01", {page = 1})
lesson.hint()]],
    text = [[
Shows the hint of the page's task (or of its quiz, when the quiz has one); says so
when the page has no task.]],
  },
  ["lesson.solution"] = {
    sig = "lesson.solution()",
    summary = "one solution of the current task, or the quiz's answer (:solution)",
    text = [[The code is shown, not run: type or paste it, then :check.]],
    example = [[
lesson.start("01", {page = 1})
lesson.solution()]],
  },
  ["lesson.check"] = {
    sig = "ok = lesson.check()",
    summary = "check the current task (:check); says what is still wrong",
    example = [[
lesson.start("01", {page = 1})
print(lesson.check())   --> false: OR_mp is not written yet]],
    text = [[
Runs the task's check on the lesson's environment (your globals). When it passes it
prints "Done" and returns true, and the page may go on; otherwise it prints what is
still wrong and returns false. A check that raises an error counts as not done, with
the error shown. Like the other lesson functions it raises "no lesson is running"
when none is.]],
  },
  ["lesson.answer"] = {
    sig = "ok = lesson.answer(n)",
    summary = "answer the current quiz with choice n (:answer N)",
    example = [[
lesson.start("01", {page = 1})
lesson.answer(2)]],
    text = [[
n is the number of a choice as shown (1, 2, ...); the answer is checked and
explained (the quiz's why). Typing a bare number at the prompt on a quiz page does
the same. Without a quiz on the page it says so.]],
  },
  ["lesson.list"] = {
    sig = "lessons = lesson.list([dir])",
    summary = "the lessons in the lessons folder, loaded (:lessons prints them)",
    text = [[
Each item has name, id, title, file, steps, pages, ntasks and nquizzes; a file that
does not load has name, file and error instead.]],
    example = [[
for _, l in ipairs(lesson.list()) do print(l.name, l.title) end]],
  },
  ["lesson.load"] = {
    sig = "l = lesson.load(path)",
    summary = "load a lesson file into its list of steps, without running it",
    text = [=[
A lesson file calls lesson{id, title}, then say[[text]], show[[code]],
task{prompt, check = function(env) ... end, hint = "...", solution = [[code]]},
quiz{q, choices = {...}, answer = n, why = "..."}, caption[[sentence]] (put in large
type under every window's panels for its page) and pause(). A check returns true
when the task is done, or false and a message saying what is still wrong. Errors
name the file and line of the bad step.]=],
    example = [[
l = lesson.load(repl.lessons_dir .. "/01_perceptron.lua"); print(#l.steps, #l.pages)]],
  },
  ["lesson.check_file"] = {
    sig = "ok, err = lesson.check_file(path [, {verbose = true}])",
    summary = "run a lesson headless with its reference solutions, as nnlab --check does",
    text = [[
Every show step must run; every task's check must fail (with a message) before its
solution runs and pass after it. Returns true and the lesson, or false and
"step N (kind, file:line): reason". The code runs in a fresh environment whose
reads fall through to the globals.]],
    example = [[
print(lesson.check_file(repl.lessons_dir .. "/00_welcome.lua"))]],
  },
}
