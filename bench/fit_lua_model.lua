-- fit_lua_model.lua: the time of a step of fit for a model written in Lua (a sequential
-- holding a Lua module, so each step calls its forward and back-propagates through
-- autograd): spiral, 1000 points, 3 classes, 2-32-3 tanh and a Lua scale, Adam,
-- batch 32, 20 epochs (640 steps), seed 1. CPU time of the process (os.clock):
--   build/nnlab bench/fit_lua_model.lua
local Scale = {}
Scale.__index = Scale
function Scale:forward(x) return x * self.k end
Scale.__call = Scale.forward
function Scale:parameters() return {self.k} end
local function scale(k) return setmetatable({k = nn.tensor{k}:requires_grad()}, Scale) end

nn.seed(1)
local d = data.spiral{n = 1000, classes = 3, seed = 1}
local m = nn.sequential{nn.linear(2, 32), nn.tanh(), nn.linear(32, 3), scale(1.0)}
local opt = optim.adam(m, {lr = 0.01})
local t0 = os.clock()
local run = m:fit{d, optimizer = opt, epochs = 20, batch = 32, verbose = false}
local t, steps = os.clock() - t0, run:status().step
local h = run.history
print(("lua model fit: %d steps in %.3f s (%.1f us/step), final loss %.4f acc %.3f"):format(
  steps, t, t / steps * 1e6, h.loss[#h.loss], h.acc[#h.acc]))
