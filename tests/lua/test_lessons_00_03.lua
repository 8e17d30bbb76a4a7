-- test_lessons_00_03.lua: lessons 00 to 03 carry wrong answers for every task, and
-- every one of them fails its check with a message while the reference solution
-- passes (lesson.check_file runs both); and the numbers the lessons' text rests on
-- are what the runs give: step(0) = 0 in lesson 01, lesson 03 and nn.step; the
-- backward signal of ReLU nets under Xavier's and He's initialisation; the BPN's
-- stuck starts, epochs and learning rates of lesson 02; nn.bce taking logits.
local lesson = require "lesson"
local lib = require "lessonlib_00_03"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local dir = here .. "/../../lessons"
lesson._colour = false

local function near(a, b, tol) return math.abs(a - b) <= tol * math.max(1, math.abs(b)) end

---------------------------------------------------------------------------------
-- Wrong answers: at least two per task, each refused with a message
---------------------------------------------------------------------------------
local files = { "00_welcome", "01_perceptron", "02_backprop", "03_activations" }
local loaded = {}
for _, name in ipairs(files) do
  local path = dir .. "/" .. name .. ".lua"
  local L = lesson.load(path)
  loaded[name] = L
  local tasks = 0
  for _, s in ipairs(L.steps) do
    if s.kind == "task" then
      tasks = tasks + 1
      assert(#s.wrong >= 2, ("%s:%d: the task has %d wrong answers; it needs at least two"):format(name, s.line, #s.wrong))
      for k, w in ipairs(s.wrong) do
        assert(w[1]:match("%S"), ("%s:%d: wrong answer %d does not say what the student did"):format(name, s.line, k))
      end
    end
  end
  assert(tasks > 0, name .. ": no tasks found")
  -- the headless run: every wrong answer fails with a message, the solution passes
  local saved_print = print
  local ok, res = lesson.check_file(path)
  print = saved_print
  assert(ok, ("%s: %s"):format(name, tostring(res)))
end

-- a check that accepted a wrong answer would make check_file fail: prove it once
-- with lesson 02's numgrad, whose old check (x² only) let an h-ignoring one pass
do
  local L = loaded["02_backprop"]
  local numgrad_task
  for _, s in ipairs(L.steps) do
    if s.kind == "task" and s.prompt:match("numgrad") then numgrad_task = s end
  end
  assert(numgrad_task, "lesson 02 has no numgrad task")
  local env = setmetatable({}, { __index = _G })
  assert(load([[function numgrad(fn, x, h) return (fn(x + 1e-5) - fn(x - 1e-5)) / 2e-5 end]], "=t", "t", env))()
  local pass, msg = numgrad_task.check(env)
  assert(not pass and msg:match("ignores the h"), "numgrad that ignores h: " .. tostring(msg))
  assert(load([[function numgrad(fn, x, h) h = h or 1e-5; return (fn(x + h) - fn(x - h)) / (2 * h) end]], "=t", "t", env))()
  assert(numgrad_task.check(env) == true, "the centred numgrad must pass")
end

---------------------------------------------------------------------------------
-- step(0) = 0 in lesson 01, in lesson 03's table and in nn.step
---------------------------------------------------------------------------------
do
  assert(nn.step(nn.tensor{0}):totable()[1] == 0, "nn.step(0) must be 0")
  local env = setmetatable({}, { __index = _G })
  local found = false
  for _, s in ipairs(loaded["01_perceptron"].steps) do
    if s.kind == "show" and s.code:match("function step%(") then
      assert(load(s.code, "=lesson01", "t", env))()
      found = true
      break
    end
  end
  assert(found and env.step(0) == 0 and env.step(1e-9) == 1, "lesson 01's step(0) must be 0, step(>0) 1")
  local text = ""
  for _, s in ipairs(loaded["03_activations"].steps) do
    if s.kind == "say" then text = text .. s.text end
  end
  assert(text:find("f = 1 if x > 0 else 0", 1, true), "lesson 03's table must define step as 1 if x > 0")
  assert(not text:find("1 if x ≥ 0", 1, true), "lesson 03 must not say step is 1 at 0")
  assert(text:find("step(0) = 0", 1, true), "lesson 03 must say step(0) = 0")
end

---------------------------------------------------------------------------------
-- Lesson 03: the backward signal, sigmoid against ReLU under Xavier and He
---------------------------------------------------------------------------------
do
  local function ratio(act, init, seed)
    local n = lib.backward_signal(act, init, seed)
    assert(#n == 10, "backward_signal returns one norm per layer")
    return n[10] / n[1]
  end
  -- the lesson's run (seed 7): "hundreds of thousands", "about 20", "about 1"
  local sig, xav, he = ratio("sigmoid", "xavier_normal"), ratio("relu", "xavier_normal"), ratio("relu", "he_normal")
  assert(sig > 1e5 and sig < 1e6, "sigmoid's layer-10/layer-1 ratio: " .. sig)
  assert(xav > 15 and xav < 30, "ReLU with Xavier's weights: " .. xav)
  assert(he > 0.7 and he < 1.4, "ReLU with He's weights: " .. he)
  -- and why: (√2)⁹ ≈ 22.6 under Xavier, 1 under He, on average over starts
  local lx, lh = 0, 0
  for seed = 1, 8 do
    lx = lx + math.log(ratio("relu", "xavier_normal", seed)) / 8
    lh = lh + math.log(ratio("relu", "he_normal", seed)) / 8
  end
  assert(near(math.exp(lx), math.sqrt(2) ^ 9, 0.25), "ReLU, Xavier, geometric mean over 8 starts: " .. math.exp(lx))
  assert(near(math.exp(lh), 1, 0.25), "ReLU, He, geometric mean over 8 starts: " .. math.exp(lh))
  -- the quiz's 0.25¹⁰
  assert(near(0.25 ^ 10, 9.5e-7, 0.01), "0.25^10")
end

---------------------------------------------------------------------------------
-- Lesson 02: the BPN on XOR, its stuck starts, its epochs, its learning rates
---------------------------------------------------------------------------------
do
  local bpn = lib.bpn_xor
  for seed = 1, 2 do
    local epochs, E = bpn{seed = seed, eta = 0.5, tolerance = 0.01, max_epochs = 5000}
    assert(epochs == nil and E > 0.25 and E < 0.27, ("start %d must stop at E ≈ 0.26, got %s, %s"):format(seed, tostring(epochs), E))
  end
  local epochs, E = bpn{seed = 1, eta = 0.5, tolerance = 0.01, max_epochs = 100000}
  assert(epochs == nil and near(E, 0.258, 0.01), "start 1 after 100 000 epochs: E = " .. E)
  for seed = 3, 6 do
    epochs = bpn{seed = seed, eta = 0.5, tolerance = 0.01, max_epochs = 5000}
    assert(epochs and epochs > 1500 and epochs < 3000, ("start %d: about two thousand epochs, got %s"):format(seed, tostring(epochs)))
  end
  -- equal starting weights stay equal: one hidden unit in effect
  local _, E_equal, v = bpn{init = 0.1, eta = 0.5, max_epochs = 5000}
  assert(E_equal > 0.3 and v[1][1] == v[1][2] and v[2][1] == v[2][2], "equal weights must stay equal")
  -- the learning rates: from start 3 about proportional; from start 8 only 0.5 gets there
  local e3 = {}
  for i, eta in ipairs{0.1, 0.5, 2} do e3[i] = bpn{seed = 3, eta = eta, tolerance = 0.01, max_epochs = 10000} end
  assert(e3[1] == 9779 and e3[2] == 1864 and e3[3] == 479, ("start 3: %s %s %s"):format(tostring(e3[1]), tostring(e3[2]), tostring(e3[3])))
  assert(near(e3[1] / e3[2], 5, 0.1) and near(e3[2] / e3[3], 4, 0.1), "start 3: epochs about in proportion to η")
  local s8a, E8a = bpn{seed = 8, eta = 0.1, tolerance = 0.01, max_epochs = 10000}
  local s8b = bpn{seed = 8, eta = 0.5, tolerance = 0.01, max_epochs = 10000}
  local s8c, E8c = bpn{seed = 8, eta = 2, tolerance = 0.01, max_epochs = 10000}
  assert(s8a == nil and E8a > 0.45, "start 8, η = 0.1: still on the plateau E ≈ 0.5")
  assert(s8b == 3272, "start 8, η = 0.5: " .. tostring(s8b))
  assert(s8c == nil and E8c > 0.3, "start 8, η = 2: stuck")
end

---------------------------------------------------------------------------------
-- nn.bce takes logits (lesson 02 says so, and its check refuses a sigmoid at the end)
---------------------------------------------------------------------------------
do
  local t = nn.tensor{{1}}
  assert(near(nn.bce(nn.tensor{{0}}, t):item(), math.log(2), 1e-5), "bce of logit 0 is ln 2")
  assert(near(nn.bce(nn.tensor{{3}}, t):item(), math.log(1 + math.exp(-3)), 1e-5), "bce applies the sigmoid to its input")
end

print("test_lessons_00_03: ok")
