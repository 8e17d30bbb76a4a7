-- Lesson 17: LSTM and GRU. The gates of the lecture slides as heat maps over time, the
-- parameter count 4m(n + m + 1) of the course notes' IMDB model, and a long-dependency
-- task that the vanilla RNN fails and the LSTM learns.
lesson{"lstm_gru", "LSTM and GRU: gates that keep a memory"}

say[[
# The LSTM cell

A vanilla RNN squeezes its whole memory through h_t = tanh(W [h_{t-1}, x_t] + b) at
every step; the gradient that flows back through T steps is a product of T such
factors and vanishes (lesson 15). The LSTM of the lecture slides adds a **cell
state** C, a conveyor belt that three sigmoid **gates** read and write:

    f_t  = σ(W_f [h_{t-1}, x_t] + b_f)        forget gate: what of C to keep
    i_t  = σ(W_i [h_{t-1}, x_t] + b_i)        input gate: what to write
    C~_t = tanh(W_C [h_{t-1}, x_t] + b_C)     the candidate values
    C_t  = f_t * C_{t-1} + i_t * C~_t
    o_t  = σ(W_o [h_{t-1}, x_t] + b_o)        output gate: what to show
    h_t  = o_t * tanh(C_t)

Where f is near 1 and i near 0, C passes unchanged: that is how a memory (and its
gradient) survives many steps. The GRU of the textbook merges C into h with two
gates, reset r and update z: h_t = (1 − z_t) h_{t-1} + z_t h~_t.
]]

show[[
nn.seed(1)
cell = nn.sequential{nn.lstm(1, 8), nn.linear(8, 1)}
gates_view = plot.gates(cell, nn.randn{1, 20, 1}, {title = "an untrained LSTM on 20 steps of noise"})
]]

say[[
Each map has one row per unit and one column per time step: forget, input,
candidate and output gates, then the cell and the hidden state. Untrained, the
forget gate averages about σ(1) ≈ 0.73 (from about 0.5 to 0.85 here): nnlab starts
its bias at 1, as Keras does, so that the cell remembers by default.
]]

pause()

say[[
# Counting the parameters

Each of the four gates is a dense layer from the n inputs and the m units of
h_{t-1} (plus a bias) to m units: m(n + m + 1) weights a gate, 4m(n + m + 1) in all.
The course notes' IMDB model reads 5000 words embedded in 32 numbers with an LSTM
of 100 units and one dense output.
]]

show[[
imdb = nn.sequential{nn.embedding(5000, 32), nn.lstm(32, 100), nn.linear(100, 1), nn.sigmoid()}
imdb:summary()
]]

task{
  [[Compute the LSTM's parameter count from the formula (n = 32 inputs, m = 100
  units) and set `lstm_params` to it; then the GRU's (three gates) as `gru_params`.]],
  check = function(env)
    local l, g = env.lstm_params, env.gru_params
    if type(l) ~= "number" or type(g) ~= "number" then return false, "set lstm_params and gru_params to numbers" end
    if l == 4 * 100 * (32 + 100) then return false, "each gate also has a bias: n + m + 1 inputs a unit" end
    if l == 100 * (32 + 100 + 1) then return false, "that is one gate; the LSTM has four dense blocks (f, i, C~, o)" end
    if l ~= nn.lstm(32, 100):nparams() then return false, ("lstm_params is %g; it is 4m(n + m + 1)"):format(l) end
    if g ~= nn.gru(32, 100):nparams() then return false, ("gru_params is %g; the GRU has three gates: 3m(n + m + 1)"):format(g) end
    return true
  end,
  hint = "lstm_params = 4 * 100 * (32 + 100 + 1); the GRU has 3 blocks instead of 4.",
  solution = [[
lstm_params = 4 * 100 * (32 + 100 + 1)
gru_params = 3 * 100 * (32 + 100 + 1)]],
  wrong = {
    {"no bias", [[
lstm_params = 4 * 100 * (32 + 100)
gru_params = 3 * 100 * (32 + 100)]]},
    {"one gate", [[
lstm_params = 100 * (32 + 100 + 1)
gru_params = 100 * (32 + 100 + 1)]]},
  },
}

say[[
# A long dependency

Each sequence has 40 steps. The first is +1 or −1 and decides the label; the other
39 are random noise. To answer, a model must carry one number across 39 steps of
distraction. `long_task` (lua/lessonlib_17.lua) makes 512 training and 256 test
sequences; `train` fits a model with Adam for 20 epochs and returns its test
accuracy.
]]

show[[
L17 = require "lessonlib_17"
long_train, long_test = L17.long_task(512, 40, 1), L17.long_task(256, 40, 2)
rnn_acc = L17.train(L17.classifier("rnn"), long_train, long_test)
print(("vanilla RNN: test accuracy %.3f"):format(rnn_acc))
]]

say[[
About chance (0.5): by the last step the vanilla RNN has forgotten the first, and
the gradient that should tell it to remember has vanished on the way back.
]]

task{
  [[Build `my_lstm`: an LSTM of 16 units on the one input a step, then a linear layer
  to one output (the logit). Train it with `L17.train(my_lstm, long_train,
  long_test)` and keep what it returns in `lstm_acc`.]],
  check = function(env)
    local m, acc = env.my_lstm, env.lstm_acc
    if m == nil or type(acc) ~= "number" then return false, "set my_lstm to the model and lstm_acc to L17.train's result" end
    local ok, kinds = pcall(function()
      local k = {}
      for _, c in ipairs(m:children()) do k[#k + 1] = c:info().kind end
      return k
    end)
    if not ok or kinds[1] ~= "lstm" then return false, "my_lstm should start with nn.lstm(1, 16)" end
    local real = env.my_lstm:evaluate(env.long_test, nn.bce).accuracy
    if math.abs(real - acc) > 1e-9 then return false, "lstm_acc is not my_lstm's test accuracy: keep what L17.train returns" end
    if acc < 0.9 then return false, ("test accuracy %.3f: the LSTM should carry the first step across (above 0.9)"):format(acc) end
    return true
  end,
  hint = "my_lstm = nn.sequential{nn.lstm(1, 16), nn.linear(16, 1)}; lstm_acc = L17.train(my_lstm, long_train, long_test)",
  solution = [[
nn.seed(3)
my_lstm = nn.sequential{nn.lstm(1, 16), nn.linear(16, 1)}
lstm_acc = L17.train(my_lstm, long_train, long_test)]],
  wrong = {
    {"a vanilla RNN", [[
nn.seed(3)
my_lstm = nn.sequential{nn.rnn(1, 16), nn.linear(16, 1)}
lstm_acc = L17.train(my_lstm, long_train, long_test)]]},
    {"untrained", [[
nn.seed(3)
my_lstm = nn.sequential{nn.lstm(1, 16), nn.linear(16, 1)}
lstm_acc = my_lstm:evaluate(long_test, nn.bce).accuracy]]},
  },
}

show[[
trained_gates = plot.gates(my_lstm, long_test:x():rows(1, 1),
  {title = "the trained LSTM on a test sequence"})
print("first step of that sequence:", long_test:x():rows(1, 1):totable()[1][1][1])
]]

say[[
In the cell map, look for units that take a value at the first step and hold it to
the end whatever the noise does, with their forget gate near 1 (bright) all along:
such a held value is the memory the RNN could not keep.
]]

say[[
# The GRU on the same task

The GRU's update gate does the forget gate's work: h_t = (1 − z_t) h_{t-1} + z_t h~_t
keeps the state where z is near 0. With its bias at 0, z starts near 0.5 and the
state halves every step: after 39 steps nothing of the first is left, and under the
LSTM's recipe the GRU stays at chance. Started at −2 (z ≈ σ(−2) ≈ 0.12, 88% of the
state kept a step), as the LSTM's forget bias starts at 1, it learns the task too.
]]

show[[
gru_plain = L17.train(L17.classifier("gru"), long_train, long_test)
gru_kept = L17.train(L17.classifier("gru", {update_bias = -2}), long_train, long_test)
print(("GRU, update gate bias 0: test accuracy %.3f; bias -2: %.3f"):format(gru_plain, gru_kept))
]]

quiz{
  [[In the GRU, h_t = (1 − z_t) h_{t-1} + z_t h~_t. Which value of the update gate z_t
  keeps the memory unchanged?]],
  choices = {"z_t = 0", "z_t = 1", "z_t = 0.5", "r_t = 0"},
  answer = 1,
  why = [[With z_t = 0, h_t = h_{t-1}: the state passes through untouched, like an LSTM
  cell whose forget gate is 1 and input gate 0. z_t = 1 replaces it by the candidate.]],
}

say[[
# Next

Lesson 18 tags every word of a sentence with a (bidirectional) LSTM.
]]
