-- test_present.lua: what a lecturer needs (issue 20), without a display: the projector
-- switch that every new window obeys, the playground's status line and pg:reset(), a
-- playground from a saved model, the loss view's log scale and warning when a run
-- diverges, a lesson's caption step, and the example demo script loading as a lesson.
local plot = require "plot"
local playground = require "playground"
local lesson = require "lesson"
local train = require "nn.train"
local nncore = require "nn.core"

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end
local dir = os.getenv("TMPDIR") or "/tmp"

-- The projector switch: windows opened after it obey it; off again, they do not.
do
  local was = plot.projector()
  plot.projector(true)
  local p = plot.lines{ y = { 1, 2 }, show = false }
  local w = plot.window{ p, show = false }
  expect(w:projector() == true, "a window opened after plot.projector(true) is not in projector mode")
  plot.projector(false)
  expect(w:projector() == false, "plot.projector(false) left an open window in projector mode")
  local w2 = plot.window{ plot.lines{ y = { 1 }, show = false }, show = false }
  expect(w2:projector() == false, "a new window is in projector mode after plot.projector(false)")
  local ok, err = pcall(plot.defaults, { projecter = true })
  expect(not ok and err:find("projector"), "plot.defaults took an unknown key: %s", tostring(err))
  ok, err = pcall(plot.window, { plot.lines{ y = { 1 }, show = false }, show = false, display = 0 })
  expect(not ok and err:find("display"), "display = 0 was taken: %s", tostring(err))
  plot.projector(was)
end

-- Exports in projector lettering: a window's PNG (and so its recorded frames, drawn the
-- same way) follows the projector switch.
do
  local png = require "views.core"
  local p = plot.lines{ y = { 1, 3, 2 }, title = "loss", show = false }
  local w = plot.window{ p, show = false, width = 640, height = 400 }
  local function ink(projector)
    w:projector(projector)
    local path = dir .. "/nnlab-test-present-export.png"
    w:save(path)
    local img = assert(png.read_png(path))
    os.remove(path)
    local n = 0
    for y = 0, 59 do for x = 0, 639 do
      local r = img:pixel(x, y)
      if r < 80 then n = n + 1 end
    end end
    return n
  end
  local plain, big = ink(false), ink(true)
  expect(big > plain * 1.3, "the title's ink: %d plain, %d in projector lettering", plain, big)
end

-- The playground's line of figures; pg:reset() gives new weights and a new curve.
do
  local pg = playground{ data = "xor", hidden = { 3 }, epochs = 4, seed = 2, show = false }
  local line = pg._status
  expect(type(line) == "string", "the playground set no status line")
  for _, want in ipairs{ "epoch 4", "train loss 0%.%d+", "test loss 0%.%d+", "lr 0.03", "layers 2%-3%-1" } do
    expect(line:find(want), "status %q lacks %q", line, want)
  end
  local w1 = pg.model:children()[1]:param(1):totable()[1][1]
  pg:reset()
  local w2 = pg.model:children()[1]:param(1):totable()[1][1]
  expect(w1 ~= w2, "pg:reset() kept the weights (%g)", w1)
  expect(pg._epochs == 0, "pg:reset() kept the epoch count")
  expect(pg.views.loss.diverged == false, "a reset view is marked diverged")
end

-- A run that diverges: the loss view turns to a log scale, titles it and says so once;
-- a loss that only wobbles is not flagged. (A real run that reaches NaN stops with its
-- own message; the view watches the epochs' losses it draws.)
do
  local pg = playground{ data = "xor", hidden = { 3 }, epochs = 2, seed = 2, show = false }
  local v = pg.views.loss
  local said = {}
  local real_print = print
  print = function(...) said[#said + 1] = table.concat({ ... }, " ") end
  v:undiverge()
  v:_watch_divergence({ loss = { 0.7, 0.5, 0.45, 0.6, 0.44 } }, 0)
  expect(v.diverged == false, "a wobble was taken for a divergence")
  v:undiverge()
  v:_watch_divergence({ loss = { 0.7, 0.5, 0.45, 90, 1e4 } }, 0)
  v:_watch_divergence({ loss = { 0.7, 0.5, 0.45, 90, 1e4, 1e6 } }, 0)
  print = real_print
  expect(v.diverged == true, "a loss 200 times its lowest was not flagged")
  expect(#said == 1 and said[1]:find("diverging") and said[1]:find("log scale"),
    "the terminal was told: %s", table.concat(said, " | "))
  v:undiverge()
  expect(v.diverged == false, "undiverge() left the mark")
end

-- playground{model = file}: a net trained before class, its widths as hidden.
do
  nncore.seed(5)
  local m = train.sequential{ train.linear(2, 5, "xavier_uniform", 0, 0, "zeros"), train.activation("tanh"),
    train.linear(5, 1, "xavier_uniform", 0, 0, "zeros") }
  local path = dir .. "/nnlab-test-present.nnl"
  train.save(m, path)
  expect(io.open(path) ~= nil, "the model file was not written")
  local w0 = m:children()[1]:param(1):totable()[1][1]
  local pg = playground{ data = "xor", model = path, epochs = 1, show = false }
  expect(#pg.hidden == 1 and pg.hidden[1] == 5, "hidden from the model: {%s}", table.concat(pg.hidden, ", "))
  expect(pg._status:find("layers 2%-5%-1"), "status %q", pg._status)
  local pg2 = playground{ data = "xor", model = m, epochs = 0 + 1, show = false, lr = 1e-9, speed = 0 }
  local w1 = pg2.model:children()[1]:param(1):totable()[1][1]
  expect(math.abs(w1 - w0) < 1e-3, "the given net's weights were not kept: %g then %g", w0, w1)
  os.remove(path)
  local ok, err = pcall(playground, { data = "blobs", classes = 3, model = m, epochs = 1, show = false })
  expect(not ok and err:find("outputs"), "a 1-output net on 3 classes was taken: %s", tostring(err))
  ok, err = pcall(playground, { data = "xor", model = dir .. "/no-such-model.nnl", show = false })
  expect(not ok and err:find("cannot load"), "a missing file: %s", tostring(err))
end

-- A lesson's caption step sets plot.caption for its page; the next page clears it.
do
  local f = dir .. "/nnlab-test-present-lesson.lua"
  local h = assert(io.open(f, "w"))
  h:write('lesson{"cap", "Captions"}\nsay[[one]]\ncaption[[the key formula]]\npause()\nsay[[two]]\npause()\n')
  h:close()
  local state = dir .. "/nnlab-test-present-state"
  os.execute("mkdir -p " .. state)
  local caps = {}
  local real = plot.caption
  plot.caption = function(t) caps[#caps + 1] = tostring(t); return real(t) end
  local state_dir = lesson._state_dir
  lesson._state_dir = function() return state end
  local write = lesson._write
  lesson._write = function() end
  local env = setmetatable({}, { __index = _G })
  lesson.start(f, { env = env, page = 1 })
  expect(caps[#caps] == "the key formula", "page 1 set caption %s", tostring(caps[#caps]))
  lesson.next()
  expect(caps[#caps] == "nil", "page 2 kept the caption: %s", tostring(caps[#caps]))
  lesson._write = write
  lesson._state_dir = state_dir
  plot.caption = real
  os.remove(f)
  os.execute("rm -rf " .. state)
end

-- The repository's demo script loads as a lesson, with captions and pauses.
do
  local here = debug.getinfo(1, "S").source:match("^@(.*)/tests/lua/") or "."
  local L = lesson.load(here .. "/demos/lecture.lua")
  local kinds = {}
  for _, s in ipairs(L.steps) do kinds[s.kind] = (kinds[s.kind] or 0) + 1 end
  expect((kinds.caption or 0) >= 4 and (kinds.pause or 0) >= 4, "demo steps: %d captions, %d pauses",
    kinds.caption or 0, kinds.pause or 0)
end

print("present: projector switch, status line, reset, divergence, model option, captions, demo")
