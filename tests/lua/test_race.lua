-- test_race.lua: optimizer races without a window: the racers are the engine's
-- optimizers, a race is deterministic for one seed (noise included), a racer that
-- diverges or errors stops alone, the step view's numbers are the optimizer's state,
-- typed surfaces race like the built-in ones, rewinds and mid-race changes.
local race = require "race"
local C = require "nn.race"

local function same_paths(a, b, what)
    assert(#a.x == #b.x, what .. ": path lengths differ")
    for t = 1, #a.x do
        if a.x[t] ~= b.x[t] or a.y[t] ~= b.y[t] then
            error(("%s: step %d differs: (%.9g, %.9g) and (%.9g, %.9g)"):format(what, t - 1,
                a.x[t], a.y[t], b.x[t], b.y[t]), 2)
        end
    end
end

local ALL = {"gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam",
             "nadam", "rprop"}

-- the racers step exactly as the engine's optimizer does on the surface's gradient
do
    local r = race.new{surface = "rosenbrock", optimizers = ALL, steps = 200}
    r:advance()
    assert(r.k == 200 and r.shown == 200)
    for i, kind in ipairs(ALL) do
        local racer = r.racers[i]
        local s = C.surface("rosenbrock")
        local o = C.optimizer(kind, racer.start[1], racer.start[2], racer.opt:hparams())
        local x, y = o:position()
        for t = 1, 200 do
            local _, gx, gy = s:eval(x, y)
            x, y = o:step(gx, gy)
            assert(x == racer.x[t + 1] and y == racer.y[t + 1],
                ("%s differs from the engine's optimizer at step %d"):format(kind, t))
        end
        assert(not racer.stopped, kind .. " must not stop on rosenbrock: " .. tostring(racer.message))
    end
end

-- one seed, one race: noise included; another seed, another race
do
    local opts = {surface = "saddle", optimizers = {"sgd", "momentum", {"adam", lr = 0.05}},
                  steps = 150, noise = 0.3, seed = 11}
    local a = race.new(opts):advance()
    C.normals(17) -- other users of the engine's generator in between change nothing
    local b = race.new(opts):advance()
    for i = 1, 3 do same_paths(a.racers[i], b.racers[i], "same seed, racer " .. i) end
    opts.seed = 12
    local c = race.new(opts):advance()
    assert(c.racers[1].x[5] ~= a.racers[1].x[5], "another seed must give other noise")
    -- the noise is sigma times the engine's normal draws for this seed, in order
    -- (step, racer, coordinate)
    local z = C.normals(6, 11)
    local clean = race.new{surface = "saddle", optimizers = {"sgd", "momentum", {"adam", lr = 0.05}},
                           steps = 1}
    for i = 1, 3 do
        local gx = clean.racers[i].gx[1]
        local want = gx + 0.3 * z[2 * i - 1]
        assert(math.abs(a.racers[i].gx[1] - want) < 1e-12,
            ("racer %d: noisy gradient %.17g, expected %.17g"):format(i, a.racers[i].gx[1], want))
    end
end

-- noise per racer: plain GD without it beside SGD with it (either way round)
do
    local a = race.new{surface = "bowl", noise = 0.5, seed = 3, steps = 20,
                       optimizers = {{"gd", noise = 0}, "sgd"}}:advance()
    local b = race.new{surface = "bowl", seed = 3, steps = 20,
                       optimizers = {"gd", {"sgd", noise = 0.5}}}:advance()
    local clean = race.new{surface = "bowl", steps = 20, optimizers = {"gd", "sgd"}}:advance()
    same_paths(a.racers[1], clean.racers[1], "gd with noise = 0 is exact")
    same_paths(a.racers[2], b.racers[2], "sgd's noise is the same either way")
    assert(a.racers[2].x[10] ~= clean.racers[2].x[10], "sgd is noisy")
    local ok, err = pcall(race.new, {optimizers = {{"sgd", noise = -1}}})
    assert(not ok and err:find("noise must be a number >= 0"), err)
end

-- a diverging racer stops alone, with a message; the others go on
do
    local r = race.new{surface = "bowl", optimizers = {{"gd", lr = 1.5}, "adam", "momentum"},
                       steps = 400}
    r:advance()
    local gd, adam = r.racers[1], r.racers[2]
    assert(gd.stopped and gd.message:find("^diverged at step %d+"), tostring(gd.message))
    assert(gd:last() == gd.stopped and gd:last() < 400)
    assert(not adam.stopped and adam:last() == 400)
    local rows = r:results()
    assert(rows[1].diverged == true and rows[2].diverged == false)
    assert(rows[2].reached and rows[2].global, "adam reaches the bowl's minimum")
    assert(r:table():find("diverged"))
    -- NaN of the engine: a rate that overflows the float parameter
    local r2 = race.new{surface = "rosenbrock", optimizers = {{"gd", lr = 0.5}, "adam"}, steps = 50}
    r2:advance()
    assert(r2.racers[1].stopped and not r2.racers[2].stopped)
end

-- a typed function that errors or returns NaN stops only the racer that got there
do
    local f = function(x, y)
        if x > 0.5 then error("boom at x = " .. tostring(x)) end
        return x * x + y * y
    end
    local r = race.new{f = f, optimizers = {{"gd", lr = 0.9}, {"gd", lr = 0.1}}, start = {-1, 0},
                       steps = 50}
    r:advance()
    local a, b = r.racers[1], r.racers[2]
    assert(a.stopped == 1 and a.message:find("error at step 1") and a.message:find("boom"),
        tostring(a.message))
    assert(not b.stopped and b:last() == 50)
    local r2 = race.new{f = "sqrt(x) + y^2", box = {-1, 1, -1, 1},
                        optimizers = {{"gd", lr = 0.5}, {"gd", lr = 0.001}}, start = {0.2, 0.5},
                        steps = 30}
    r2:advance()
    assert(r2.racers[1].stopped and r2.racers[1].message:find("diverged"), tostring(r2.racers[1].message))
    assert(not r2.racers[2].stopped)
end

-- the step view's numbers are the optimizer's own state and effective rates
do
    local kinds = {"momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "nadam", "rprop"}
    local r = race.new{surface = "beale", optimizers = kinds, steps = 37, noise = 0.1, seed = 5}
    r:advance()
    for _, kind in ipairs(kinds) do
        local info = r:step_info(kind)
        local racer = r.racers[kind]
        local state = racer.opt:state()
        local n = 0
        for name, v in pairs(state) do
            n = n + 1
            assert(info.state[name], kind .. ": step view lacks state " .. name)
            assert(info.state[name][1] == v[1] and info.state[name][2] == v[2],
                ("%s: step view %s = (%g, %g), optimizer (%g, %g)"):format(kind, name,
                    info.state[name][1], info.state[name][2], v[1], v[2]))
        end
        assert(n > 0)
        local ex, ey = racer.opt:effective_lr()
        assert(info.effective_lr[1] == ex and info.effective_lr[2] == ey, kind .. ": effective lr")
        assert(info.step_vec[1] == racer.x[38] - racer.x[37])
        assert(info.grad[1] == racer.gx[37] and info.grad[2] == racer.gy[37])
        if kind == "momentum" then -- v is the step itself, up to float rounding of p + v
            assert(math.abs(info.velocity[1] - info.step_vec[1]) <= 1e-6 * (1 + math.abs(racer.x[38])))
        end
    end
    -- an earlier step: the state as it was then (from the record)
    local racer = r.racers.adagrad
    local early = r:step_info("adagrad", 1)
    local g1, g2 = racer.gx[1], racer.gy[1]
    assert(math.abs(early.state.sum_sq[1] - g1 * g1) <= 1e-6 * g1 * g1, "adagrad's sum after step 1")
    assert(math.abs(early.state.sum_sq[2] - g2 * g2) <= 1e-6 * g2 * g2)
end

-- a typed surface races like the built-in one (dual gradients against C's)
do
    local opts = {optimizers = {"gd", "momentum", {"adam", lr = 0.02}}, steps = 200,
                  start = {-1.2, 1}, box = {-2, 2, -1, 3}}
    opts.surface = "rosenbrock"
    local a = race.new(opts):advance()
    opts.surface = nil
    opts.f = "(1-x)^2 + 100(y-x^2)^2"
    local b = race.new(opts):advance()
    opts.f = function(x, y) return (1 - x)^2 + 100 * (y - x^2)^2 end
    local c = race.new(opts):advance()
    for i = 1, 3 do
        for t = 1, 201 do
            for _, other in ipairs{b, c} do
                local d = math.abs(a.racers[i].x[t] - other.racers[i].x[t])
                    + math.abs(a.racers[i].y[t] - other.racers[i].y[t])
                assert(d <= 1e-5, ("typed rosenbrock, racer %d step %d: off by %g"):format(i, t - 1, d))
            end
        end
    end
    -- the typed surface's minimum was found from its Hessian
    assert(#b.surface.minima == 1 and math.abs(b.surface.minima[1][1] - 1) < 1e-9)
end

-- typed minima: Himmelblau's four, all global, value 0
do
    local minima, minval, nglobal = race.find_minima(function(x, y)
        return (x^2 + y - 11)^2 + (x + y^2 - 7)^2
    end, {-5, 5, -5, 5})
    assert(#minima == 4 and nglobal == 4, ("found %d minima"):format(#minima))
    for i = 1, 4 do assert(math.abs(minval[i]) < 1e-20) end
    local found = false
    for _, m in ipairs(minima) do
        if math.abs(m[1] + 2.805118086952745) < 1e-9 and math.abs(m[2] - 3.131312518250573) < 1e-9 then
            found = true
        end
    end
    assert(found, "(-2.805118, 3.131312) must be among them")
end

-- rewinding shows recorded steps; a change of hyper-parameters after a rewind cuts
-- that racer's future and recomputes it; the others keep theirs
do
    local r = race.new{surface = "valley", optimizers = {"gd", "momentum", "adam"}, steps = 100}
    r:advance()
    local before = {}
    for i = 1, 3 do before[i] = {x = {table.unpack(r.racers[i].x)}, y = {table.unpack(r.racers[i].y)}} end
    r:seek(40)
    assert(r.shown == 40 and r.k == 100)
    r:seek(100)
    for i = 1, 3 do same_paths(r.racers[i], before[i], "replay after rewind") end
    r:seek(40)
    r:set("momentum", {lr = 0.001, momentum = 0.5})
    local m = r.racers.momentum
    assert(m.opt.lr > 0.00099 and m.opt.lr < 0.00101)
    assert(m:last() == 100, "the changed racer is recomputed up to the computed step")
    for t = 1, 41 do assert(m.x[t] == before[2].x[t]) end
    assert(m.x[60] ~= before[2].x[60], "the future after the change differs")
    same_paths(r.racers.gd, before[1], "gd untouched")
    same_paths(r.racers.adam, before[3], "adam untouched")
    -- the recomputed future is what a fresh optimizer with the change at 40 gives
    local s = C.surface("valley")
    local o = C.optimizer("momentum", m.start[1], m.start[2], {lr = before.lr or r.racers.momentum.opt.lr})
    o:restore(m.snap[41])
    o:set_position(m.x[41], m.y[41])
    o.lr, o.momentum = 0.001, 0.5
    local x, y = m.x[41], m.y[41]
    for t = 41, 100 do
        local _, gx, gy = s:eval(x, y)
        x, y = o:step(gx, gy)
        assert(x == m.x[t + 1] and y == m.y[t + 1], "recomputed step " .. t)
    end
end

-- errors name the culprit
do
    local bad = {
        {{surface = "rosenbrok"}, "no surface called 'rosenbrok'"},
        {{optimizers = {"adamm"}}, "no optimizer called 'adamm'"},
        {{optimizers = {{"adam", lrr = 1}}}, "no hyper-parameter 'lrr'"},
        {{speeed = 2}, "unknown option 'speeed'"},
        {{start = {1}}, "start must be a point"},
        {{steps = 0}, "steps must be a whole number >= 1"},
        {{f = "x^2 + foo"}, "unknown name 'foo'"},
        {{surface = "bowl", f = "x"}, "give surface or f, not both"},
        {{surface = "bowl", kappa = 3}, "bowl: has no parameter"},
        {{surface = "valley", kappa = 0.5}, "kappa = 0.5"},
        {{optimizers = {"gd", "adam"}, start = {{0, 0}}}, "1 starts for 2 optimizers"},
        {{noise = -1}, "noise must be a number >= 0"},
    }
    for _, b in ipairs(bad) do
        local ok, err = pcall(race.new, b[1])
        assert(not ok, "must be refused: " .. b[2])
        assert(tostring(err):find(b[2], 1, true), ("message %q lacks %q"):format(tostring(err), b[2]))
    end
    local r = race.new{steps = 3}
    local ok, err = pcall(r.set, r, "adamax", {lr = 1})
    assert(not ok and err:find("no racer 'adamax'"), err)
end

-- the valley's condition number reaches the surface
do
    local r = race.new{surface = "valley", kappa = 50, optimizers = {"gd"}, steps = 1}
    local _, _, _, hxx, _, hyy = r.surface.hessian(0.3, 0.2)
    assert(hxx == 1 and hyy == 50)
end

print("test_race: ok")
