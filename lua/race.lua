-- race.lua: optimizer races on 2-D loss surfaces. Each racer is one of the engine's
-- optimizers (the same C code that trains networks) stepping a 2-float parameter
-- (x, y) with the exact gradient of the surface: a built-in one (C, nn.race) or one
-- the student types (a Lua function or a formula string, differentiated by dual
-- numbers, lua/dual.lua). Every step is recorded (position, value, gradient used,
-- optimizer state, effective learning rates), so the race can be shown, rewound,
-- stepped and exported; the views are in lua/race_view.lua.
--
-- Time: `r.k` steps have been computed; the view shows step `r.shown` <= r.k.
-- Computing is lazy and in lockstep (all racers step together), so a change of a
-- racer's hyper-parameters takes effect at the next computed step; after a rewind
-- it cuts that racer's recorded future and continues from the shown step.

local C = require "nn.race"
local dual = require "dual"
local util = require "util"

local race = {}

local Race = {}
Race.__index = Race

local Racer = {}
Racer.__index = Racer
Race.__name, Racer.__name = "race", "racer" -- help(r) finds their methods by these

-- ---- defaults ----------------------------------------------------------------

-- Adaptive optimizers move about lr per step whatever the gradient's size, so their
-- default rate is a fraction of the view box; the others scale with 1/curvature.
local ADAPTIVE = {adagrad = 1 / 40, rmsprop = 1 / 100, adam = 1 / 100, adamw = 1 / 100,
                  nadam = 1 / 100, rprop = 1 / 200}
local CURVATURE = {gd = true, sgd = true, momentum = true, nesterov = true}
local GD_RATE = 0.3 -- lr = GD_RATE / L: stable for L up to 2/lr, visibly moving

local DEFAULT_OPTIMIZERS = {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
local DEFAULT_STEPS = 300
local DEFAULT_BOX = {-2, 2, -2, 2}
local EPS_FRACTION = 0.01 -- "reached a minimum": within this fraction of the box width
local OUT = 0.5 -- a racer this far outside the view (in box widths) stops

-- ---- surfaces: built-in (C) or typed (duals) -----------------------------------

-- A surface seen by the racers: eval(x, y) -> f, fx, fy; hessian(x, y) -> f, fx,
-- fy, fxx, fxy, fyy; info = {name, formula, box, starts, minima, minval, nglobal,
-- log_levels}; grid(nx, ny, box) -> flat values.
local function builtin_surface(name, param)
    local ok, s = pcall(C.surface, name, param)
    if not ok then error("race: " .. util.strip_position(s), 4) end
    local info = s:info()
    return {
        builtin = true,
        name = info.name,
        formula = info.formula,
        box = {info.xmin, info.xmax, info.ymin, info.ymax},
        starts = info.starts,
        minima = info.minima,
        minval = info.minval,
        nglobal = info.nglobal,
        log_levels = info.log_levels,
        param = info.param, param_name = info.param_name, -- the valley's kappa
        eval = function(x, y) return s:eval(x, y) end,
        hessian = function(x, y) return s:hessian(x, y) end,
        grid = function(nx, ny, b) return s:grid(nx, ny, b[1], b[2], b[3], b[4]) end,
    }
end

-- Local minima of a typed f inside the box: grid points lower than their 8
-- neighbours, polished by Newton's method with the exact (dual) Hessian, kept
-- when they converge inside the box to a point where the Hessian is positive
-- definite. Sorted by value: the lowest are "global" (within 1e-9 of the best).
local function find_minima(f, box)
    local n = 41
    local v = {}
    local function at(i, j) return v[j * n + i + 1] end
    local dx, dy = (box[2] - box[1]) / (n - 1), (box[4] - box[3]) / (n - 1)
    for j = 0, n - 1 do
        for i = 0, n - 1 do
            local ok, fv = pcall(f, box[1] + i * dx, box[3] + j * dy)
            v[j * n + i + 1] = (ok and type(fv) == "number" and fv == fv) and fv or math.huge
        end
    end
    local found = {}
    for j = 1, n - 2 do
        for i = 1, n - 2 do
            local c, low = at(i, j), true
            for b = -1, 1 do
                for a = -1, 1 do
                    if (a ~= 0 or b ~= 0) and at(i + a, j + b) <= c then low = false end
                end
            end
            if low and c < math.huge then
                local x, y = box[1] + i * dx, box[3] + j * dy
                for _ = 1, 50 do
                    local ok, _, gx, gy, hxx, hxy, hyy = pcall(dual.hessian, f, x, y)
                    if not ok then break end
                    local det = hxx * hyy - hxy * hxy
                    if not (det > 0 and hxx > 0) then x = nil; break end
                    local sx, sy = (hyy * gx - hxy * gy) / det, (hxx * gy - hxy * gx) / det
                    x, y = x - sx, y - sy
                    if math.abs(sx) + math.abs(sy) < 1e-14 * (1 + math.abs(x) + math.abs(y)) then
                        break
                    end
                end
                if x and x >= box[1] and x <= box[2] and y >= box[3] and y <= box[4] then
                    local ok, fv, gx, gy = pcall(dual.grad, f, x, y)
                    if ok and math.abs(gx) + math.abs(gy) < 1e-8 then
                        local dup = false
                        for _, m in ipairs(found) do
                            if math.abs(m[1] - x) + math.abs(m[2] - y) < 1e-6 then dup = true end
                        end
                        if not dup then found[#found + 1] = {x, y, fv} end
                    end
                end
            end
        end
    end
    table.sort(found, function(a, b) return a[3] < b[3] end)
    local minima, minval, nglobal = {}, {}, 0
    for k, m in ipairs(found) do
        minima[k], minval[k] = {m[1], m[2]}, m[3]
        if m[3] <= found[1][3] + 1e-9 * (1 + math.abs(found[1][3])) then nglobal = k end
    end
    return minima, minval, nglobal
end

local function typed_surface(f, box)
    local formula
    if type(f) == "string" then
        formula = f
        local ok, g = pcall(dual.compile, f)
        if not ok then error("race: " .. g, 4) end
        f = g
    else
        formula = "your function"
    end
    local minima, minval, nglobal = find_minima(f, box)
    local w, h = box[2] - box[1], box[4] - box[3]
    return {
        builtin = false,
        name = formula,
        formula = formula,
        f = f,
        box = box,
        -- left of centre and just off the middle row: on a saddle typed as x^2 - y^2
        -- that is beside the ridge, where the race is interesting
        starts = {{box[1] + 0.12 * w, (box[3] + box[4]) / 2 + 0.02 * h}},
        minima = minima,
        minval = minval,
        nglobal = nglobal,
        log_levels = false,
        eval = function(x, y) return dual.grad(f, x, y) end,
        hessian = function(x, y) return dual.hessian(f, x, y) end,
        grid = function(nx, ny, b)
            local out = {}
            for j = 0, ny - 1 do
                local y = b[3] + (b[4] - b[3]) * j / (ny - 1)
                for i = 0, nx - 1 do
                    local ok, v = pcall(f, b[1] + (b[2] - b[1]) * i / (nx - 1), y)
                    out[j * nx + i + 1] = (ok and type(v) == "number") and v or 0 / 0
                end
            end
            return out
        end,
    }
end

-- ---- racers --------------------------------------------------------------------

local function finite(...)
    for i = 1, select("#", ...) do
        local v = select(i, ...)
        if not (v == v and v > -math.huge and v < math.huge) then return false end
    end
    return true
end

-- The largest |eigenvalue| of the Hessian at (x, y), or nil where it fails.
local function curvature(surface, x, y)
    local ok, _, _, _, hxx, hxy, hyy = pcall(surface.hessian, x, y)
    if not ok or not finite(hxx, hxy, hyy) then return nil end
    local l1, l2 = C.eig(hxx, hxy, hyy)
    return math.max(math.abs(l1), math.abs(l2))
end

-- The default hyper-parameters of kind on this surface from this start.
local function default_hp(kind, surface, start)
    local b = surface.box
    local width = math.max(b[2] - b[1], b[4] - b[3])
    if ADAPTIVE[kind] then return {lr = ADAPTIVE[kind] * width} end
    if CURVATURE[kind] then
        local L = curvature(surface, start[1], start[2]) or 1
        return {lr = GD_RATE / math.max(L, 1)}
    end
    return {} -- adadelta: no learning rate; the engine's defaults
end

local function check_point(p, what)
    if type(p) ~= "table" or type(p[1]) ~= "number" or type(p[2]) ~= "number" then
        error(("race: %s must be a point {x, y}, got %s"):format(what, type(p) == "table"
            and "{" .. tostring(p[1]) .. ", " .. tostring(p[2]) .. "}" or type(p)), 4)
    end
end

-- A racer from an entry of optimizers: "adam" or {"adam", lr = 0.05, label = "...",
-- start = {x, y}, noise = s}.
local function new_racer(r, entry, i, start)
    local spec = type(entry) == "string" and {entry} or entry
    if type(spec) ~= "table" or type(spec[1]) ~= "string" then
        error(("race: optimizers[%d] must be a name or {name, lr = ...}, got %s"):format(i,
            type(entry)), 3)
    end
    local kind = spec[1]
    if spec.noise ~= nil and (type(spec.noise) ~= "number" or not (spec.noise >= 0)) then
        error(("race: optimizers[%d].noise must be a number >= 0, got %s"):format(i,
            tostring(spec.noise)), 3)
    end
    local st = spec.start or start
    check_point(st, ("optimizers[%d].start"):format(i))
    local hp = default_hp(kind, r.surface, st)
    if r.lr and not spec.lr then hp.lr = r.lr end
    for k, v in pairs(spec) do
        if type(k) == "string" and k ~= "label" and k ~= "start" and k ~= "noise" then hp[k] = v end
    end
    local ok, opt = pcall(C.optimizer, kind, st[1], st[2], hp)
    if not ok then error(("race: optimizers[%d]: %s"):format(i, util.strip_position(opt)), 3) end
    local x, y = opt:position()
    local racer = setmetatable({
        index = i,
        kind = kind,
        label = spec.label or kind,
        opt = opt,
        noise = spec.noise or r.noise,
        start = {st[1], st[2]},
        -- the record, index k+1 for step k (step 0 = the start)
        x = {x}, y = {y}, f = {}, gx = {}, gy = {},
        snap = {opt:snapshot()},
        ex = {}, ey = {},
        stopped = nil, -- step at which it stopped, and why
        message = nil,
        reach = {upto = -1}, -- Race:reached's scan so far
        surface_eval = r.surface.eval,
        box = r.surface.box,
    }, Racer)
    racer.ex[1], racer.ey[1] = opt:effective_lr()
    racer:evaluate(0)
    return racer
end

-- Value and gradient at step k's position into the record; stops the racer when f
-- fails or gives NaN/Inf.
function Racer:evaluate(k)
    local ok, f, gx, gy = pcall(self.surface_eval, self.x[k + 1], self.y[k + 1])
    if not ok then
        self:stop(k, ("error at step %d: %s"):format(k, tostring(f)))
    elseif type(f) ~= "number" then
        self:stop(k, ("error at step %d: f returned %s, expected a number"):format(k, type(f)))
    elseif not finite(f, gx, gy) then
        self:stop(k, ("diverged at step %d: f = %g, gradient (%g, %g)"):format(k, f, gx, gy))
    end
    self.f[k + 1], self.gx[k + 1], self.gy[k + 1] = f, gx, gy
end

function Racer:stop(k, message)
    self.stopped, self.message = k, message
end

-- Step k -> k+1 with the gradient at step k (plus noise), through the engine.
function Racer:step(k, noise)
    local gx, gy = self.gx[k + 1], self.gy[k + 1]
    if self.noise and self.noise > 0 then
        gx, gy = gx + self.noise * noise[1], gy + self.noise * noise[2]
        self.gx[k + 1], self.gy[k + 1] = gx, gy -- the gradient the optimizer got
    end
    local x, y = self.opt:step(gx, gy)
    self.x[k + 2], self.y[k + 2] = x, y
    self.snap[k + 2] = self.opt:snapshot()
    self.ex[k + 2], self.ey[k + 2] = self.opt:effective_lr()
    if not finite(x, y) then
        self:stop(k + 1, ("diverged at step %d: (x, y) = (%g, %g)"):format(k + 1, x, y))
        self.f[k + 2], self.gx[k + 2], self.gy[k + 2] = 0 / 0, 0 / 0, 0 / 0
        return
    end
    self:evaluate(k + 1)
    if self.stopped then return end
    -- off the view there is nothing to watch: uphill that is divergence (a rate too
    -- large), downhill it is a surface without a bottom (the saddles)
    local b = self.box
    local m = OUT * math.max(b[2] - b[1], b[4] - b[3])
    if x < b[1] - m or x > b[2] + m or y < b[3] - m or y > b[4] + m then
        local f = self.f[k + 2]
        if f > self.f[1] then
            self:stop(k + 1, ("diverged at step %d: left the view uphill, f = %.4g at (%.4g, %.4g)")
                :format(k + 1, f, x, y))
        else
            self:stop(k + 1, ("left the view at step %d, downhill: f = %.4g at (%.4g, %.4g)")
                :format(k + 1, f, x, y))
        end
    end
end

-- Forgets everything after step k and puts the optimizer back as it was then.
function Racer:truncate(k)
    self.cuts = (self.cuts or 0) + 1 -- views that cache the record start again
    for t = #self.x, k + 2, -1 do
        self.x[t], self.y[t], self.f[t], self.gx[t], self.gy[t] = nil, nil, nil, nil, nil
        self.snap[t], self.ex[t], self.ey[t] = nil, nil, nil
    end
    if self.stopped and self.stopped > k then self.stopped, self.message = nil, nil end
    if self.reach.upto > k then self.reach = {upto = -1} end
    if (self.reach.left or -1) > k or (self.reach.lupto or -1) > k then
        self.reach.left, self.reach.lupto = nil, nil -- Race:left_eps scans again from k
    end
    self.opt:restore(self.snap[k + 1])
    self.opt:set_position(self.x[k + 1], self.y[k + 1])
    -- the noise was added into the record; the clean gradient is needed again
    if not self.stopped then self:evaluate(k) end
end

-- The last step this racer has a position for.
function Racer:last()
    return #self.x - 1
end

-- ---- the race -------------------------------------------------------------------

local function parse_box(b, default)
    if b == nil then return default end
    if type(b) ~= "table" or #b ~= 4 then
        error("race: box must be {xmin, xmax, ymin, ymax}", 4)
    end
    for i = 1, 4 do
        if type(b[i]) ~= "number" then error("race: box must hold four numbers", 4) end
    end
    if not (b[1] < b[2] and b[3] < b[4]) then
        error(("race: box {%g, %g, %g, %g} is empty"):format(b[1], b[2], b[3], b[4]), 4)
    end
    return {b[1], b[2], b[3], b[4]}
end

-- race{...}'s options, for the one checker (lua/options.lua)
local OPTION_NAMES = {"surface", "f", "optimizers", "start", "steps", "noise", "seed", "eps", "lr",
    "box", "param", "kappa", "show", "speed", "title", "play", "width", "height", "keep"}
local checker = require "options"
checker.declare("race", OPTION_NAMES, 0, "race", '{surface = "saddle"}')
checker.declare("race.new", OPTION_NAMES, 0, "race.new", '{surface = "saddle"}')

-- race.new(opts): the race without opening a window (race{...} opens one too).
function race.new(opts)
    if opts == nil then error('race.new: expected a table of options {surface = "saddle"}, got nil', 2) end
    checker.check("race.new", opts)
    if opts.surface and opts.f then error("race: give surface or f, not both", 2) end
    local surface
    if opts.f then
        if type(opts.f) ~= "function" and type(opts.f) ~= "string" then
            error("race: f must be a function of (x, y) or a formula string, got " .. type(opts.f), 2)
        end
        surface = typed_surface(opts.f, parse_box(opts.box, DEFAULT_BOX))
    else
        local name = opts.surface or "bowl"
        if type(name) ~= "string" then
            error("race: surface must be a name (" .. table.concat(C.surfaces(), ", ") .. ")", 2)
        end
        surface = builtin_surface(name, opts.param or opts.kappa)
        surface.box = parse_box(opts.box, surface.box)
    end
    local steps = opts.steps or DEFAULT_STEPS
    if math.type(steps) ~= "integer" or steps < 1 then
        error(("race: steps must be a whole number >= 1, got %s"):format(tostring(steps)), 2)
    end
    local noise = opts.noise or 0
    if type(noise) ~= "number" or noise < 0 or noise ~= noise then
        error(("race: noise must be a number >= 0, got %s"):format(tostring(noise)), 2)
    end
    local optimizers = opts.optimizers or DEFAULT_OPTIMIZERS
    if type(optimizers) ~= "table" or #optimizers == 0 then
        error("race: optimizers must be a list such as {\"sgd\", \"momentum\", {\"adam\", lr = 0.05}}", 2)
    end
    local r = setmetatable({
        surface = surface,
        steps = steps,
        noise = noise,
        seed = opts.seed,
        lr = opts.lr,
        title = opts.title,
        k = 0,
        shown = 0,
        racers = {},
    }, Race)
    local width = math.max(surface.box[2] - surface.box[1], surface.box[4] - surface.box[3])
    r.eps = opts.eps or EPS_FRACTION * width
    -- one start for all, or one per optimizer ({{x, y}, {x, y}, ...})
    local start = opts.start or surface.starts[1]
    local per = type(start) == "table" and type(start[1]) == "table"
    if per and #start ~= #optimizers then
        error(("race: %d starts for %d optimizers"):format(#start, #optimizers), 2)
    end
    for i, entry in ipairs(optimizers) do
        local racer = new_racer(r, entry, i, per and start[i] or start)
        if r.racers[racer.label] then -- two of a kind: tell them apart by lr, or number
            racer.label = ("%s lr=%.3g"):format(racer.label, racer.opt.lr)
            if r.racers[racer.label] then racer.label = racer.label .. " #" .. i end
        end
        r.racers[i] = racer
        r.racers[racer.label] = racer
    end
    -- gradient noise for every (step, racer), drawn at once from the engine's
    -- generator, so one seed gives one race whatever else uses the generator later
    r.draws = {}
    for _, racer in ipairs(r.racers) do
        if racer.noise > 0 then
            r.draws = C.normals(2 * steps * #r.racers, opts.seed)
            break
        end
    end
    return r
end

local function is_whole(k)
    return type(k) == "number" and k == math.floor(k) and k > -math.huge and k < math.huge
end

-- A step number k >= 0 (a whole number) for fname, or an error naming it.
local function check_step(k, fname, what)
    if not is_whole(k) or k < 0 then
        error(("%s: %s must be a whole number of steps >= 0, got %s"):format(fname, what or "k",
            tostring(k)), 3)
    end
end

-- One of the race's racers, or an error naming fname.
local function check_racer(self, racer, fname)
    if getmetatable(racer) ~= Racer or self.racers[racer.index] ~= racer then
        error(("%s: expected one of this race's racers (r.racers[i]), got %s"):format(fname,
            tostring(racer)), 3)
    end
end

-- The two standard normal draws of racer i's gradient noise at step k.
function Race:noise_draws(k, i)
    check_step(k, "race:noise_draws")
    local n = #self.racers
    if not is_whole(i) or i < 1 or i > n then
        error(("race:noise_draws: i must be a racer's number 1..%d, got %s"):format(n, tostring(i)), 2)
    end
    local base = 2 * (k * n + (i - 1))
    if base + 2 > #self.draws then -- past the steps asked for: more from the generator
        local more = C.normals(2 * n * (k + 1) - #self.draws)
        for _, v in ipairs(more) do self.draws[#self.draws + 1] = v end
    end
    return {self.draws[base + 1] or 0, self.draws[base + 2] or 0}
end

-- Computes steps until r.k == k (all racers in lockstep; stopped ones stay put).
function Race:compute(k)
    check_step(k, "race:compute")
    while self.k < k do
        for i, racer in ipairs(self.racers) do
            if not racer.stopped and racer:last() == self.k then
                racer:step(self.k, racer.noise > 0 and self:noise_draws(self.k, i) or nil)
            end
        end
        self.k = self.k + 1
    end
end

-- Redraws an open view for the shown step; a seek or an advance typed at the prompt
-- also stops the animation, which would otherwise move the shown step on again.
local function show_step(self, k)
    self.shown = k
    local v = self.view
    if v then
        v.playing = false
        v:draw(true)
    end
end

-- Shows the step n after the shown one (default: the last step, r.steps), computing
-- up to it when needed.
function Race:advance(n)
    if n ~= nil and math.type(n) ~= "integer" then
        error(("race:advance: expected a whole number of steps, got %s"):format(tostring(n)), 2)
    end
    local k = n and math.max(0, self.shown + n) or math.max(self.steps, self.shown)
    self:compute(k)
    show_step(self, k)
    return self
end

-- Sets the shown step to k (0 = the start), computing up to it when needed; the view
-- (race_view.lua) calls this for each frame and redraws itself.
function Race:_seek(k)
    k = math.max(0, math.floor(k))
    self:compute(k)
    self.shown = k
    return self
end

-- Shows step k (0 = the start), computing up to it when needed.
function Race:seek(k)
    if type(k) ~= "number" or k ~= k then
        error(("race:seek: expected a step number, got %s"):format(tostring(k)), 2)
    end
    self:_seek(k)
    show_step(self, self.shown)
    return self
end

-- r:wait() -> r: the race played to its last step. At the prompt it waits while the
-- window plays the race (other jobs run meanwhile); Ctrl-C, closing the window or a
-- pause there skips to the end. Elsewhere the race is computed to the end at once.
-- A lesson calls it before printing r:table(), so that the table is the final one.
function Race:wait()
    local v = self.view
    local job = v and v.job
    if job and (job.state == "running" or job.state == "paused") then
        local ok, err = pcall(require("repl").wait, job)
        if not ok and not tostring(err):find("interrupted!$") then error(err, 0) end
    end
    if self.shown < self.steps then self:seek(self.steps) end
    return self
end

local function find_racer(self, who)
    local racer = self.racers[who]
    if not racer then
        local names = {}
        for _, rc in ipairs(self.racers) do names[#names + 1] = rc.label end
        error(("race: no racer '%s' (racers: %s)"):format(tostring(who),
            table.concat(names, ", ")), 3)
    end
    return racer
end

-- Changes hyper-parameters of one racer (by label or index) from the shown step
-- on: r:set("adam", {lr = 0.1}). A future computed after a rewind is cut.
function Race:set(who, hp)
    local racer = find_racer(self, who)
    if type(hp) ~= "table" then error("race:set: expected a table such as {lr = 0.01}", 2) end
    if racer:last() > self.shown then racer:truncate(self.shown) end
    for k, v in pairs(hp) do
        local ok, err = pcall(function() racer.opt[k] = v end)
        if not ok then error("race:set: " .. util.strip_position(err), 2) end
    end
    -- the others keep their recorded future; this one recomputes it with the new values
    self:compute_one(racer, self.k)
    if self.view then
        self.view.dirty = true
        self.view:draw()
    end
    return self
end

-- Recomputes one racer from its last step up to step k.
function Race:compute_one(racer, k)
    check_racer(self, racer, "race:compute_one")
    check_step(k, "race:compute_one")
    for t = racer:last(), k - 1 do
        if racer.stopped then break end
        racer:step(t, racer.noise > 0 and self:noise_draws(t, racer.index) or nil)
    end
end

-- Index into a record at the shown step (a stopped racer stays at its last point).
function Racer:at(k)
    return math.min(k, self:last()) + 1
end

-- The first step at which the racer came within eps of a known minimum, or nil;
-- also the minimum and whether it is a global one. The scan is remembered (the
-- record only changes by truncate, which forgets it), so a frame costs O(new steps).
function Race:reached(racer, upto)
    check_racer(self, racer, "race:reached")
    if upto ~= nil then check_step(upto, "race:reached", "upto") end
    local mins = self.surface.minima
    if #mins == 0 then return nil end
    upto = math.min(upto or self.k, racer:last())
    local c = racer.reach
    if c.t then
        if c.t <= upto then return c.t, c.m, c.global end
        return nil
    end
    for t = c.upto + 1, upto do
        local x, y = racer.x[t + 1], racer.y[t + 1]
        for i, m in ipairs(mins) do
            local dx, dy = x - m[1], y - m[2]
            if dx * dx + dy * dy <= self.eps * self.eps then
                c.t, c.m, c.global, c.upto = t, m, i <= self.surface.nglobal, t
                return t, m, c.global
            end
        end
        c.upto = t
    end
    return nil
end

-- After a racer first came within eps of a minimum (Race:reached): the first step at
-- which it was outside eps of that minimum again, or nil (it stayed), up to step
-- upto; and whether it is inside at upto. "Reached" alone hides a racer that arrives
-- and leaves again (SGD's noise, an overshoot). Scanned once, like reached.
function Race:left_eps(racer, upto)
    check_racer(self, racer, "race:left_eps")
    if upto ~= nil then check_step(upto, "race:left_eps", "upto") end
    upto = math.min(upto or self.k, racer:last())
    local t, m = self:reached(racer, upto)
    if not t then return nil end
    local c = racer.reach
    local function outside(k)
        local dx, dy = racer.x[k + 1] - m[1], racer.y[k + 1] - m[2]
        return dx * dx + dy * dy > self.eps * self.eps
    end
    if not (c.left and c.left <= upto) then
        c.left = nil
        for k = math.max(t, c.lupto or t) + 1, upto do
            if outside(k) then c.left = k break end
            c.lupto = k
        end
    end
    if c.left then return c.left, not outside(upto) end
    return nil
end

-- One row per racer at the shown step: {label, reached (step or nil), global (the
-- minimum reached is a global one), left_eps (the first step outside eps again after
-- reaching, or nil), back (inside eps again at the shown step), value, x, y, diverged
-- (bool), left (the view, downhill: bool), message}.
function Race:results()
    local rows = {}
    for i, racer in ipairs(self.racers) do
        local j = racer:at(self.shown)
        local t, _, global = self:reached(racer, self.shown)
        local stopped = racer.stopped and racer.stopped <= self.shown
        rows[i] = {
            label = racer.label,
            reached = t,
            global = global,
            left_eps = t and self:left_eps(racer, self.shown) or nil,
            back = t and select(2, self:left_eps(racer, self.shown)) or nil,
            value = racer.f[j],
            x = racer.x[j],
            y = racer.y[j],
            diverged = stopped and racer.message:find("^diverged") ~= nil or false,
            left = stopped and racer.message:find("^left the view") ~= nil or false,
            message = stopped and racer.message or nil,
        }
    end
    return rows
end

local function fmt(v)
    if v == nil then return "-" end
    if v ~= v then return "nan" end
    return ("%.4g"):format(v)
end

-- Whether a racer that has not reached a minimum is stuck at the shown step: it moved
-- less than eps (the table's own yardstick) over the last quarter of the steps shown
-- (at least STALL_STEPS), so "ok" would hide that it makes no progress.
local STALL_STEPS = 20
function Race:stalled(racer)
    if type(racer) ~= "table" or type(racer.last) ~= "function" then
        error("race:stalled: expected a racer (r.racers[i]), got " .. type(racer), 2)
    end
    local k = math.min(self.shown, racer:last())
    local span = math.max(STALL_STEPS, self.shown // 4)
    if k < span then return false end
    local a, b = k + 1, k + 1 - span
    local dx, dy = racer.x[a] - racer.x[b], racer.y[a] - racer.y[b]
    return dx * dx + dy * dy < self.eps * self.eps
end

-- The final table as text: steps to within eps of a minimum ("local" when that
-- minimum is not a global one; no such column on a surface without a minimum in its
-- box, a saddle), value, place (unless compact), status (ok, stalled, diverged, left
-- the view, or the step at which it left eps again after reaching it).
function Race:table(compact)
    local lines = {}
    local mins = #self.surface.minima > 0
    if compact then -- narrow enough for a third of the window
        lines[1] = mins and ("steps to within %.2g (* local)"):format(self.eps)
            or "no minimum in the view"
        lines[2] = mins and ("%-8s%6s%10s %s"):format("", "steps", "f", "status")
            or ("%-8s%10s %s"):format("", "f", "status")
    else
        lines[1] = mins and ("%-12s %14s %11s %19s  %s"):format("optimizer",
            ("steps<%.2g"):format(self.eps), "f", "(x, y)", "status")
            or ("%-12s %11s %19s  %s"):format("optimizer", "f", "(x, y)", "status")
    end
    for i, row in ipairs(self:results()) do
        local status = row.message and (row.diverged and "diverged" or row.left and "left"
            or "error") or (not row.reached and self:stalled(self.racers[i]) and "stalled") or "ok"
        if row.left_eps and not row.message then -- it came within eps, then left it again
            if not compact then
                status = ("left eps at %d%s"):format(row.left_eps, row.back and ", back" or "")
            elseif not row.back then
                status = ("out@%d"):format(row.left_eps) -- a third of the window: only when out
            end
        end
        local steps = row.reached and (row.reached .. (row.global and "" or (compact and "*" or " local"))) or "-"
        if compact then
            lines[#lines + 1] = mins and ("%-8s%6s%10s %s"):format(row.label:sub(1, 8), steps,
                fmt(row.value), status) or ("%-8s%10s %s"):format(row.label:sub(1, 8), fmt(row.value), status)
        else
            local place = ("(%s, %s)"):format(fmt(row.x), fmt(row.y))
            lines[#lines + 1] = mins and ("%-12s %14s %11s %19s  %s"):format(row.label:sub(1, 12), steps,
                fmt(row.value), place, status)
                or ("%-12s %11s %19s  %s"):format(row.label:sub(1, 12), fmt(row.value), place, status)
        end
    end
    return table.concat(lines, "\n")
end

-- One line at the prompt: the race, its racers, the shown step and whether it plays.
function Race:__tostring()
    local v = self.view
    local state = v and v.playing and "playing" or self.shown >= self.steps and "at the end"
        or "paused"
    return ("race on %s: %d racer%s, step %d/%d, %s"):format(self.surface.builtin and self.surface.name
        or "f = " .. self.surface.formula, #self.racers, #self.racers == 1 and "" or "s", self.shown,
        self.steps, state)
end

-- One line at the prompt: the racer where it is at the race's shown step.
function Racer:__tostring()
    local j = #self.x
    local status = self.stopped and self.message:gsub("[:,].*", "") or "running"
    return ("racer %s (%s, lr %.3g): %d steps, f = %s at (%s, %s), %s"):format(self.label, self.kind,
        self.opt.lr or 0 / 0, j - 1, fmt(self.f[j]), fmt(self.x[j]), fmt(self.y[j]), status)
end

-- What the step view shows for a racer at step k (default: the shown step): the
-- update from step k-1 to k as vectors in parameter units, the optimizer's state
-- after it and its effective learning rates (the engine's numbers, unchanged).
function Race:step_info(who, k)
    local racer = find_racer(self, who or 1)
    if k ~= nil and math.type(k) ~= "integer" then
        error(("race:step_info: step must be a whole number, got %s"):format(tostring(k)), 2)
    end
    k = math.max(1, k or self.shown)
    -- a step not computed yet (the race is playing, or was made by race.new) is
    -- computed now; a racer that stopped earlier shows its last step
    if k > racer:last() and not racer.stopped then self:compute(k) end
    k = math.min(k, racer:last())
    if k < 1 then
        error(("race:step_info: %s took no step (%s)"):format(racer.label,
            racer.message or "stopped at the start"), 2)
    end
    local hp = racer.opt:hparams()
    local snap = racer.snap[k + 1] -- {steps, state 1 (x, y), state 2 (x, y)}
    local state = {}
    for i, name in ipairs(racer.opt:state_names()) do
        state[name] = {snap[2 * i], snap[2 * i + 1]}
    end
    local gx, gy = racer.gx[k], racer.gy[k]
    local info = {
        racer = racer.label,
        kind = racer.kind,
        step = k,
        from = {racer.x[k], racer.y[k]},
        to = {racer.x[k + 1], racer.y[k + 1]},
        grad = {gx, gy},
        gd_step = {-hp.lr * gx, -hp.lr * gy}, -- what plain GD at this lr would do
        step_vec = {racer.x[k + 1] - racer.x[k], racer.y[k + 1] - racer.y[k]},
        state = state,
        effective_lr = {racer.ex[k + 1], racer.ey[k + 1]},
        lr = hp.lr,
    }
    if state.velocity then -- momentum, nesterov: v is itself a step in parameter units
        info.velocity = {state.velocity[1], state.velocity[2]}
    elseif state.m then -- adam family: m is a gradient average; shown as -lr m^ (a step)
        local b1 = hp.beta1
        local c = 1 - b1 ^ snap[1]
        info.velocity = {-hp.lr * state.m[1] / c, -hp.lr * state.m[2] / c}
    end
    return info
end

-- ---- the window's controls, also as methods (race_view.lua does the drawing) -------

local function view_of(self)
    if not self.view then
        self.view = require("race_view").new(self, {})
    end
    return self.view
end

-- r:show(): opens the race's window (race{...} does it unless show = false) and
-- plays the race. Where nobody can watch an animation (no display, or a script or
-- `nnlab --check` rather than the prompt) it shows the finished race instead; space
-- in the window replays it.
function Race:show(opts)
    if opts ~= nil and type(opts) ~= "table" then
        error("r:show: options must be a table like {play = false}, got " .. type(opts), 2)
    end
    local v = view_of(self)
    v.shown_window = v.window:show()
    local repl = package.loaded.repl
    if not v.shown_window or not (repl and repl.interactive) then
        v:seek(self.steps)
    elseif opts == nil or opts.play ~= false then
        self:play()
    end
    return self
end

-- r:play() / r:pause(): the animation, a job (space in the window).
function Race:play()
    local v = view_of(self)
    if self.shown >= self.steps then v:seek(0) end
    v.playing = true
    return v:start()
end

function Race:pause()
    view_of(self).playing = false
    return self
end

-- r:forward(n) / r:back(n): n steps (default 1) forward or back, paused.
function Race:forward(n)
    if n ~= nil and not is_whole(n) then
        error(("race:forward: expected a whole number of steps, got %s"):format(tostring(n)), 2)
    end
    local v = view_of(self)
    v.playing = false
    v:seek(self.shown + (n or 1))
    return self
end

function Race:back(n)
    if n ~= nil and not is_whole(n) then
        error(("race:back: expected a whole number of steps, got %s"):format(tostring(n)), 2)
    end
    return self:forward(-(n or 1))
end

-- r:rewind([k]): back to step k (default 0).
function Race:rewind(k)
    local v = view_of(self)
    v:seek(k or 0)
    return self
end

-- r:speed(steps_per_second) -> the speed; without an argument only reads it.
function Race:speed(v)
    local view = view_of(self)
    if v ~= nil then
        if type(v) ~= "number" or v <= 0 then error("race:speed: expected a number > 0", 2) end
        view.speed = v
        view:draw_table()
    end
    return view.speed
end

-- r:focus(who): the racer the step view shows.
function Race:focus(who)
    local racer = find_racer(self, who)
    local v = view_of(self)
    v.focus = racer.index
    v:draw_step()
    return self
end

-- r:curvature(x, y) -> l1, l2, v1x, v1y, v2x, v2y: the Hessian's eigen-decomposition
-- at (x, y), also drawn on the surface (what a click does).
function Race:curvature(x, y)
    return view_of(self):curvature(x, y)
end

-- r:export(prefix [, every [, upto]]) -> frames: numbered PNGs prefix-000000.png ...
-- r:export{gif = path, fps = 20, every =, upto =, prefix =} -> frames: an animated GIF
-- (and the PNGs too when prefix is given).
function Race:export(prefix, every, upto)
    if type(prefix) == "table" then
        local o = prefix
        if type(o.gif) ~= "string" and type(o.prefix) ~= "string" then
            error("race:export: expected {gif = \"race.gif\"} or {prefix = \"frames/race\"}", 2)
        end
        return view_of(self):export(o.prefix, o.every, o.upto, o.gif, o.fps)
    end
    if type(prefix) ~= "string" then error("race:export: expected a file prefix", 2) end
    return view_of(self):export(prefix, every, upto)
end

-- r:close(): stops the animation and closes the window.
function Race:close()
    local v = self.view
    if v then
        v.playing = false
        if v.job then v.job:stop() end
        if v.window:is_open() then v.window:close() end
    end
    return self
end

-- r:save(path): the window as it is now, as a PNG.
function Race:save(path)
    local v = view_of(self)
    v:draw(true) -- every panel for the shown step, also those a playing frame skips
    v.window:save(path)
    return self
end

-- ---- the module: race{...} makes a race and shows it ------------------------------

race.surfaces = C.surfaces
race.optimizers = C.optimizers
--- race.find_minima(f, box) -> minima, values, nglobal: the local minima of f(x, y)
--- inside box = {xmin, xmax, ymin, ymax}; checks its arguments, naming them.
function race.find_minima(f, box)
    if type(f) ~= "function" then
        error(("race.find_minima: f must be a function of (x, y), got %s"):format(type(f)), 2)
    end
    if type(box) ~= "table" then
        error(("race.find_minima: box must be {xmin, xmax, ymin, ymax}, got %s"):format(type(box)), 2)
    end
    for i = 1, 4 do
        local b = box[i]
        if type(b) ~= "number" or b ~= b or b == math.huge or b == -math.huge then
            error(("race.find_minima: box[%d] must be a finite number, got %s"):format(i, tostring(b)), 2)
        end
    end
    if not (box[1] < box[2] and box[3] < box[4]) then
        error(("race.find_minima: box {%g, %g, %g, %g} is empty"):format(box[1], box[2], box[3], box[4]), 2)
    end
    return find_minima(f, box)
end

-- The race whose window race{...} opened last: the next one closes it (one race window
-- at a time, as a lesson goes from race to race) unless keep = true.
local last = setmetatable({}, {__mode = "v"})

util.guard_methods(Race, "r") -- r.advance() for r:advance() says so

setmetatable(race, {__call = function(_, opts)
    if opts == nil then error('race: expected a table of options {surface = "saddle"}, got nil', 2) end
    checker.check("race", opts)
    local r = race.new(opts)
    if opts.show ~= false then
        if last.race and not opts.keep then last.race:close() end
        r.view = require("race_view").new(r, opts)
        r:show(opts)
        last.race = r
    end
    return r
end})

return race
