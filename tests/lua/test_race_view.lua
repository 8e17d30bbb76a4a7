-- test_race_view.lua: the race's window, drawn offscreen (no display needed): the
-- panels follow the shown step, rewinding redraws, the curvature view's arrows are the
-- Hessian's eigenvectors scaled by eigenvalue, the step view's arrows are the recorded
-- update, and export writes numbered PNG frames.
local race = require "race"

local dir = os.getenv("TMPDIR") or "/tmp"
local prefix = ("%s/nnlab-race-test-%d"):format(dir, os.time())

local function exists(path)
    local f = io.open(path, "rb")
    if not f then return false end
    local head = f:read(8)
    f:close()
    return head == "\137PNG\r\n\26\n"
end

local r = race{surface = "saddle", optimizers = {"gd", "momentum", {"adam", lr = 0.05}},
               steps = 60, show = false}
assert(r.view == nil, "show = false opens nothing")

-- controls work without a display; each moves the shown step
r:forward(5)
assert(r.shown == 5 and r.view, "forward computes and shows")
r:back(2)
assert(r.shown == 3)
r:rewind()
assert(r.shown == 0)
r:rewind(30)
assert(r.shown == 30 and r.k == 30)
assert(r:speed() > 0)
r:speed(120)
assert(r:speed() == 120)
local ok = pcall(r.speed, r, -1)
assert(not ok, "a negative speed is refused")

-- the trajectories drawn are the recorded paths up to the shown step
local v = r.view
for i, racer in ipairs(r.racers) do
    assert(v.drawn[i] == math.min(31, racer:last() + 1),
        ("racer %d: %s points drawn at step 30"):format(i, tostring(v.drawn[i])))
end
r:rewind(10) -- back: redrawn from the start
for i in ipairs(r.racers) do assert(v.drawn[i] == 11) end

-- the curvature view at a point of the saddle: eigenvalues 2 and -2 along the axes,
-- arrows a tenth of the view long (the larger |eigenvalue|), the negative one both ways
local l1, l2, v1x, v1y, v2x, v2y = r:curvature(0.3, -0.2)
assert(l1 == 2 and l2 == -2)
assert(math.abs(math.abs(v1x) - 1) < 1e-12 and math.abs(v1y) < 1e-12)
assert(math.abs(v2x) < 1e-12 and math.abs(math.abs(v2y) - 1) < 1e-12)
local a1, a2 = v.curv[1], v.curv[2]
assert(a1.name:find("lambda = 2") and a2.name:find("curves down"))
assert(math.abs(a1.x[2] - 0.3 - 0.4 * v1x) < 1e-12, "arrow tip at 0.1 * view width * lambda/max")
assert(#a2.x == 2 * #a1.x, "the escape direction is drawn both ways")
-- on the valley the arrows follow kappa: lambda 1 and 50
local rv = race{surface = "valley", kappa = 50, optimizers = {"gd"}, steps = 5, show = false}
local k1, k2 = rv:curvature(1, 1)
assert(k1 == 50 and k2 == 1)
local long = math.abs(rv.view.curv[1].y[2] - 1)
local short = math.abs(rv.view.curv[2].x[2] - 1)
assert(math.abs(long / short - 50) < 1e-9, "arrow lengths are proportional to the eigenvalues")

-- the step view draws the recorded update: the step arrow ends where the racer went
r:rewind(20)
r:focus("momentum")
local info = r:step_info("momentum", 20)
local m = r.racers.momentum
local k = math.min(20, m:last()) -- it may have left the view earlier: its last step then
assert(info.step == k and info.to[1] == m.x[k + 1] and info.to[2] == m.y[k + 1])
assert(info.velocity and info.state.velocity)

-- a PNG of the window, and numbered frames
assert(pcall(r.save, r, prefix .. "-window.png"))
assert(exists(prefix .. "-window.png"), "window PNG written")
local n = r:export(prefix, 20)
assert(n == 4, ("export every 20 of 60 steps writes 4 frames, wrote %d"):format(n))
for i = 0, 3 do
    local path = ("%s-%06d.png"):format(prefix, i)
    assert(exists(path), path .. " missing")
    os.remove(path)
end
os.remove(prefix .. "-window.png")
assert(r.shown == 20, "export puts the shown step back")

-- keys: ] doubles the step view's racer's learning rate from the shown step on
do
    local rk = race{surface = "bowl", steps = 30, optimizers = {"gd", "adam"}, show = false}
    rk:forward(30)
    local before = {table.unpack(rk.racers.gd.x)}
    local lr = rk.racers.gd.opt.lr
    rk:rewind(10)
    rk.view:key("]")
    assert(math.abs(rk.racers.gd.opt.lr - 2 * lr) < 1e-7, "] doubles lr")
    assert(rk.racers.gd.x[11] == before[11] and rk.racers.gd.x[20] ~= before[20],
        "the path changes after the shown step only")
    rk.view:key("n")
    assert(rk.view.focus == 2)
    rk.view:key("[")
    assert(math.abs(rk.racers.adam.opt.lr - 0.02) < 1e-7, "[ halves adam's lr (0.04 by default)")
end

-- one race window at a time: the next race{} closes the last one's, unless keep = true
do
    local plot = require "plot"
    if plot.display() then
        local a = race{surface = "bowl", steps = 5, optimizers = {"gd"}}
        assert(a.view.window:is_open())
        local b = race{surface = "bowl", steps = 5, optimizers = {"gd"}}
        assert(not a.view.window:is_open() and b.view.window:is_open(), "a closed, b open")
        local c = race{surface = "bowl", steps = 5, optimizers = {"gd"}, keep = true}
        assert(b.view.window:is_open() and c.view.window:is_open(), "keep = true keeps b")
        c:close()
        b:close()
        assert(not c.view.window:is_open())
    end
end

-- the animation is a job: played to the end it stops; a pause ends it where it is
do
    local rj = race{surface = "bowl", steps = 80, optimizers = {"gd", "adam"}, show = false}
    rj:show{play = false}
    rj:speed(4000)
    local job = rj:play()
    assert(rj.shown == 0, "play starts from the start when the race was at its end")
    wait(job)
    assert(job.state == "done" and rj.shown == 80 and not rj.view.playing)
    rj:rewind(10)
    local j2 = rj:play()
    rj:pause()
    wait(j2)
    assert(rj.shown == 10, "paused at once: still at step 10")
end

-- r:seek and r:advance redraw an open view: the table, the step view and the paths
-- follow (r:seek(150) then r:save showed "step 300 of 300" and a stale step view)
do
    local rs = race{surface = "bowl", steps = 300, optimizers = {"gd", "adam"}, show = false}
    rs:forward(300)
    local v = rs.view
    assert(v.table_text:find("^step 300 of 300"), v.table_text)
    rs:seek(150)
    assert(v.table_text:find("^step 150 of 300"), "seek redraws the table: " .. v.table_text)
    assert(v.step_title == "step view: gd, step 149 -> 150", v.step_title)
    assert(v.drawn_k == 150, "seek redraws the paths")
    rs:rewind(0)
    rs:advance(20)
    assert(v.table_text:find("^step 20 of 300"), "advance redraws the table: " .. v.table_text)
    assert(v.step_title == "step view: gd, step 19 -> 20", v.step_title)
    v.playing = true -- as while the animation plays, when the table follows every 4th frame
    rs:seek(40)
    assert(not v.playing and v.table_text:find("^step 40 of 300 %(paused%)"),
        "a seek typed at the prompt stops the animation and redraws: " .. v.table_text)
    local ok, err = pcall(rs.seek, rs, "end")
    assert(not ok and err:find("expected a step number, got end"), err)
end

-- exported frames show the race, not the player's state: no "(paused)" in them
do
    local rx = race{surface = "bowl", steps = 20, optimizers = {"gd"}, show = false}
    rx:forward(20)
    local v = rx.view
    assert(v.table_text:find("(paused)", 1, true), "a stopped player says paused in its window")
    local heads = {}
    v.seek = function(self, k) -- each frame's table, as export draws it
        getmetatable(self).__index.seek(self, k)
        heads[#heads + 1] = self.table_text:match("^[^\n]*")
    end
    local dir = os.tmpname()
    rx:export(dir .. "-frame", 10)
    heads[#heads] = nil -- the last seek puts the shown step back after the frames
    v.seek = nil
    for i = 0, 2 do os.remove(("%s-frame-%06d.png"):format(dir, i)) end
    os.remove(dir)
    assert(#heads == 3, "three frames, got " .. #heads)
    for _, h in ipairs(heads) do assert(not h:find("paused", 1, true), "an exported frame says: " .. h) end
    assert(v.table_text:find("(paused)", 1, true), "after the export the window says paused again")
end

-- the valley's title shows its condition number
do
    local rk = race{surface = "valley", kappa = 30, steps = 5, optimizers = {"gd"}, show = false}
    rk:forward(1)
    assert(rk.view.title:find("kappa = 30", 1, true), rk.view.title)
end

-- at the prompt race{} plays from step 0 as a job; what the lesson reads meanwhile is
-- computed when asked (step_info crashed: the step had no snapshot yet), and r:wait()
-- returns with the race at its last step and the view redrawn there
do
    local repl = require "repl"
    repl.interactive = true
    local rp = race{surface = "bowl", steps = 150, optimizers = {"gd", "adadelta"}, speed = 3000}
    local playing = rp.view.job ~= nil
    if playing then assert(rp.shown == 0 and rp.k == 0, "the race starts at step 0") end
    local s = rp:step_info("adadelta", 1)
    assert(s.step == 1 and s.to[1] == rp.racers.adadelta.x[2], "step 1 computed when asked")
    assert(math.abs(math.abs(s.step_vec[1]) - math.sqrt(10 * 1e-6)) < 1e-5, "adadelta's first step")
    local s5 = rp:step_info("adadelta", 5)
    assert(s5.step == 5 and rp.k >= 5)
    if playing then assert(rp.shown == 0, "reading a step does not move the view") end
    assert(rp:step_info("gd").step >= 1, "the shown step, or the first at the start")
    rp:wait()
    assert(rp.shown == 150 and not rp.view.playing, "wait: the race at its last step")
    assert(rp.view.table_text:find("^step 150 of 150"), rp.view.table_text)
    assert(rp:table():find("gd%s+%d+"), "the final table: gd has reached the minimum")
    repl.interactive = false
    rp:close()
    -- race.new computes nothing until asked: step_info computes the step
    local rn = race.new{surface = "bowl", steps = 10, optimizers = {"adam"}}
    assert(rn:step_info("adam", 7).step == 7 and rn.k == 7)
    local ok, err = pcall(rn.step_info, rn, "adam", 1.5)
    assert(not ok and err:find("whole number"), err)
end

-- a typed surface with noise draws too, and its minima come from the dual Hessian
local rt = race{f = "x^2 + 3*y^2 + 0.1*sin(5*x)", box = {-2, 2, -2, 2}, noise = 0.2, seed = 4,
                optimizers = {"rmsprop", "adagrad"}, steps = 40, show = false}
rt:forward(40)
assert(rt.shown == 40 and #rt.surface.minima >= 1)

print("test_race_view: ok")
