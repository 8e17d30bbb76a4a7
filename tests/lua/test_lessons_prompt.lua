-- test_lessons_prompt.lua: every lesson as a student takes it at the prompt, not only
-- the headless `nnlab --check` path: repl.interactive is on, windows open (on SDL's
-- dummy driver), races and training runs play as background jobs, the pages come one
-- by one with job slices between them, each task fails its check, then passes after
-- its reference solution, and each quiz is answered. The lesson's code must run
-- without an error, no job may fail, and neither the lessons nor the library they
-- call may leave names in the user's globals that replace nnlab's (data, plot, ...)
-- or that the lesson did not make itself.
local lesson = require "lesson"
local repl = require "repl"
local race = require "race"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local dir = here .. "/../../lessons"

local state = os.tmpname()
os.remove(state)
assert(os.execute("mkdir -p '" .. state .. "'"))
lesson._state_dir = function() return state end
lesson._colour = false
local captured = {}
lesson._write = function(s) captured[#captured + 1] = s end

-- every job a lesson starts, to see that none of them failed
local jobs = {}
local spawn = repl.spawn
repl.spawn = function(...)
    local job = spawn(...)
    jobs[#jobs + 1] = job
    return job
end
_G.spawn = repl.spawn -- the global the library's views call

-- The races play at their speed in real time; here a hundred times faster, so that a
-- 2000-step race still plays through frames (each one a job slice) in a fraction of a
-- second. Only the pace of the animation differs from the student's.
local fast_race = setmetatable({}, {__index = race, __call = function(_, opts)
    if type(opts) == "table" and opts.speed == nil then
        opts.speed = 100 * math.max(30, (opts.steps or 300) / 10)
    end
    return race(opts)
end})

local function global_names()
    local names = {}
    for k, v in pairs(_G) do names[k] = v end
    return names
end

-- The library left nothing in _G, and replaced or removed nothing there.
local function same_globals(before, what)
    for k, v in pairs(_G) do
        assert(before[k] ~= nil, ("%s: the global %q appeared (a missing local?)"):format(what, tostring(k)))
        assert(before[k] == v, ("%s: the global %q was replaced"):format(what, tostring(k)))
    end
    for k in pairs(before) do
        assert(rawget(_G, k) ~= nil, ("%s: the global %q was removed"):format(what, tostring(k)))
    end
end

local function run_lesson(path)
    local before = global_names()
    -- the user's globals as a lesson sees them: reads fall through to _G; what the
    -- lesson's code assigns stays here, so that it can be told apart from what the
    -- library leaks into _G itself
    local env = setmetatable({race = fast_race}, {__index = _G})
    repl.interactive = true
    captured = {}
    local L = lesson.start(path, {env = env, page = 1})
    local pages = 0
    while lesson._active() do
        pages = pages + 1
        assert(pages <= #L.pages, path .. ": more pages than the lesson has")
        repl._jobs_step(0.02) -- the windows play while the student reads
        local cur = lesson._current()
        local s = L.steps[L.pages[cur.page].last]
        if s.kind == "task" then
            assert(not lesson.check(), ("%s:%d: the task passes before anything was done"):format(path, s.line))
            local fn = assert(load(s.solution, "=solution", "t", env))
            fn()
            repl._jobs_step(0.02)
            assert(lesson.check(), ("%s:%d: the task fails after its solution:\n%s"):format(path, s.line,
                table.concat(captured)))
        elseif s.kind == "quiz" then
            assert(lesson.answer(s.answer))
        end
        lesson.next()
    end
    repl._jobs_step(0.02)
    repl.interactive = false
    -- at the prompt, open windows keep their views' jobs (and the playground trains
    -- on) until closed: the next lesson starts without them
    for _, job in ipairs(jobs) do
        if job.state == "error" then break end
        job:stop()
    end
    local out = table.concat(captured)
    assert(not out:find("error in the lesson's code", 1, true), path .. ":\n" .. out)
    for _, job in ipairs(jobs) do
        assert(job.state ~= "error", ("%s: job %s failed: %s"):format(path, job.name, tostring(job.error)))
    end
    same_globals(before, path)
    -- the lesson's own names do not hide nnlab's
    for k in pairs(env) do
        if k ~= "race" and k ~= "print" then
            assert(before[k] == nil, ("%s: the lesson assigns %q, which hides nnlab's %s"):format(path,
                tostring(k), type(before[k])))
        end
    end
    print(("ok   %s at the prompt: %d pages, %d jobs"):format(path:match("[^/]+$"), pages, #jobs))
    jobs = {}
end

-- The live views and the playground at the prompt, made from a fresh set of globals.
local function run_views()
    local before = global_names()
    repl.interactive = true
    local nn, data, plot = _G.nn, _G.data, _G.plot
    nn.seed(3)
    local train = data.circle{n = 60, noise = 0.1}
    local m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
    local run = m:fit{train, loss = nn.bce, optimizer = optim.adam(m, {lr = 0.05}), epochs = 3,
                      batch = 10, verbose = false}
    local d = plot.decision(m, train, {run = run})
    d:add_point(0.1, 0.2, 1)
    plot.network(m, {features = {"x1", "x2"}})
    plot.loss(run)
    local pg = _G.playground{n = 40, epochs = 2}
    pg.hidden = {3}
    repl._jobs_step(0.05)
    repl.interactive = false
    for _, job in ipairs(jobs) do job:stop() end
    jobs = {}
    same_globals(before, "the views and the playground")
    print("ok   the views and the playground leave the globals as they were")
end

local only = ...
for _, L in ipairs(lesson.list(dir)) do
    assert(not L.error, L.error)
    if not only or L.name:find(only, 1, true) then run_lesson(L.file) end
end
if not only then run_views() end
print("test_lessons_prompt: ok")
