-- playground.lua: the playground workload through the Lua API (m:fit), to show that
-- a fit from the prompt runs at the C loop's speed (no Lua per step). Prints
-- "nnlab-lua playground steps_per_s N". Usage: nnlab bench/playground.lua
local train = data.circle{n = 500, noise = 0.1, seed = 1}
local m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 8), nn.tanh(), nn.linear(8, 1)}
local opt = optim.sgd(m, {lr = 0.03})
local epochs = 4000 -- 50 steps each
local t0 = os.clock()
local run = m:fit{train, loss = nn.bce, optimizer = opt, epochs = epochs, batch = 10, verbose = false}
local t = os.clock() - t0
local steps = run:status().step
print(("nnlab-lua playground steps_per_s %.0f"):format(steps / t))
print(("# nnlab-lua playground: %d steps of m:fit in %.2f s CPU"):format(steps, t))
