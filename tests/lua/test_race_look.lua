-- test_race_look.lua: what a race shows, read back as pixels and text: no racer's path
-- or head hides under another's, long legends sit beside the plot, light colours
-- (yellow) get a dark edge, the step view draws in colours no racer has and labels its
-- ticks with few digits, the table says "stalled" for a racer that makes no progress
-- and speaks of no minimum on a saddle, and every race object prints one line.
local race = require "race"
local plot = require "plot"
local png = require "views.core"

local dir = os.getenv("TMPDIR") or "/tmp"
local function tmp(name) return ("%s/nnlab-race-look-%s.png"):format(dir, name) end
local W, H = 640, 560

local function expect(cond, fmt, ...)
    if not cond then error(fmt:format(...), 2) end
end

-- The viz's series colours (colormap.c), as r, g, b.
local SERIES = {{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {230, 159, 0},
    {86, 180, 233}, {0, 0, 0}, {240, 228, 66}, {136, 34, 85}, {17, 119, 51}}

local function near(r, g, b, c, tol)
    return math.abs(r - c[1]) <= tol and math.abs(g - c[2]) <= tol and math.abs(b - c[3]) <= tol
end

-- Pixels of colour c (within tol per channel) in x0 <= x < x1, y0 <= y < y1.
local function count(img, c, x0, y0, x1, y1, tol)
    local n = 0
    for y = y0, y1 - 1 do
        for x = x0, x1 - 1 do
            local r, g, b = img:pixel(x, y)
            if near(r, g, b, c, tol) then n = n + 1 end
        end
    end
    return n
end

local tests = {}

function tests.the_table_says_stalled_and_a_saddle_has_no_minimum_column()
    local r = race.new{surface = "rosenbrock", steps = 200,
        optimizers = {{"gd", lr = 1e-6}, {"adam", lr = 0.05}}}
    r:advance()
    local t = r:table()
    expect(t:find("gd%s.-stalled"), "gd at lr 1e-6 does not move: %s", t)
    expect(not t:find("adam%s.-stalled"), "adam moves: %s", t)
    expect(r:table(true):find("stalled"), "the window's table too")
    local s = race.new{surface = "saddle", steps = 50}
    s:advance()
    local st = s:table()
    expect(not st:find("steps") and not st:find("minimum", 1, true), "a saddle's table: %s", st)
    expect(s:table(true):find("^no minimum in the view"), "the compact one says why: %s", s:table(true))
end

function tests.every_race_object_prints_one_line()
    local r = race.new{surface = "rosenbrock", steps = 120, optimizers = {"gd", "momentum", "adam"}}
    r:advance()
    local line = tostring(r)
    expect(line == "race on rosenbrock: 3 racers, step 120/120, at the end", "race: %s", line)
    local rl = tostring(r.racers[3])
    expect(rl:find("^racer adam %(adam, lr ") and not rl:find("\n"), "racer: %s", rl)
    -- the prompt prints what r:advance() returns with repl.repr
    local shown = repl.repr(r:advance())
    expect(shown == line, "the prompt shows %s", shown)
    expect(not repl.repr(r:close()):find("\n"), "r:close() prints one line")
end

function tests.a_legend_of_many_racers_goes_beside_the_plot_and_yellow_has_an_edge()
    local opts = {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam",
        "rprop", "sgd"}
    local r = race{surface = "rosenbrock", steps = 100, optimizers = opts, show = false}
    r:rewind(100)
    local main = r.view.main
    main:save(tmp("main"), W, H)
    local img = assert(png.read_png(tmp("main")))
    -- the plot area ends where x = box max is drawn; the legend's samples lie right of
    -- it (rprop, the 9th, in wine: its path is inside, but its sample is only outside)
    local right = 0
    for x = W - 1, 0, -1 do
        local dx = main:to_data(x, H // 2, W, H)
        if dx and dx <= r.surface.box[2] then right = x; break end
    end
    expect(right > 0, "no plot area found")
    expect(count(img, SERIES[9], right + 40, 0, W, H, 10) > 20, "rprop's legend sample beside the plot")
    expect(count(img, SERIES[10], right + 40, 0, W, H, 10) > 20, "sgd's legend sample beside the plot")
    -- yellow, the 8th series colour, has a dark edge: a flat yellow line alone in
    -- its column, seen from above and below
    local lp = plot.lines{show = false}
    for k = 1, 7 do lp:add("s" .. k, {0, 1}, {10, 10}) end
    lp:add("yellow", {0, 1}, {0, 0})
    lp:range("y", -1, 1)
    lp:save(tmp("yellow"), W, H)
    local li = assert(png.read_png(tmp("yellow")))
    local col = W // 3
    local top, bottom
    for y = 0, H - 1 do
        local rr, gg, bb = li:pixel(col, y)
        if near(rr, gg, bb, SERIES[8], 12) then top = top or y; bottom = y end
    end
    expect(top, "no yellow line in column %d", col)
    local ra, ga, ba = li:pixel(col, top - 1)
    local rb, gb, bb = li:pixel(col, bottom + 1)
    expect(math.max(ra, ga, ba) < 150 and math.max(rb, gb, bb) < 150,
        "dark above (%d,%d,%d) and below (%d,%d,%d) the yellow line", ra, ga, ba, rb, gb, bb)
end

function tests.identical_paths_and_heads_stay_visible()
    -- two racers on the same path: the first (blue) is drawn wider, so it still shows
    -- along the second's (vermillion) path, and the heads are apart
    local r = race{surface = "bowl", steps = 30, show = false,
        optimizers = {{"gd", label = "first"}, {"gd", label = "second"}}}
    r:rewind(8)
    r.view.main:save(tmp("twins"), W, H)
    local img = assert(png.read_png(tmp("twins")))
    local x0, y0 = r.view.main:to_data(W * 0.4, H * 0.4, W, H)
    local x1, y1 = r.view.main:to_data(W * 0.6, H * 0.6, W, H)
    local function pixel(x, y)
        return math.floor(W * 0.4 + (x - x0) / (x1 - x0) * W * 0.2),
            math.floor(H * 0.4 + (y - y0) / (y1 - y0) * H * 0.2)
    end
    -- along the path (not in the legend): both colours, around every point drawn
    local blue, red = 0, 0
    for t = 2, 8 do
        local px, py = pixel(r.racers[1].x[t], r.racers[1].y[t])
        blue = blue + count(img, SERIES[1], px - 3, py - 3, px + 4, py + 4, 12)
        red = red + count(img, SERIES[2], px - 3, py - 3, px + 4, py + 4, 12)
    end
    expect(red > 20 and blue > 10, "both racers show along the path: %d blue and %d vermillion pixels", blue, red)
    -- the heads at the start, where both are and no path is yet: the blue head's
    -- disc is not covered by the vermillion one
    r:rewind(0)
    r.view.main:save(tmp("twins-start"), W, H)
    img = assert(png.read_png(tmp("twins-start")))
    local px, py = pixel(r.racers[1].x[1], r.racers[1].y[1])
    local around = count(img, SERIES[1], px - 14, py - 14, px + 15, py + 15, 12)
    expect(around > 15, "the first racer's head shows beside the second's: %d pixels", around)
    -- and on the 3-D view
    r.view.surf:save(tmp("twins-3d"), W, H)
    local img3 = assert(png.read_png(tmp("twins-3d")))
    local blue3 = count(img3, SERIES[1], 0, 0, W, H, 12)
    expect(blue3 > 15, "the first racer's head on the 3-D view: %d pixels", blue3)
end

function tests.the_step_view_has_no_racers_colour_and_short_ticks()
    local r = race{surface = "bowl", steps = 60, show = false, optimizers = {"gd", "momentum", "adam"}}
    r:rewind(5)
    local sv = r.view.stepv
    sv:save(tmp("step"), W, H)
    local img = assert(png.read_png(tmp("step")))
    for i = 1, 3 do
        local n = count(img, SERIES[i], 0, 0, W, H, 6)
        expect(n < 5, "racer %d's colour in the step view: %d pixels", i, n)
    end
    -- a racer that stopped moving: the view spans at least 1e-4 of the box, so its
    -- ticks need a few digits
    local s = race{surface = "bowl", steps = 400, show = false, optimizers = {{"gd", lr = 0.5}}}
    s:rewind(400)
    s.view.stepv:save(tmp("step-stopped"), W, H)
    local xa = s.view.stepv:to_data(W * 0.2, H // 2, W, H)
    local xb = s.view.stepv:to_data(W * 0.6, H // 2, W, H)
    local b = s.surface.box
    expect(math.abs(xb - xa) * 2.5 > 1e-4 * (b[2] - b[1]),
        "the step view of a still racer spans %g (box %g)", math.abs(xb - xa) * 2.5, b[2] - b[1])
end

function tests.the_table_panel_keeps_its_text_inside()
    local r = race{surface = "saddle", steps = 200, show = false}
    r:rewind(200) -- five racers left the view: long messages under the table
    local tw, th = 300, 260
    r.view.tbl:save(tmp("table"), tw, th)
    local img = assert(png.read_png(tmp("table")))
    local edge, ink = 0, 0
    for y = 0, th - 1 do
        for x = 0, tw - 1 do
            local rr, gg, bb = img:pixel(x, y)
            if rr + gg + bb < 300 then
                ink = ink + 1
                if x >= tw - 4 or y >= th - 3 then edge = edge + 1 end
            end
        end
    end
    expect(ink > 500, "the table is drawn: %d dark pixels", ink)
    expect(edge == 0, "%d dark pixels at the panel's right or bottom edge: the text ran off", edge)
end

local names = {}
for name in pairs(tests) do names[#names + 1] = name end
table.sort(names)
local failed = 0
for _, name in ipairs(names) do
    local ok, err = xpcall(tests[name], debug.traceback)
    if not ok then
        failed = failed + 1
        io.stderr:write(("FAIL %s: %s\n"):format(name, err))
    end
end
if failed > 0 then error(("%d of %d race look tests failed"):format(failed, #names)) end
print(("ok: %d race look tests"):format(#names))
