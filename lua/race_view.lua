-- race_view.lua: the window of an optimizer race (lua/race.lua) built from plot
-- panels: the surface as filled contours (log-spaced where its values span decades)
-- with each racer's path, moving head and legend; the loss against the step; the
-- table of results; the step view (one racer's update as arrows: -lr*gradient, the
-- velocity or momentum, the step taken, magnified around the racer) with its
-- effective per-coordinate learning rates as bars; and the surface in 3-D. The
-- curvature view draws the Hessian's eigenvectors, scaled by eigenvalue, where the
-- surface is clicked. Animation is a job; keys: space play/pause, . or right one step,
-- , or left one back, + and - speed, 0 rewind, n next racer in the step view, [ and ]
-- halve and double its learning rate from the shown step on, e export PNG frames. The viz has no arrow primitive: an arrow is a series drawn
-- shaft, head barb, tip, other barb, tip, so its round head sits on the tip.

local plot = require "plot"
local C = require "nn.race"

local view = {}
local View = {}
View.__index = View

local GRID = 100        -- contour grid points per side (the viz keeps the drawn contours)
local GRID3D = 36       -- the 3-D view's grid
local SLOW_EVERY = 4    -- while playing, the 3-D view and the table follow every 4th frame
local LOSS_POINTS = 500 -- points of a loss curve at most
local STEP_GRID = 40    -- the step view's grid
local LOG_SPAN = 1e6    -- shifted values span this many times their smallest: log colours
local ARROW_HEAD = 0.18 -- barb length as a fraction of the arrow
local MIN_MOVE = 1 / 600 -- path points closer than this fraction of the view are not drawn
local KEY_RIGHT, KEY_LEFT = "key1073741903", "key1073741904" -- SDL arrow keycodes

-- ---- what is drawn ------------------------------------------------------------------

-- n rows of n values from a flat list (row 1 at the bottom), as plot grids take them.
local function rows(v, n)
    local out = {}
    for j = 1, n do out[j] = table.move(v, (j - 1) * n + 1, j * n, 1, {}) end
    return out
end


-- Grid values for the colours: f, or f - min + delta where the values span decades
-- (then the viz colours and contours them on a log scale). Also the shift used.
local function field_values(r, box, n)
    local s = r.surface
    local v = s.grid(n, n, box)
    local lo, hi = math.huge, -math.huge
    for i = 1, #v do
        local x = v[i]
        if x == x and x > -math.huge and x < math.huge then
            lo, hi = math.min(lo, x), math.max(hi, x)
        end
    end
    local fmin = #s.minval > 0 and math.min(s.minval[1], lo) or nil
    local logc = fmin and (s.log_levels or (hi - fmin) > 1e3 * math.max(1e-12, (lo - fmin)))
    if not logc then return rows(v, n), nil end
    local delta = (hi - fmin) / LOG_SPAN
    for i = 1, #v do v[i] = v[i] - fmin + delta end
    return rows(v, n), fmin - delta
end

-- The points of an arrow from (x, y) by (dx, dy): shaft, barb, tip, barb, tip.
local function arrow(x, y, dx, dy)
    local tx, ty = x + dx, y + dy
    local bx, by = -dx * ARROW_HEAD, -dy * ARROW_HEAD
    local px, py = -by * 0.6, bx * 0.6 -- perpendicular to the shaft
    return {x, tx, tx + bx + px, tx, tx + bx - px, tx}, {y, ty, ty + by + py, ty, ty + by - py, ty}
end

local function finite(v)
    return v == v and v > -math.huge and v < math.huge
end

-- How many leading entries of the racer's record (up to step k) have finite values.
local function drawable(racer, k)
    local j = racer:at(k)
    while j > 1 and not (finite(racer.x[j]) and finite(racer.y[j])) do j = j - 1 end
    return j
end

-- The loss panel's value of racer's record entry t, or nil past a NaN.
function View:loss_value(racer, t)
    local f = racer.f[t]
    if not finite(f) then return nil end
    return self.loss_shift and math.max(f - self.loss_shift, self.loss_floor) or f
end

-- Trajectories and loss curves. Playing forward appends the new points to the series
-- (series keep their order, hence their colours); a rewind, a changed future or new
-- curvature arrows redraw them from the start.
function View:draw_paths()
    local r = self.race
    local full = self.dirty or not self.drawn or r.shown < self.drawn_k
    local main, loss = self.main, self.loss
    if full then
        main:clear()
        loss:clear()
        local s = r.surface
        if #s.minima > 0 then
            local xs, ys, cl = {}, {}, {}
            for i, m in ipairs(s.minima) do xs[i], ys[i], cl[i] = m[1], m[2], 7 end
            main:points(xs, ys, cl, true) -- black rings: the known minima
        end
        self.drawn = {}
    end
    local b = r.surface.box
    local gap = MIN_MOVE * math.max(b[2] - b[1], b[4] - b[3])
    self.kept = full and {} or self.kept
    for i, racer in ipairs(r.racers) do
        local from = (self.drawn[i] or 0) + 1
        local j = drawable(racer, r.shown)
        if j >= from or full then
            -- a converging racer makes many sub-pixel steps: draw a point only where the
            -- path has moved since the last one drawn (always the first)
            local px, py = {}, {}
            local kx, ky = table.unpack(self.kept[i] or {math.huge, math.huge})
            for t = from, j do
                local x, y = racer.x[t], racer.y[t]
                if math.abs(x - kx) + math.abs(y - ky) >= gap then
                    px[#px + 1], py[#py + 1], kx, ky = x, y, x, y
                end
            end
            self.kept[i] = {kx, ky}
            if #px > 0 or full then main:add(racer.label, px, py) end
            -- at most LOSS_POINTS points a curve: a panel a third of the window wide
            -- has fewer pixels than that, so every stride-th step is all it can show
            local xs, ys = {}, {}
            for t = from, j do
                local v = self:loss_value(racer, t)
                if not v then break end
                if (t - 1) % self.stride == 0 then xs[#xs + 1], ys[#ys + 1] = t - 1, v end
            end
            if #xs > 0 or full then loss:add(racer.label, xs, ys) end
        end
        self.drawn[i] = math.max(j, from - 1)
    end
    if full and self.curv then
        for _, a in ipairs(self.curv) do main:add(a.name, a.x, a.y) end
    end
    self.drawn_k, self.dirty = r.shown, false
end

function View:draw_step()
    local r = self.race
    local racer = r.racers[self.focus]
    local k = math.min(r.shown, racer:last())
    if k < 1 then
        self.step_title = ("step view: %s (no step yet)"):format(racer.label)
        self.stepv:label("title", self.step_title)
        self.bars:bars({{racer.ex[1], racer.opt.lr}, {racer.ey[1], racer.opt.lr}}, {"x", "y"},
            {"effective lr", "lr"})
        return
    end
    local info = r:step_info(racer.label, k)
    local x, y = info.from[1], info.from[2]
    local vecs = {{"-lr * gradient", info.gd_step}, {"step taken", info.step_vec}}
    if info.velocity then
        table.insert(vecs, 2, {info.state.velocity and "velocity" or "-lr * m^ (momentum)", info.velocity})
    end
    local size = 1e-12
    for _, v in ipairs(vecs) do
        if finite(v[2][1]) and finite(v[2][2]) then
            size = math.max(size, math.abs(v[2][1]), math.abs(v[2][2]))
        end
    end
    -- a racer that stopped moving: a box at least 1e-4 of the view, so that
    -- its ticks need a few digits, not ten (-0.4871803 to -0.4871804)
    local b = r.surface.box
    local half = math.max(1.6 * size, 1e-4 * math.max(b[2] - b[1], b[4] - b[3]))
    local box = {x - half, x + half, y - half, y + half}
    local values = r.surface.grid(STEP_GRID, STEP_GRID, box)
    local p = self.stepv
    p:clear()
    p:grid(rows(values, STEP_GRID), box[1], box[2], box[3], box[4])
    p:levels(8)
    for _, v in ipairs(vecs) do
        if finite(v[2][1]) and finite(v[2][2]) then
            local ax, ay = arrow(x, y, v[2][1], v[2][2])
            p:add(v[1], ax, ay)
        end
    end
    self.step_title = ("step view: %s, step %d -> %d"):format(racer.label, k - 1, k)
    p:label("title", self.step_title)
    self.bars:bars({{info.effective_lr[1], info.lr}, {info.effective_lr[2], info.lr}},
        {"x", "y"}, {"effective lr", "lr"})
    self.bars:label("title", ("effective lr: %s, step %d"):format(racer.label, k))
end

function View:draw_table()
    local r = self.race
    -- an exported frame shows the race, not the state of the window's player
    local head = ("step %d of %d%s, %g/s\n\n"):format(r.shown, r.steps, -- short: a third of the window
        (self.playing or self.exporting) and "" or " (paused)", self.speed)
    local msgs = {}
    for _, racer in ipairs(r.racers) do
        if racer.stopped and racer.stopped <= r.shown then -- the message up to its details
            msgs[#msgs + 1] = racer.label .. ": " .. racer.message:gsub("[:,].*", "")
        end
    end
    local tail = #msgs > 0 and "\n\n" .. table.concat(msgs, "\n") or ""
    self.table_text = head .. r:table(true) .. tail -- what the panel shows, for tests
    self.tbl:text(self.table_text)
end

-- The paths on the 3-D view, from the start (the main view's decimation). The
-- decimated path of each racer is kept between frames: playing forward extends it,
-- a rewind drops its tail (decimation is greedy from the start, so a prefix of the
-- record keeps a prefix of the points), and a cut record (Racer:truncate) starts it
-- again. So a frame costs the new steps, not the whole race in Lua.
function View:draw_surf()
    local r, surf = self.race, self.surf
    local b = r.surface.box
    local gap = MIN_MOVE * math.max(b[2] - b[1], b[4] - b[3])
    self.surf_paths = self.surf_paths or {}
    surf:clear()
    for i, racer in ipairs(r.racers) do
        local c = self.surf_paths[i]
        if not c or c.racer ~= racer or c.cuts ~= racer.cuts or c.gap ~= gap then
            c = {racer = racer, cuts = racer.cuts, gap = gap, px = {}, py = {}, src = {}, upto = 0}
            self.surf_paths[i] = c
        end
        local px, py, src = c.px, c.py, c.src
        local n = drawable(racer, r.shown)
        if n < c.upto then -- a rewind: keep the points taken from entries 1..n
            while #src > 0 and src[#src] > n do
                px[#px], py[#py], src[#src] = nil, nil, nil
            end
            c.upto = n
        end
        local kx, ky = px[#px] or math.huge, py[#py] or math.huge
        for t = c.upto + 1, n do
            local x, y = racer.x[t], racer.y[t]
            if math.abs(x - kx) + math.abs(y - ky) >= gap then
                px[#px + 1], py[#py + 1], src[#src + 1], kx, ky = x, y, t, x, y
            end
        end
        c.upto = n
        surf:add(racer.label, px, py)
    end
end

-- Redraws the changing panels for the race's shown step. While playing, the 3-D
-- view and the table are redrawn every SLOW_EVERY frames: the race is watched on the
-- contours, the loss curves and the step view, which follow every frame.
function View:draw(full)
    self:draw_paths()
    self:draw_step()
    self.frame = (self.frame or 0) + 1
    if full or not self.playing or self.frame % SLOW_EVERY == 0 or self.race.shown >= self.race.steps then
        self:draw_surf()
        self:draw_table()
    end
end

-- ---- the curvature view ------------------------------------------------------------

-- Eigenvectors of the Hessian at (x, y) as arrows scaled by their eigenvalues (the
-- larger |eigenvalue| gets a tenth of the view); a negative eigenvalue's direction is
-- where f curves down, the escape from a saddle: drawn both ways.
function View:curvature(x, y)
    local ok, _, _, _, hxx, hxy, hyy = pcall(self.race.surface.hessian, x, y)
    if not ok or not (finite(hxx) and finite(hxy) and finite(hyy)) then
        self.curv = nil
        return nil
    end
    local l1, l2, v1x, v1y, v2x, v2y = C.eig(hxx, hxy, hyy)
    local b = self.race.surface.box
    local scale = 0.1 * math.max(b[2] - b[1], b[4] - b[3]) / math.max(math.abs(l1), math.abs(l2), 1e-300)
    self.curv = {}
    for _, e in ipairs{{l1, v1x, v1y}, {l2, v2x, v2y}} do
        local len = e[1] * scale
        local dx, dy = e[2] * math.abs(len), e[3] * math.abs(len)
        local ax, ay = arrow(x, y, dx, dy)
        if e[1] < 0 then -- both ways: f falls along either
            local bx, by = arrow(x, y, -dx, -dy)
            table.move(bx, 1, #bx, #ax + 1, ax)
            table.move(by, 1, #by, #ay + 1, ay)
        end
        local name = ("lambda = %.3g%s"):format(e[1], e[1] < 0 and " (curves down)" or "")
        self.curv[#self.curv + 1] = {name = name, x = ax, y = ay, value = e[1], dir = {e[2], e[3]}}
    end
    self.dirty = true
    self:draw_paths()
    self:draw_surf()
    return l1, l2, v1x, v1y, v2x, v2y
end

-- ---- time -----------------------------------------------------------------------------

function View:seek(k)
    self.race:_seek(math.max(0, math.min(k, self.race.steps)))
    self:draw()
end

function View:key(key)
    local r = self.race
    if key == "space" then
        if r.shown >= r.steps then r:seek(0) end
        self.playing = not self.playing
        if self.playing then self:start() end
    elseif key == "." or key == KEY_RIGHT then
        self.playing = false
        self:seek(r.shown + 1)
    elseif key == "," or key == KEY_LEFT then
        self.playing = false
        self:seek(r.shown - 1)
    elseif key == "+" or key == "=" then
        self.speed = self.speed * 2
    elseif key == "-" then
        self.speed = math.max(self.speed / 2, 0.25)
    elseif key == "0" then
        self:seek(0)
    elseif key == "n" then
        self.focus = self.focus % #r.racers + 1
    elseif key == "[" or key == "]" then -- the step view's racer: lr halved or doubled
        local racer = r.racers[self.focus]
        r:set(racer.index, {lr = racer.opt.lr * (key == "]" and 2 or 0.5)})
        print(("race: %s lr = %g from step %d"):format(racer.label, racer.opt.lr, r.shown))
    elseif key == "e" then -- about a hundred frames, so that the prompt is back soon
        local n = self:export("race", math.max(1, math.ceil(r.steps / 100)))
        print(("race: wrote %d frames race-000000.png ... in the current folder"):format(n))
    end
    self:draw_table()
    self:draw_step()
end

-- The animation: advances r.shown by speed steps a second while playing; ends at the
-- last step (a key starts it again).
function View:start()
    if self.job and (self.job.state == "running" or self.job.state == "paused") then return end
    local now = require("repl.core").now
    self.job = require("repl").spawn(function()
        local t0, k0 = now(), self.race.shown
        local last = now()
        while self.playing and self.race.shown < self.race.steps do
            if not self.window:is_open() and self.shown_window then break end
            -- after a pause (the window was minimised) the race goes on where it was
            if now() - last > 0.5 then t0, k0 = now(), self.race.shown end
            last = now()
            local k = k0 + math.floor((now() - t0) * self.speed)
            if k ~= self.race.shown then self:seek(k) end
            if not self.playing then break end
            coroutine.yield()
            if self.speed ~= self.last_speed then -- keep the position when the speed moves
                t0, k0, self.last_speed = now(), self.race.shown, self.speed
            end
        end
        self.playing = false
        self:draw_table()
    end, "race")
    -- hidden or minimised, the race does not play unseen (its own keys play and pause)
    self.window:bind(self.job, { space = false })
    return self.job
end

-- Writes the race as numbered PNG frames prefix-000000.png, ... and/or an animated GIF
-- at gif (fps frames a second), a frame every `every` steps from the start to `upto`
-- (default the last step); returns the number of frames. prefix or gif may be nil.
function View:export(prefix, every, upto, gif, fps)
    local r = self.race
    every = every or 1
    upto = upto or r.steps
    local keep = r.shown
    local w = self.window
    if gif then w:record{gif = gif, fps = fps or 20} end
    local n = 0
    self.exporting = true
    local ok, err = pcall(function()
        for k = 0, upto, every do
            self:seek(k)
            if prefix then w:save(("%s-%06d.png"):format(prefix, n)) end
            if gif then w:frame() end
            n = n + 1
        end
    end)
    self.exporting = nil
    if gif then w:record(nil) end -- finishes the file, also after an error
    self:seek(keep)
    if not ok then error(err, 0) end
    return n
end

-- ---- making the window --------------------------------------------------------------------

function view.new(r, opts)
    opts = opts or {}
    local s = r.surface
    local box = s.box
    local values, shift = field_values(r, box, GRID)
    local title = r.title or (#s.formula <= 40 and ("%s: %s"):format(s.builtin and s.name or "f",
        s.formula) or s.builtin and s.name or s.formula:sub(1, 37) .. "...")
    if not r.title and s.param_name then -- the valley: its condition number
        title = ("%s, %s = %g"):format(title, s.param_name, s.param)
    end
    local main = plot.field{show = false, title = title,
        values = values, xmin = box[1], xmax = box[2], ymin = box[3], ymax = box[4]}
    main:range("x", box[1], box[2]):range("y", box[3], box[4])
    main:levels(8)
    local loss = plot.lines{show = false, title = shift and "f - min (log)" or "f", xlabel = "step",
        ylog = shift ~= nil}
    local stepv = plot.field{show = false, title = "step view"}
    stepv:palette("marks") -- its arrows in colours no racer has
    local bars = plot.bars{show = false, title = "effective learning rate"}
    bars:palette("marks") -- the step view's colours: no racer's
    local tbl = plot.text{show = false, text = ""}
    local v3 = field_values(r, box, GRID3D)
    local surf = plot.surface{show = false, title = "3-D (drag to turn)", values = v3,
        xmin = box[1], xmax = box[2], ymin = box[3], ymax = box[4], yaw = 35, pitch = 35}
    local w = plot.window{main, loss, tbl, stepv, bars, surf, cols = 3,
        title = "race: " .. (s.builtin and s.name or s.formula),
        width = opts.width or 1500, height = opts.height or 900, show = false}
    local self = setmetatable({
        race = r, window = w, main = main, loss = loss, stepv = stepv, bars = bars, tbl = tbl,
        surf = surf, focus = 1, playing = false, title = title,
        loss_shift = shift and s.minval[1], -- the loss panel shows f - min, log scale
        speed = opts.speed or math.max(30, r.steps / 10),
        stride = math.max(1, math.ceil(r.steps / LOSS_POINTS)),
    }, View)
    self.last_speed = self.speed
    if shift then self.loss_floor = (s.minval[1] - shift) * 1e-9 end -- delta * 1e-9
    main:on_click(function(x, y, button)
        if button == 1 then self:curvature(x, y) end
    end)
    w:on_key(function(key) self:key(key) end)
    r.view = self
    self:draw()
    return self
end

-- Opens the race's window and starts playing (race{...} calls this).
function view.show(r, opts)
    local self = view.new(r, opts)
    local ok = self.window:show()
    self.shown_window = ok
    self.playing = opts.play ~= false
    if self.playing then self:start() end
    return self
end

return view
