-- test_race_lesson.lua: what lesson 06's text says about its races is what the races
-- do. The lesson runs headless with its reference solutions (as nnlab --check runs
-- it); then each claim of the text is asserted on the race it is about.
local lesson = require "lesson"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local path = here .. "/../../lessons/06_optimizers.lua"

local env = setmetatable({print = function() end}, {__index = _G})
local L = lesson.load(path)
local failure = lesson._check_steps(L, env, {})
assert(failure == nil, "lesson 06 fails: " .. tostring(failure))

local function reached(r, who) return (r:reached(r.racers[who])) end
local function value(r, who) return r.racers[who].f[r.racers[who]:at(r.shown)] end
local function check(cond, fmt, ...)
    if not cond then error(fmt:format(...), 2) end
end

-- every race the text describes is shown at its last step (the table is the final one)
for _, name in ipairs{"bowl", "valley", "rosen", "beale", "swing", "saddle", "plateau",
                      "monkey", "bumpy", "himmel"} do
    local r = env[name]
    check(type(r) == "table" and r.racers, "lesson 06 makes no race `%s`", name)
    check(r.shown == r.steps, "%s: the table was read at step %d of %d", name, r.shown, r.steps)
end

-- the races of the six surfaces hold every optimizer of the course
for _, name in ipairs{"bowl", "valley", "rosen", "beale", "saddle", "plateau"} do
    local kinds = {}
    for _, racer in ipairs(env[name].racers) do kinds[racer.kind] = true end
    for _, kind in ipairs(require("race").optimizers()) do
        check(kinds[kind], "%s: no %s racer", name, kind)
    end
end

-- the bowl: GD within eps after 12 steps; the adaptive ones between 26 and 84;
-- Adagrad (f = 0.044) and AdaDelta (f = 2.17) never within eps in 150 steps
local bowl = env.bowl
check(reached(bowl, "gd") == 12, "bowl: gd reached at %s", tostring(reached(bowl, "gd")))
for _, who in ipairs{"momentum", "nesterov"} do
    check(reached(bowl, who) <= 13, "bowl: %s as quick as GD", who)
end
check(reached(bowl, "sgd") and value(bowl, "sgd") > bowl.eps ^ 2, "bowl: SGD arrives, then jitters")
for _, who in ipairs{"adam", "adamw", "nadam", "rmsprop", "rprop"} do
    local t = reached(bowl, who)
    check(t and t >= 26 and t <= 84, "bowl: %s reached at %s, the text says 26 to 84", who, tostring(t))
end
check(not reached(bowl, "adagrad") and math.abs(value(bowl, "adagrad") - 0.044) < 0.001,
    "bowl: adagrad f = %g", value(bowl, "adagrad"))
check(not reached(bowl, "adadelta") and math.abs(value(bowl, "adadelta") - 2.17) < 0.01,
    "bowl: adadelta f = %g", value(bowl, "adadelta"))

-- the valley: GD 209, momentum and Nesterov about 45, Adagrad 57, Rprop 19
local valley = env.valley
check(reached(valley, "gd") == 209, "valley: gd %s", tostring(reached(valley, "gd")))
for _, who in ipairs{"momentum", "nesterov"} do
    check(math.abs(reached(valley, who) - 45) <= 2, "valley: %s %d", who, reached(valley, who))
end
check(reached(valley, "adagrad") == 57 and reached(valley, "rprop") == 19, "valley: adagrad, rprop")
check(not reached(valley, "sgd") and not reached(valley, "adadelta"), "valley: sgd, adadelta")
check(valley.view.title:find("kappa = 100", 1, true), "valley: the title shows kappa: %s",
    valley.view.title)

-- Rosenbrock: Nadam 968, Adam 1205, momentum 1500, Nesterov and Rprop reach; GD, SGD
-- (x about 0.72) and AdamW do not
local rosen = env.rosen
check(reached(rosen, "nadam") == 968 and reached(rosen, "adam") == 1205
    and reached(rosen, "momentum") == 1500, "rosenbrock: nadam, adam, momentum")
check(reached(rosen, "nesterov") and reached(rosen, "rprop"), "rosenbrock: nesterov, rprop")
for _, who in ipairs{"gd", "sgd", "adamw"} do check(not reached(rosen, who), "rosenbrock: %s", who) end
check(math.abs(rosen.racers.gd.x[rosen.steps + 1] - 0.72) < 0.01, "rosenbrock: gd's x")

-- Beale: Rprop 64 first, RMSProp 188; GD, SGD, Adagrad, AdaDelta not there, AdaDelta last
local beale = env.beale
check(reached(beale, "rprop") == 64 and reached(beale, "rmsprop") == 188, "beale: rprop, rmsprop")
for _, who in ipairs{"gd", "sgd", "adagrad", "adadelta"} do check(not reached(beale, who), "beale: %s", who) end
for _, who in ipairs{"momentum", "nesterov"} do
    check(reached(beale, who) >= 490 and reached(beale, who) <= 500, "beale: %s just in time", who)
end
check(math.abs(reached(beale, "nadam") - 400) <= 30 and math.abs(reached(beale, "adam") - 400) <= 30,
    "beale: nadam and adam around 400")
for _, racer in ipairs(beale.racers) do
    check(value(beale, "adadelta") >= value(beale, racer.label), "beale: adadelta is the furthest behind")
end

-- momentum overshoots: past the minimum by 1.06 (mom 0.1), 0.62 (Nesterov), 0.44
-- (mom 0.01), never for GD
local function past(racer)
    local p = 0
    for t = 1, #racer.x do
        if racer.x[t] * racer.start[1] < 0 then p = math.max(p, math.abs(racer.x[t])) end
    end
    return p
end
local sw = env.swing.racers
check(past(sw.gd) == 0, "gd never overshoots")
check(math.abs(past(sw["mom 0.1"]) - 1.06) < 0.01 and math.abs(past(sw.nesterov) - 0.62) < 0.01
    and math.abs(past(sw["mom 0.01"]) - 0.44) < 0.01, "momentum's overshoots")

-- Adagrad's effective rate only shrinks: 0.057 after step 1, 0.011 at 400 (the
-- lesson's `r` is reused by later pages: its races are made again here)
do
    local rr = require("race").new{surface = "valley", steps = 400,
                                   optimizers = {"adagrad", "rmsprop", "adam"}}
    local last = math.huge
    for k = 1, 400 do
        local e = rr:step_info("adagrad", k).effective_lr[1]
        check(e <= last, "adagrad's rate grew at step %d", k)
        last = e
    end
    check(math.abs(rr:step_info("adagrad", 1).effective_lr[1] - 0.057) < 0.001, "adagrad step 1")
    check(math.abs(last - 0.0113) < 0.0005, "adagrad step 400: %g", last)
    rr:advance()
    check(rr:reached(rr.racers.adagrad) == 295 and rr:reached(rr.racers.rmsprop) == 56
        and rr:reached(rr.racers.adam) == 64, "adagrad 295, rmsprop 56, adam 64")
end

-- AdaDelta's first step is sqrt(10 eps) per coordinate, and its steps stay that small
do
    local rr = require("race").new{surface = "beale", steps = 500,
                                   optimizers = {"adadelta", "rmsprop", "adam"}}
    local s1 = rr:step_info("adadelta", 1)
    check(math.abs(math.abs(s1.step_vec[1]) - math.sqrt(10 * 1e-6)) < 1e-5, "adadelta's first step")
    local s500 = rr:step_info("adadelta", 500)
    check(math.sqrt(s500.step_vec[1] ^ 2 + s500.step_vec[2] ^ 2) < 0.003, "adadelta's 500th step")
end

-- Adam's first step is eta per coordinate, and m^ equals the gradient
do
    local rr = require("race").new{surface = "rosenbrock", optimizers = {{"adam", lr = 0.05}}, steps = 5}
    local s = rr:step_info("adam", 1)
    for c = 1, 2 do
        check(math.abs(math.abs(s.step_vec[c]) - 0.05) < 1e-6, "adam's first step %g", s.step_vec[c])
        check(math.abs(s.state.m[c] / 0.1 - s.grad[c]) < 1e-4 * math.abs(s.grad[c]), "m^ = g")
    end
end

-- the saddle: Rprop leaves first (21), Nesterov and AdaDelta 59, GD and momentum 63,
-- Adam and RMSProp 72 to 78, Adagrad stays in the view
local sd = env.saddle.racers
check(sd.rprop.stopped == 21 and sd.nesterov.stopped == 59 and sd.adadelta.stopped == 59
    and sd.gd.stopped == 63 and sd.momentum.stopped == 63, "saddle: leaving steps")
for _, who in ipairs{"adam", "adamw", "rmsprop", "nadam"} do
    check(sd[who].stopped >= 72 and sd[who].stopped <= 78, "saddle: %s left at %d", who, sd[who].stopped)
end
check(not sd.adagrad.stopped, "saddle: adagrad stays")
for _, racer in ipairs(env.monkey.racers) do
    check(racer.message and racer.message:find("^left the view"), "monkey: %s leaves", racer.label)
end

-- the plateau: GD and SGD above 0.99; momentum 109, Nesterov 88, Rprop 19, RMSProp
-- 24, the Adam family 32 to 37, Adagrad 48, AdaDelta 197
local pl = env.plateau
check(value(pl, "gd") > 0.99 and value(pl, "sgd") > 0.99, "plateau: gd and sgd stay")
local want = {momentum = 109, nesterov = 88, rprop = 19, rmsprop = 24, adagrad = 48, adadelta = 197}
for who, t in pairs(want) do
    check(reached(pl, who) == t, "plateau: %s reached at %s, the text says %d", who,
        tostring(reached(pl, who)), t)
end
for _, who in ipairs{"adam", "adamw", "nadam"} do
    check(reached(pl, who) >= 32 and reached(pl, who) <= 37, "plateau: %s", who)
end

-- the bumpy surface: momentum to the global minimum, the others stop in the local one
local bu = env.bumpy
local _, _, global = bu:reached(bu.racers.momentum)
check(global, "bumpy: momentum reaches the global minimum")
for _, who in ipairs{"gd", "nesterov", "adam", "rprop"} do
    local t, _, g = bu:reached(bu.racers[who])
    check(t and not g, "bumpy: %s stops in the local minimum", who)
end

print("test_race_lesson: ok")
