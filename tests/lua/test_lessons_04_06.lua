-- test_lessons_04_06.lua: lessons 04-06 as nnlab --check runs them (every wrong answer
-- refused with a message, every reference solution accepted), each task with at
-- least two wrong answers, and the numbers their text gives asserted on the runs
-- they come from. Lesson 06's race claims that test_race_lesson.lua already asserts
-- are not repeated here.
local lesson = require "lesson"
local race = require "race"
local lib = require "lessonlib_04_06"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local dir = here .. "/../../lessons/"

local function check(cond, fmt, ...)
    if not cond then error(fmt:format(...), 2) end
end
local function near(a, b, tol, what)
    check(type(a) == "number" and math.abs(a - b) <= tol, "%s: %s, the text says %g (±%g)", what,
        tostring(a), b, tol)
end

-- Runs a lesson headless; returns its environment.
local function run(name)
    local L = lesson.load(dir .. name .. ".lua")
    for _, s in ipairs(L.steps) do
        if s.kind == "task" then
            check(#s.wrong >= 2, "%s:%d: a task with %d wrong answers; each needs at least two",
                name, s.line, #s.wrong)
        end
    end
    local env = setmetatable({print = function() end}, {__index = _G})
    local failure = lesson._check_steps(L, env, {})
    check(failure == nil, "%s fails: %s", name, tostring(failure))
    return env, L
end

-- A task's check against one answer typed into a fresh layer over env.
local function check_answer(L, env, line, code)
    for _, s in ipairs(L.steps) do
        if s.kind == "task" and s.line == line then
            local layer = setmetatable({}, {__index = env})
            assert(load(code, "=answer", "t", layer))()
            return s.check(layer)
        end
    end
    error("no task at line " .. line)
end
local function task_line(L, prompt_part)
    for _, s in ipairs(L.steps) do
        if s.kind == "task" and s.prompt:find(prompt_part, 1, true) then return s.line end
    end
    error("no task " .. prompt_part)
end

---------------------------------------------------------------------------------
-- lesson 04
---------------------------------------------------------------------------------
do
    local env, L = run("04_losses")
    -- RMSE: prices off by 10, 10 and 40 thousand
    local p, a = {250, 310, 180}, {240, 300, 220}
    near(env.mse(p, a), 600, 1e-9, "MSE")
    near(env.rmse(p, a), 24.5, 0.05, "RMSE")
    near(env.mae(p, a), 20, 1e-9, "MAE")
    -- the outlier: least MSE at the mean 22, least MAE at the median 3
    near(env.outlier.c_mse, 22, 1e-9, "least MSE")
    near(env.outlier.c_mae, 3, 1e-9, "least MAE")
    -- -log p at 0.9, 0.5, 0.1
    near(env.bce(0.9, 1), 0.105, 0.0005, "bce(0.9, 1)")
    near(env.bce(0.5, 1), 0.693, 0.0005, "bce(0.5, 1)")
    near(env.bce(0.1, 1), 2.303, 0.0005, "bce(0.1, 1)")
    near(env.entropy{0.99, 0.01}, 0.08, 0.001, "the 99% coin")
    -- B(0.25) and the split's gain
    near(env.B(0.25), 0.811, 0.0005, "B(0.25)")
    near(env.B(0.5) - (4 / 12 * env.B(1) + 8 / 12 * env.B(0.25)), 0.459, 0.0005, "information gain")
    -- the hinge is zero beyond a margin of 1, and both losses are 1 bit at 0
    check(math.log(1 + math.exp(0), 2) == 1, "log loss at margin 0")
    -- the constant mae that passed before this check was strengthened is refused
    local line = task_line(L, "Write `mse(y, t)`")
    local ok, msg = check_answer(L, env, line, [[
function mse(y, t) local s = 0; for i = 1, #y do s = s + (y[i] - t[i])^2 end; return s / #y end
function mae(y, t) return 1.375 end]])
    check(not ok and msg:find("compute it from y and t", 1, true), "mae constant: %s", tostring(msg))
end

---------------------------------------------------------------------------------
-- lesson 05
---------------------------------------------------------------------------------
do
    local env, L = run("05_gradient_descent")
    local pts = env.points
    -- the least-squares line's loss: the noise floor
    local n, sx, sy, sxx, sxy = #pts, 0, 0, 0, 0
    for _, q in ipairs(pts) do sx, sy, sxx, sxy = sx + q.x, sy + q.y, sxx + q.x ^ 2, sxy + q.x * q.y end
    local w = (n * sxy - sx * sy) / (n * sxx - sx ^ 2)
    local floor = lib.full_loss(pts, w, (sy - w * sx) / n)
    near(floor, 0.0126, 0.00005, "the noise floor")
    local c = env.curves
    near(c["batch (256)"][20], 0.81, 0.005, "batch GD after 20 epochs")
    check(c["mini-batch (32)"][20] < 0.0130 and c["stochastic (1)"][20] < 0.0150,
        "mini-batch and SGD at the floor")
    check(#env.paths["batch (256)"] == 21 and #env.paths["mini-batch (32)"] == 161
        and #env.paths["stochastic (1)"] == 5121, "20, 160 and 5120 steps")
    local function loss_at(name, k)
        local wb = env.paths[name][k + 1]
        return lib.full_loss(pts, wb[1], wb[2])
    end
    near(loss_at("stochastic (1)", 20), 0.71, 0.005, "SGD after 20 steps")
    near(loss_at("batch (256)", 20), 0.81, 0.005, "batch GD after 20 steps")
    local lo, hi = math.huge, 0
    for k = 5120 - 255, 5120 do
        local l = loss_at("stochastic (1)", k)
        lo, hi = math.min(lo, l), math.max(hi, l)
    end
    near(lo, 0.0126, 0.00005, "SGD's least loss over its last epoch")
    near(hi, 0.0186, 0.00005, "SGD's largest loss over its last epoch")
    -- the batch-8 check's band: batch 8 falls in it, batch 32 and SGD do not
    local b8lo, b8hi = math.huge, 0
    for seed = 1, 20 do
        local c8 = lib.reference_curve(pts, 8, 0.05, 1, seed)[1]
        b8lo, b8hi = math.min(b8lo, c8), math.max(b8hi, c8)
        check(lib.reference_curve(pts, 32, 0.05, 1, seed)[1] > 0.55, "batch 32 outside the band")
        check(lib.reference_curve(pts, 1, 0.05, 1, seed)[1] < 0.25, "SGD outside the band")
    end
    check(b8lo >= 0.355 and b8hi <= 0.385, "batch 8 after one epoch: %g to %g, the check says 0.36 to 0.38",
        b8lo, b8hi)
    local mine = c["mini-batch (8)"][1]
    check(mine >= 0.36 and mine <= 0.39, "the lesson's own batch-8 run: %g", mine)
    -- the copied curve that passed before the check was strengthened is refused
    local ok, msg = check_answer(L, env, task_line(L, "mini-batch (8)"),
        [[curves["mini-batch (8)"] = curves["mini-batch (32)"] ]])
    check(not ok and msg:find("copied", 1, true), "copied curve: %s", tostring(msg))
end

---------------------------------------------------------------------------------
-- lesson 06
---------------------------------------------------------------------------------
do
    local env, L = run("06_optimizers")
    -- eps is 1% of the view's width
    local eps = {bowl = 0.04, rosenbrock = 0.04, saddle = 0.04, monkey = 0.04, bumpy = 0.06,
                 valley = 0.08, beale = 0.09, plateau = 0.1, himmelblau = 0.1}
    for s, e in pairs(eps) do
        near(race.new{surface = s, steps = 1, optimizers = {"gd"}}.eps, e, 1e-9, s .. "'s eps")
    end

    -- the valley (kappa = 100): GD's limit 0.02, momentum's 2(1 + mu)/lambda = 0.038,
    -- Nesterov's 2(1 + mu)/((1 + 2 mu) lambda) = 0.0136
    near(2 * (1 + 0.9) / 100, 0.038, 1e-12, "momentum's limit")
    near(2 * (1 + 0.9) / ((1 + 2 * 0.9) * 100), 0.0136, 0.00005, "Nesterov's limit")
    local function valley(kind, lr)
        local r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{kind, lr = lr}}}
        r:advance()
        return r:reached(r.racers[1]), r.racers[1].message
    end
    check(valley("gd", 0.018) == 209 and not valley("gd", 0.02), "GD: 209 steps at 0.018, none at 0.02")
    for _, lr in ipairs{0.002, 0.005, 0.01, 0.02, 0.03, 0.035} do
        check(valley("momentum", lr), "momentum arrives at lr %g", lr)
    end
    check(valley("momentum", 0.005) == 44 and valley("momentum", 0.02) == 14, "momentum: 44 and 14 steps")
    local t37, m37 = valley("momentum", 0.037)
    check(not t37 and m37 and m37:find("left the view"), "momentum at 0.037 leaves the view")
    check(not valley("momentum", 0.001), "momentum at 0.001 is still on its way")
    check(valley("nesterov", 0.0135) == 217, "Nesterov at 0.0135: 217 steps")
    local t14, m14 = valley("nesterov", 0.014)
    check(not t14 and m14 and m14:find("^diverged"), "Nesterov at 0.014 diverges")

    -- Adagrad on the default valley (kappa = 10): its rate for x and its arrival
    do
        local r = race.new{surface = "valley", steps = 400, optimizers = {"adagrad", "rmsprop", "adam"}}
        local _, _, _, _, _, kappa = r.surface.hessian(0, 0)
        check(kappa == 10, "the Adagrad race's valley has kappa %g", kappa)
        local function rate(k) return r:step_info("adagrad", k).effective_lr[1] end
        near(rate(1), 0.057, 0.0005, "adagrad's rate at step 1")
        near(rate(10), 0.021, 0.0005, "adagrad's rate at step 10")
        near(rate(100), 0.0118, 0.00005, "adagrad's rate at step 100")
        near(rate(400), 0.0113, 0.00005, "adagrad's rate at step 400")
        near(rate(1) / rate(400), 5, 0.1, "five times slower")
        r:advance()
        check(r:reached(r.racers.adagrad) == 295, "adagrad arrives at 295")
        near(r.racers.adagrad.opt.lr, 0.2, 1e-6, "adagrad's eta")
        near(r.racers.adam.opt.lr, 0.08, 1e-6, "adam's eta")
    end

    -- Rosenbrock: the racers that reach stay within eps; Nadam's f climbs within it
    local rosen = env.rosen
    for _, racer in ipairs(rosen.racers) do
        if rosen:reached(racer) then
            check(rosen:left_eps(racer) == nil, "rosenbrock: %s leaves eps again", racer.label)
        end
    end
    local nadam = rosen.racers.nadam
    local low, at_low, far, peaks = 1, 0, 0, {}
    for k = 968, rosen.steps do
        local f = nadam.f[k + 1]
        if f < low then low, at_low = f, k end
        far = math.max(far, math.sqrt((nadam.x[k + 1] - 1) ^ 2 + (nadam.y[k + 1] - 1) ^ 2))
        if k < rosen.steps and f > 0.05 and f >= nadam.f[k] and f >= nadam.f[k + 2] then
            peaks[#peaks + 1] = k
            near(f, 0.3, 0.05, "nadam's spike at step " .. k)
            near(math.sqrt((nadam.x[k + 1] - 1) ^ 2 + (nadam.y[k + 1] - 1) ^ 2), 0.024, 0.0015,
                "nadam's distance at its spike at step " .. k)
        end
    end
    near(far, 0.0398, 0.00005, "nadam's furthest from (1, 1) after step 968")
    near(low, 2e-7, 0.2e-7, "nadam's least f")
    check(at_low == 1465, "nadam's least f at step %d", at_low)
    check(table.concat(peaks, ",") == "1522,1750,1986", "nadam's spikes at %s", table.concat(peaks, ","))

    -- the bowl: SGD reaches eps at 34 and leaves it at 35; the table says so
    local bowl = env.bowl
    check(bowl:reached(bowl.racers.sgd) == 34 and bowl:left_eps(bowl.racers.sgd) == 35,
        "bowl: sgd reached %s, left %s", tostring(bowl:reached(bowl.racers.sgd)),
        tostring(bowl:left_eps(bowl.racers.sgd)))
    check(bowl:table():find("sgd%s+34.-left eps at 35"), "bowl's table: %s", bowl:table())

    -- left_eps is what a plain scan of the record finds, also after a racer's future
    -- was cut (a rewind and a change of its rate)
    local function scan(r, racer)
        local t, m = r:reached(racer)
        if not t then return nil end
        for k = t + 1, racer:last() do
            local dx, dy = racer.x[k + 1] - m[1], racer.y[k + 1] - m[2]
            if dx * dx + dy * dy > r.eps * r.eps then return k end
        end
        return nil
    end
    for _, name in ipairs{"bowl", "valley", "plateau", "bumpy", "himmel"} do
        local r = env[name]
        for _, racer in ipairs(r.racers) do
            check(r:left_eps(racer) == scan(r, racer), "%s: %s left_eps %s, a scan finds %s", name,
                racer.label, tostring(r:left_eps(racer)), tostring(scan(r, racer)))
        end
    end
    do
        local r = race.new{surface = "bowl", steps = 150, seed = 1, optimizers = {{"sgd", noise = 2}}}
        r:advance()
        local t = r:reached(r.racers[1])
        check(t == 66 and r:left_eps(r.racers[1]) == 67, "bowl sgd alone: reached and left")
        r:seek(t)
        r:set("sgd", {lr = 0.0001}) -- from step 67 on it hardly moves: it stays within eps
        r:advance()
        local left = r:left_eps(r.racers[1])
        check(left == scan(r, r.racers[1]) and left ~= 67, "after a cut: left_eps %s, a scan %s",
            tostring(left), tostring(scan(r, r.racers[1])))
    end

    -- the bumpy surface: SGD (sigma 1, seed 7) in the local minimum at 43, within eps of
    -- the global one at 187; over seeds 1-20 it ends nearer the global one in 5
    local bumpy = env.bumpy
    local sgd = bumpy.racers.sgd
    local t, _, global = bumpy:reached(sgd)
    check(t == 43 and not global, "bumpy: sgd reached %s (global %s)", tostring(t), tostring(global))
    local G = bumpy.surface.minima[1]
    local at_global
    for k = t, bumpy.steps do
        if (sgd.x[k + 1] - G[1]) ^ 2 + (sgd.y[k + 1] - G[2]) ^ 2 <= bumpy.eps ^ 2 then at_global = k break end
    end
    check(at_global == 187, "bumpy: sgd within eps of the global minimum at %s", tostring(at_global))
    local nearer = 0
    for seed = 1, 20 do
        local r = race.new{surface = "bumpy", steps = 200, seed = seed,
                           optimizers = {"gd", {"sgd", noise = 1}, "momentum", "nesterov", "adam", "rprop"}}
        r:advance()
        local s = r.racers.sgd
        local j = s:at(r.steps)
        local Lm = r.surface.minima[2]
        if (s.x[j] - G[1]) ^ 2 + (s.y[j] - G[2]) ^ 2 < (s.x[j] - Lm[1]) ^ 2 + (s.y[j] - Lm[2]) ^ 2 then
            nearer = nearer + 1
        end
    end
    check(nearer == 5, "bumpy: sgd ends nearer the global minimum in %d of 20 seeds", nearer)
    check(not bumpy:reached(bumpy.racers.gd) or not select(3, bumpy:reached(bumpy.racers.gd)),
        "bumpy: gd stays local")

    -- the saddle's Hessian at (0, 0): +2 along x, -2 along y; the monkey saddle's is 0
    do
        local l1, l2, v1x, v1y, v2x, v2y = env.saddle:curvature(0, 0)
        local along = {[math.floor(l1 + 0.5)] = {v1x, v1y}, [math.floor(l2 + 0.5)] = {v2x, v2y}}
        check(along[2] and math.abs(along[2][1]) == 1 and along[-2] and math.abs(along[-2][2]) == 1,
            "saddle: eigenvalues %g, %g", l1, l2)
        local m1, m2 = env.monkey:curvature(0, 0)
        check(m1 == 0 and m2 == 0, "monkey saddle: eigenvalues %g, %g at (0, 0)", m1, m2)
    end

    -- Adam's second step: m = 0.09 g1 + 0.1 g2, m^ = m / 0.19
    do
        local r = race.new{surface = "rosenbrock", optimizers = {{"adam", lr = 0.05}}, steps = 5}
        local s1, s2 = r:step_info("adam", 1), r:step_info("adam", 2)
        local m = 0.09 * s1.grad[1] + 0.1 * s2.grad[1]
        near(s2.state.m[1], m, 1e-4 * math.abs(m), "adam's m after step 2")
    end

    -- AdaDelta on Beale: 0.0045 long at the first step, 0.0024 at the 500th
    do
        local r = race.new{surface = "beale", steps = 500, optimizers = {"adadelta", "rmsprop", "adam"}}
        local function len(k)
            local v = r:step_info("adadelta", k).step_vec
            return math.sqrt(v[1] ^ 2 + v[2] ^ 2)
        end
        near(len(1), 0.0045, 0.00005, "adadelta's first step")
        near(len(500), 0.0024, 0.00005, "adadelta's 500th step")
    end

    -- the momentum task's messages follow what happened
    local line = task_line(L, "On the valley with κ = 100")
    local ok, msg = check_answer(L, env, line, [[
r = race.new{surface = "valley", kappa = 100, steps = 100, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.0005}}}]])
    check(not ok and msg:find("after 100 steps", 1, true) and msg:find("too small", 1, true)
        and not msg:find("smaller", 1, true), "too small a rate: %s", tostring(msg))
    ok, msg = check_answer(L, env, line, [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.04}}}]])
    check(not ok and msg:find("too large", 1, true) and msg:find("smaller", 1, true),
        "too large a rate: %s", tostring(msg))
    ok = check_answer(L, env, line, [[
r = race.new{surface = "valley", kappa = 100, steps = 300, optimizers = {{"gd", lr = 0.018}, {"momentum", lr = 0.018}}}]])
    check(ok, "momentum at GD's own rate 0.018 passes: it is inside its limit")
end

print("test_lessons_04_06: ok")
