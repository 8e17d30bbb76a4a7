-- doc/repl.lua: help entries of the REPL's own functions (help, jobs, repl.*).
return {
  ["repl"] = {
    sig = "repl",
    summary = "the prompt itself: jobs, :commands, printers, timing",
    text = [[
At the prompt an expression prints its value and `_` holds the last one; input that
is not finished (an open function, table or string) continues on a "..>" line. Tab
completes names, fields, methods and, inside a string, file names. Ctrl-C stops the
running command (or clears the line), Ctrl-D on an empty line leaves. Commands
start with ":" (:help lists them); ?name shows help.
Functions: repl.spawn, repl.jobs, repl.wait (the globals spawn, jobs, wait),
repl.job_by_id, repl.command, repl.on_line, repl.printer, repl.repr, repl.nearest;
fields repl.interactive, repl.timing, repl.version, repl.lua_dir, repl.lessons_dir.]],
    example = [[
repl.command("hi", function() print("hi") end, "say hi")
print(repl.interactive, repl.version)]],
  },
  ["help"] = {
    sig = "help([name])",
    summary = "show the help of a function or module; with no argument list the topics",
    text = [[
name is a string such as "nn.zeros", "tensor:matmul" or a module's name ("plot"), or
the value itself: help(nn.zeros), help(plot), help(m) for a model or any other object
(its type and the methods with their summaries). A method name alone ("matmul") finds
its entry too, and a misspelt name gets suggestions. At the prompt ?name does the
same: ?nn.zeros]],
    example = [[
help("spawn"); help(plot); help(nn.ones(2))]],
  },
  ["apropos"] = {
    sig = "apropos(word)",
    summary = "list the help topics whose name or text mention word",
    example = [[
apropos("momentum")]],
    text = [[
The search ignores case and looks in each entry's name, summary and text; one line
per topic found, with its summary. A word that is not a string is refused.]],
  },
  ["spawn"] = {
    sig = "job = spawn(fn [, name])",
    summary = "run fn as a background job, in slices between keystrokes",
    text = [[
fn runs as a coroutine: it must call coroutine.yield() between slices of its work
(a few milliseconds each) so that the prompt, windows and other jobs get their turn.
What the job prints appears above the prompt. In a script (or -e), jobs run to their
end when the script finishes, or earlier when it calls wait(job); with nnlab -i they
go on in the background at the prompt.]],
    example = [[
job = spawn(function()
  for i = 1, 3 do print(i); coroutine.yield() end
end)]],
  },
  ["jobs"] = {
    sig = "jobs()",
    summary = "list the background jobs that are running or paused (also :jobs)",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
print(jobs())]],
    text = [[
Returns the list (printed as a table of id, state, seconds run and name); finished
jobs are left out. :stop N stops one.]],
  },
  ["wait"] = {
    sig = "wait(job or run or race)",
    summary = "run a job, a training run or a race in the foreground until it ends; Ctrl-C stops it",
    text = [[
Raises the job's error if it failed. Inside another job, wait yields until the job
ends instead. A run (m:fit at the prompt) or a race is waited for by its own
run:wait() / race:wait(). Leaving nnlab (Ctrl-D, :quit) while jobs run names them
and asks for a second Ctrl-D.]],
    example = [[
wait(spawn(function() for i = 1, 3 do print(i); coroutine.yield() end end))]],
  },
  ["job:stop"] = {
    sig = "job:stop()",
    summary = "stop a job for good (also :stop N)",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
job:stop(); print(job.state)   --> stopped]],
    text = [[
The coroutine is closed (its to-be-closed variables run); a job that stops itself
ends at its next yield. Returns the job.]],
  },
  ["job:pause"] = {
    sig = "job:pause()",
    summary = "pause a running job; job:resume() continues it",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
job:pause(); print(job.state)   --> paused
job:resume()]],
    text = [[
A paused job gets no slices until job:resume(); space in a window bound to it does
the same. Returns the job.]],
  },
  ["job:resume"] = {
    sig = "job:resume()",
    summary = "continue a paused job",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
job:pause(); job:resume(); print(job.state)   --> running]],
    text = [[
Returns the job; nothing happens unless it was paused.]],
  },
  ["job.state"] = {
    sig = "job.state",
    summary = 'the job\'s state: "running", "paused", "done", "stopped" or "error"',
    text = [[job.time is the seconds it has run so far, job.error its error message.]],
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
print(job.state, job.time)]],
  },
  ["repl.spawn"] = {
    sig = "repl.spawn(fn [, name])",
    summary = "the same as spawn",
    example = [[
job = repl.spawn(function() coroutine.yield() end)]],
    text = [[
The global spawn is this function.]],
  },
  ["repl.jobs"] = {
    sig = "repl.jobs()",
    summary = "the same as jobs",
    example = [[
print(repl.jobs())]],
    text = [[
The global jobs is this function.]],
  },
  ["repl.wait"] = {
    sig = "repl.wait(job)",
    summary = "the same as wait",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
repl.wait(job); print(job.state)   --> done]],
    text = [[
The global wait is this function.]],
  },
  ["repl.job_by_id"] = {
    sig = "repl.job_by_id(n)",
    summary = "the job with number n (as :jobs shows it), or nil",
    example = [[
job = spawn(function() for i = 1, 5 do coroutine.yield() end end)
print(repl.job_by_id(job.id) == job)   --> true]],
    text = [[
The number is the one jobs() and :jobs show; nil when there is no such job (or it
finished and was forgotten).]],
  },
  ["repl.interactive"] = {
    sig = "repl.interactive",
    summary = "true at the interactive prompt, false in a script, -e or piped input",
    text = [[
Long work starts itself with spawn() when repl.interactive is true and runs to
completion in place otherwise.]],
    example = [[
local function work() print("working") end
if repl.interactive then spawn(work) else work() end]],
  },
  ["repl.status"] = {
    sig = "repl.status([text])",
    summary = "a background job's progress as one line just above the prompt, updated in place",
    text = [[
The line is written over its previous state while nothing else was printed, and
cut to the terminal's width, so the student can keep typing below it. status()
takes the line away: print the final figures after it. In a script, or while a
command runs in the foreground, it does nothing (print progress there instead).]],
    example = [[
spawn(function()
  for epoch = 1, 3 do repl.status(("epoch %d/3"):format(epoch)); coroutine.yield() end
  repl.status(); print("done: 3 epochs")
end)]],
  },
  ["repl.timing"] = {
    sig = "repl.timing",
    summary = "when true the prompt prints how long each command took (:time on|off)",
    example = [[
repl.timing = true; repl.timing = false]],
    text = [[
A plain field; :time on and :time off set it.]],
  },
  ["repl.command"] = {
    sig = "repl.command(name, fn [, help])",
    summary = "add the prompt command :name; fn receives the rest of the line",
    example = [[
repl.command("hello", function(arg) print("hello " .. arg) end, "say hello")]],
    text = [[
name must be a word (letters, digits, _), fn a function; an existing command of that
name is replaced. help is the line :help shows for it. An error in fn prints its
message without a traceback.]],
  },
  ["repl.on_line"] = {
    sig = "repl.on_line(fn)",
    summary = "fn(line) sees each typed line before it runs; returning true takes it (nil removes fn)",
    text = [[Lessons use it so that Enter on an empty line shows the next page and a bare
number answers the quiz on screen. :commands and ?help never reach fn.]],
    example = [[
repl.on_line(function(line) if line == "" then print("next!") return true end end)
repl.on_line(nil)]],
  },
  ["repl.nearest"] = {
    sig = "repl.nearest(word, names)",
    summary = "the names that are near word (at most two edits, or starting with it)",
    example = [[
print(table.concat(repl.nearest("hepl", {"help", "quit"}), " "))   --> help]],
    text = [[
Edit distance (insertions, deletions, substitutions) of at most 2, or names that
start with word; sorted by distance, then by name. What "did you mean" suggestions
come from.]],
  },
  ["repl.printer"] = {
    sig = "repl.printer(type_name, fn)",
    summary = "print values whose metatable's __name is type_name as fn(value)",
    text = [[fn returns a string. nil for fn removes the printer.]],
    example = [[
repl.printer("nnlab.module", function(m) return "a model of " .. m:nparams() .. " parameters" end)
print(repl.repr(nn.linear(2, 1)))
repl.printer("nnlab.module", nil)]],
  },
  ["repl.repr"] = {
    sig = "repl.repr(value)",
    summary = "the text the prompt prints for value",
    example = [[
print(repl.repr({1, 2, x = {3}}))]],
    text = [[
Tables print as constructors ({1, 2, x = {3}}), nested ones to a limited depth;
tensors, models and other objects by their printer (repl.printer) or __tostring;
strings quoted.]],
  },
}
