-- char_lstm.lua [steps] [rounds]: the Char-LSTM training step of issue 14 in nnlab:
-- embedding 32 of 128 characters, LSTM 128 (every step's output), a dense layer to
-- the 128 characters at each step, per-step cross-entropy, Adam (lr 0.002), sequences
-- of 32, batch 32. Random ids (the timing does not depend on the text). Prints
-- "nnlab step_ms MS" (the best of rounds, each steps steps after one warm-up epoch).
local steps, rounds = tonumber(arg[1]) or 50, tonumber(arg[2]) or 3
local V, E, H, T, B = 128, 32, 128, 32, 32
local now = require("repl.core").now
nn.seed(1)
local n = B * steps
math.randomseed(1)
local function ids()
  local rows = {}
  for i = 1, n do
    local r = {}
    for t = 1, T do r[t] = math.random(0, V - 1) end
    rows[i] = r
  end
  return nn.tensor(rows)
end
local x, y = ids(), ids()
local set = data.from(x, y)
local m = nn.sequential{nn.embedding(V, E), nn.lstm(E, H, {output = "all"}), nn.linear(H, V)}
local opt = optim.adam(m, {lr = 0.002})
local fit = {set, loss = nn.seq_cross_entropy, optimizer = opt, epochs = 1, batch = B, verbose = false}
m:fit(fit) -- warm-up: buffers grow to their size once
local best = math.huge
for _ = 1, rounds do
  local t0 = now()
  m:fit(fit)
  best = math.min(best, (now() - t0) * 1000 / steps)
end
print(("nnlab step_ms %.3f"):format(best))
