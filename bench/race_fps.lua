-- race_fps.lua: frames per second of an optimizer race's window: 10 optimizers, 1000
-- steps, every frame one more step, the window redrawn through the real path
-- (viz_app_pump redraws the panels whose version moved). Two figures: as the
-- animation draws (trajectories, heads and loss curves, step view and bars every
-- frame; the 3-D view with its paths and the table every 4th), and full frames
-- (every panel every frame, as a seek or a step key draws). Run without a screen:
--   SDL_VIDEODRIVER=dummy build/nnlab bench/race_fps.lua [frames]
-- A window redraws at most 60 times a second, and waits five times its last redraw's
-- time before the next (so that it never takes more than a fifth of the time); so each
-- pump is called after both, and timed on its own: every frame is redrawn. The figure
-- is 1000 / (update + redraw) ms, what the race could draw without those limits. Times are the process's CPU time
-- (os.clock), so that other programs on a busy machine do not count; the wall-clock
-- figure is printed too.
local race = require "race"
local plot = require "plot"
local now = require("repl.core").now

local frames = tonumber(arg and arg[1]) or 1000
local ok, why = plot.display()
if not ok then
    print("race_fps: no display (" .. tostring(why) .. "); run with SDL_VIDEODRIVER=dummy")
    return
end

local r = race{surface = "rosenbrock", steps = 1000, show = false,
    optimizers = {"gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam",
                  "nadam", "rprop"}}
local t0 = now()
r:advance()
local compute = now() - t0
r:show{play = false}
local v = r.view

-- the prompt's hook would redraw windows from inside long Lua code; here only the
-- explicit pump below redraws, so that update and redraw are timed apart
require("repl.core").foreground(false)
local cpu = os.clock

-- Times `frames` frames, each one step further. playing = true draws them as the
-- animation does (the 3-D view and the table every SLOW_EVERY-th frame); false draws
-- every panel every frame (a full frame, as a step with . or a seek draws it).
local function measure(playing)
    v.playing = playing -- the job itself is not started: the loop below is the animation
    r:_seek(0)
    v:draw(true)
    plot.pump()
    local update, redraw, wall, last, gap = 0, 0, 0, now(), 0
    for k = 1, frames do
        local a, wa = cpu(), now()
        v:seek(k % (r.steps + 1))
        local b, wb = cpu(), now()
        while now() - last < math.max(0.0175, gap) do end -- past the window's limits
        local c, wc = cpu(), now()
        plot.pump()
        local d, wd = cpu(), now()
        last, gap = wd, 5.5 * (wd - wc)
        update, redraw = update + (b - a), redraw + (d - c)
        wall = wall + (wb - wa) + (wd - wc)
    end
    local per = (update + redraw) / frames
    print(("race_fps: %s, %d frames at 1500 x 900: update %.2f ms + redraw %.2f ms = %.2f ms a frame, %.0f frames/s (wall clock %.2f ms, %.0f frames/s)")
        :format(playing and "as played (3-D view and table every 4th frame)" or "full frames (every panel every frame)",
            frames, update / frames * 1e3, redraw / frames * 1e3, per * 1e3, 1 / per,
            wall / frames * 1e3, frames / wall))
end

print(("race_fps: 10 optimizers x 1000 steps computed in %.1f ms"):format(compute * 1e3))
measure(true)
measure(false)
