-- doc/seq.lua: help entries of the sequence layers and their views (lua/nn_seq.lua,
-- src/repl/bind_seq.c, src/engine/mod_rnn.c and mod_embedding.c).
return {
  ["nn.embedding"] = {
    sig = "nn.embedding(vocab, dim [, {padding =}])",
    summary = "ids [batch, T] -> vectors [batch, T, dim]: row id of a learned table [vocab, dim]",
    text = [[
Ids are whole numbers 0 .. vocab-1 (a one-hot input times a weight matrix, without
making the one-hot vectors); vocab x dim parameters: 5000 words of 32 numbers are the
course's 160,000. padding = 0 makes id 0 the padding: it maps to zeros and its row
never learns, so that a recurrent layer with mask = true skips padded steps.]],
    example = [[
e = nn.embedding(5000, 32, {padding = 0}); print(e:nparams())   --> 160000
print(e:predict(nn.tensor{{0, 0, 7, 42}}):shape()[3])          --> 32]],
  },
  ["nn.rnn"] = {
    sig = "nn.rnn(in, hidden [, {activation =, bidirectional =, layers =, output =, mask =, bptt =, init =}])",
    summary = "a vanilla recurrent layer h_t = tanh(W [h_{t-1}, x_t] + b) over [batch, T, in]",
    text = [[
The same weights at every step. output = "last" (default) gives the last real step's
state [batch, hidden]; "all" gives every step's [batch, T, hidden]. activation "tanh"
(default) or "relu"; bidirectional = true adds a pass from the end (outputs side by
side: 2 hidden); layers = n stacks n layers. mask = true treats a step whose inputs are
all zero as padding, before or after the real steps (it carries the state and outputs
zeros). bptt = k truncates backpropagation through time: gradients flow back at most
within segments of k steps (0, the default: the whole sequence). m(n + m + 1)
parameters for n inputs and m units.]],
    example = [[
r = nn.rnn(3, 8); print(r:nparams())                      --> 96
y = r:predict(nn.randn{2, 5, 3}); print(y:shape()[2])     --> 8]],
  },
  ["nn.lstm"] = {
    sig = "nn.lstm(in, hidden [, {bidirectional =, layers =, output =, mask =, bptt =, init =}])",
    summary = "the LSTM of the lecture slides (forget, input and output gates, cell state) over [batch, T, in]",
    text = [[
  f_t = sig(W_f [h_{t-1}, x_t] + b_f), i_t = sig(W_i [..] + b_i), C~_t = tanh(W_C [..] + b_C),
  C_t = f_t * C_{t-1} + i_t * C~_t, o_t = sig(W_o [..] + b_o), h_t = o_t * tanh(C_t).

4m(n + m + 1) parameters: the IMDB model's 4 * 100 * (100 + 32 + 1) = 53,200. The forget
gate's bias starts at 1. Options as nn.rnn's. Computed fused: the input part of every
step in one matrix product, then one product a step for all four gates.]],
    example = [[
m = nn.sequential{nn.embedding(5000, 32), nn.lstm(32, 100), nn.linear(100, 1), nn.sigmoid()}
m:summary()                         -- 160,000 + 53,200 + 101 parameters
print(nn.lstm(32, 100, {bidirectional = true, output = "all"}):nparams())   --> 106400]],
  },
  ["nn.gru"] = {
    sig = "nn.gru(in, hidden [, {bidirectional =, layers =, output =, mask =, bptt =, init =}])",
    summary = "the GRU of the textbook (reset and update gates, no cell state) over [batch, T, in]",
    text = [[
  r_t = sig(W_xr x_t + W_hr h_{t-1} + b_r), z_t = sig(W_xz x_t + W_hz h_{t-1} + b_z),
  h~_t = tanh(W_xh x_t + r_t * (W_hh h_{t-1}) + b_h), h_t = (1 - z_t) * h_{t-1} + z_t * h~_t.

3m(n + m + 1) parameters. Options as nn.rnn's.]],
    example = [[
g = nn.gru(32, 100); print(g:nparams())   --> 39900]],
  },
  ["nn.trace"] = {
    sig = "nn.trace(model, what [, {layer =, direction =, sample =}])",
    summary = "a recurrent layer's states or gates over time in its last forward, as a [T, hidden] tensor",
    text = [[
what: "h" (hidden states), "c" (an LSTM's cell states) or a gate: "f", "i", "g" (the
candidate C~), "o" of an LSTM; "r", "z", "n" (the candidate h~) of a GRU. model is the
layer or a model holding one (the first is read). sample picks the sequence of the
batch (1 by default); padding steps read 0 for the gates. Run m:predict(x) first.]],
    example = [[
nn.seed(1); m = nn.lstm(2, 4); m:predict(nn.randn{1, 6, 2})
print(nn.trace(m, "f"):shape()[1])   --> 6]],
  },
  ["nn.grad_norms"] = {
    sig = "nn.grad_norms(model)",
    summary = "||dL/dh_t|| at each time step t of the last backward: how far back the gradient reaches",
    text = [[
Read after a training step (m:fit, run:step) from the top recurrent layer of model, forward
direction, in time order. With the loss on the last step and recurrent weights below 1
the norms shrink going back in time (vanishing), above 1 they grow (exploding).]],
    example = [[
nn.seed(1)
d = data.from(nn.randn{16, 10, 1}, nn.randn{16, 1})
m = nn.sequential{nn.rnn(1, 4), nn.linear(4, 1)}
m:fit{d, loss = nn.mse, epochs = 1, verbose = false}
print(#nn.grad_norms(m))   --> 10]],
  },
  ["plot.gates"] = {
    sig = "plot.gates(model, x [, {sample =, layer =, direction =, run =, fps =, title =, show =}])",
    summary = "a recurrent layer's gates, cell and hidden states on input x as heat maps (units by time steps)",
    text = [[
One map each: forget, input, candidate, output, cell and hidden for an LSTM; reset,
update, candidate and hidden for a GRU; hidden for a vanilla RNN. Rows are units, columns
time steps. With run = (a fit running at the prompt) the maps are redrawn while it
trains, at most fps (4) times a second.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.lstm(1, 6), nn.linear(6, 1)}
p = plot.gates(m, nn.randn{1, 12, 1}, {show = false}); p:save("gates.png")]],
  },
  ["plot.grad_norms"] = {
    sig = "plot.grad_norms(model [, {ylog =, title =, show =}])",
    summary = "||dL/dh_t|| against the time step t of the last backward (log scale)",
    text = [[
The view of nn.grad_norms: vanishing gradients fall towards the first steps, exploding
ones climb.]],
    example = [[
nn.seed(1)
d = data.from(nn.randn{16, 10, 1}, nn.randn{16, 1})
m = nn.sequential{nn.rnn(1, 4), nn.linear(4, 1)}
m:fit{d, loss = nn.mse, epochs = 1, verbose = false}
p = plot.grad_norms(m, {show = false}); p:save("norms.png")]],
  },
  ["nn.seq_cross_entropy"] = {
    sig = "nn.seq_cross_entropy(y, t)",
    summary = "cross-entropy at every step of [batch, T, C] logits against [batch, T] classes; a negative class is padding, ignored",
    text = [[
The loss of a language model or a tagger: -log softmax(y_t)[t_t] averaged over the real
steps (padding, a target below 0, counts nowhere, so it changes neither the loss nor
the gradient's size). Give it to fit as loss = nn.seq_cross_entropy, with a model whose
output is [batch, T, C] (a recurrent layer with output = "all", then nn.linear(H, C),
which works on each step) and targets [batch, T]. In fit only: at the prompt,
nn.cross_entropy on y:reshape{-1, C} and t:reshape{-1, 1} gives the unpadded value.]],
    example = [[
nn.seed(1)
x = nn.tensor{{1, 2, 3, 0}, {3, 1, 0, 0}}               -- ids, 0 = padding
y = nn.tensor{{2, 3, 1, -1}, {1, 2, -1, -1}}             -- next ids, -1 = padding
m = nn.sequential{nn.embedding(4, 8, {padding = 0}), nn.lstm(8, 16, {output = "all", mask = true}), nn.linear(16, 4)}
run = m:fit{data.from(x, y), loss = nn.seq_cross_entropy, optimizer = optim.adam(m, {lr = 0.05}), epochs = 60, verbose = false}
print(run:status().last_loss < 0.5)   --> true]],
  },
}
