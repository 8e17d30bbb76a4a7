-- Lesson 04: losses and outputs. MSE and MAE (and what an outlier does to each),
-- binary and categorical cross-entropy with their sigmoid/softmax outputs, hinge;
-- which output goes with which loss; entropy in bits with the course's numbers
-- (fair coin 1 bit, fair 4-sided die 2 bits, 99% coin 0.08 bits).
lesson{"losses", "Losses and outputs"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b)) end

local function call(env, name, ...)
  local fn = env[name]
  if type(fn) ~= "function" then return nil, ("there is no function `%s` yet"):format(name) end
  local ok, v = pcall(fn, ...)
  if not ok then return nil, ("%s raised an error: %s"):format(name, tostring(v)) end
  return v
end

say[[
# What a loss is

A *loss* measures how wrong one prediction is; the *cost* is its average over the
training set, and training lowers the cost. The loss decides what "wrong" means,
so it must suit the output: a number (regression), a yes/no (two classes) or one
of k classes.

For regression the course uses the mean squared error, and its cousin the mean
absolute error:

    MSE = (1/N) Σ (y_i − t_i)²        MAE = (1/N) Σ |y_i − t_i|
]]

task{
  [[Write `mse(y, t)` and `mae(y, t)` for two Lua tables of numbers of the same
  length (predictions y, targets t).]],
  check = function(env)
    local y, t = {1, 2, 3, 4}, {1.5, 2, 2, 8}
    local m, err = call(env, "mse", y, t)
    if err then return false, err end
    if not near(m, (0.25 + 0 + 1 + 16) / 4) then
      return false, ("mse({1,2,3,4}, {1.5,2,2,8}) = %s; it should be (0.25 + 0 + 1 + 16)/4 = 4.3125"):format(tostring(m))
    end
    local a
    a, err = call(env, "mae", y, t)
    if err then return false, err end
    if not near(a, (0.5 + 0 + 1 + 4) / 4) then
      return false, ("mae({1,2,3,4}, {1.5,2,2,8}) = %s; it should be (0.5 + 0 + 1 + 4)/4 = 1.375"):format(tostring(a))
    end
    return true
  end,
  hint = "Loop over i = 1, #y, add (y[i] - t[i])^2 (or math.abs(y[i] - t[i])), divide by #y.",
  solution = [[
function mse(y, t)
  local s = 0
  for i = 1, #y do s = s + (y[i] - t[i])^2 end
  return s / #y
end
function mae(y, t)
  local s = 0
  for i = 1, #y do s = s + math.abs(y[i] - t[i]) end
  return s / #y
end]],
}

say[[
# An outlier

Fit one constant c to the data {1, 2, 3, 4, 100}. The c with the least MSE is the
*mean*; the c with the least MAE is the *median*. Squaring makes the one far
point dominate: MSE is easy to differentiate and has a single minimum, but it is
not robust to outliers.
]]

show[[
points = {1, 2, 3, 4, 100} -- not `data`: that is nnlab's data module
local best_mse, best_mae, c_mse, c_mae = math.huge, math.huge, nil, nil
for c = 0, 100, 0.5 do
  local cs = {}
  for i = 1, #points do cs[i] = c end
  if mse(cs, points) < best_mse then best_mse, c_mse = mse(cs, points), c end
  if mae(cs, points) < best_mae then best_mae, c_mae = mae(cs, points), c end
end
print(("least MSE at c = %.1f (the mean is 22); least MAE at c = %.1f (the median is 3)"):format(c_mse, c_mae))
]]

say[[
# Two classes: sigmoid and binary cross-entropy

For a yes/no answer the output unit is a sigmoid, p = σ(s) = 1/(1 + e^(−s)), read
as the probability of class 1. The loss is the *binary cross-entropy* (log loss):

    L = −[ t·log(p) + (1 − t)·log(1 − p) ]

Mind the minus sign, which one of the course notes leaves out: log p is negative
for p < 1, and the loss must be positive and fall as p approaches the target.
With t = 1 the loss is −log p: 0.105 at p = 0.9, 0.693 at p = 0.5, 2.303 at
p = 0.1, and it grows without bound as p → 0. A confident wrong answer costs far
more than under MSE, whose loss (1 − p)² never exceeds 1; and with the sigmoid
the gradient of the cross-entropy with respect to s is simply p − t, which does
not vanish when the sigmoid saturates.
]]

show[[
-- The loss for t = 1 as the predicted probability p goes from 0 to 1.
ps, ce, sq = {}, {}, {}
for i = 1, 99 do
  ps[i] = i / 100
  ce[i], sq[i] = -math.log(ps[i]), (1 - ps[i])^2
end
loss_plot = plot.lines{title = "loss for target t = 1", xlabel = "predicted probability p", ylabel = "loss",
  series = {["cross-entropy −log p"] = {x = ps, y = ce}, ["squared error (1 − p)²"] = {x = ps, y = sq}}}
]]

task{
  [[Write `bce(p, t)`, the binary cross-entropy of one prediction p (a probability)
  for the target t (0 or 1), with the natural logarithm.]],
  check = function(env)
    for _, c in ipairs{ {0.9, 1}, {0.5, 1}, {0.1, 1}, {0.2, 0}, {0.99, 0} } do
      local p, t = c[1], c[2]
      local want = -(t * math.log(p) + (1 - t) * math.log(1 - p))
      local got, err = call(env, "bce", p, t)
      if err then return false, err end
      if not near(got, want, 1e-9) then
        if near(got, -want, 1e-9) then return false, ("bce(%g, %d) = %.4f has the wrong sign: the loss is −[t·log p + (1 − t)·log(1 − p)]"):format(p, t, got) end
        return false, ("bce(%g, %d) = %s; it should be %.6f"):format(p, t, tostring(got), want)
      end
    end
    return true
  end,
  hint = "return -(t * math.log(p) + (1 - t) * math.log(1 - p))",
  solution = [[
function bce(p, t)
  return -(t * math.log(p) + (1 - t) * math.log(1 - p))
end]],
}

say[[
# k classes: softmax and categorical cross-entropy

For k classes the output layer has k units with scores s_1 … s_k, and the softmax
turns them into probabilities that sum to 1:

    p_i = e^(s_i) / Σ_j e^(s_j)

The target is *one-hot*: 1 for the true class, 0 for the others. The categorical
cross-entropy −Σ t_i·log p_i is then just −log p_true: only the probability given
to the right class counts. Together with the softmax, its gradient with respect
to the scores is again p − t.
]]

show[[
function softmax(s)
  local m = math.max(table.unpack(s))   -- subtracting the largest score avoids overflow
  local e, sum = {}, 0
  for i = 1, #s do e[i] = math.exp(s[i] - m); sum = sum + e[i] end
  for i = 1, #s do e[i] = e[i] / sum end
  return e
end
p = softmax{2.0, 1.0, 0.1}
print(("softmax{2, 1, 0.1} = {%.3f, %.3f, %.3f}, sum %.3f"):format(p[1], p[2], p[3], p[1] + p[2] + p[3]))
print(("loss if class 1 is right: %.3f;  if class 3 is right: %.3f"):format(-math.log(p[1]), -math.log(p[3])))
]]

say[[
# Hinge loss

The SVM's loss, for targets t = −1 or +1 and a raw score s (no squashing):

    L = max(0, 1 − t·s)

It is zero once the example is on the right side *with a margin* (t·s ≥ 1), and
grows linearly otherwise; it never asks for more confidence than that margin.
]]

quiz{
  "A network predicts one of 10 clothing classes. Which output layer and loss go together?",
  choices = {
    "10 linear units and MSE against the class number 0–9",
    "10 sigmoid units and hinge loss",
    "10 units with softmax and categorical cross-entropy against a one-hot target",
    "1 sigmoid unit and binary cross-entropy",
  },
  answer = 3,
  why = [[The course's pairing: regression → linear output and squared loss; two
  classes → sigmoid and binary log loss; k classes → softmax and multi-class log
  loss. A class number is not a quantity (class 7 is not "more" than class 3), so
  MSE on it makes no sense.]],
}

say[[
# Entropy, in bits

Cross-entropy comes from information theory. The *entropy* of a random variable V
with outcomes of probability P(v_k) is the average number of bits needed to say
which outcome happened:

    H(V) = −Σ_k P(v_k)·log₂ P(v_k)

(an outcome with probability 0 adds nothing). The course's examples: a coin that
always lands heads has entropy 0, nothing to learn from looking; a fair coin has
1 bit; a fair four-sided die 2 bits, two bits name one of four; a coin loaded to
land heads 99% of the time only 0.08 bits, as you are rarely surprised.
(The textbook says entropy "always lies between 0 and 1": that holds for two
outcomes only; the die shows that k outcomes can need up to log₂ k bits.)
]]

task{
  [[Write `entropy(p)`: the entropy in bits of a table of probabilities p (which
  sum to 1). Outcomes with probability 0 contribute 0.]],
  check = function(env)
    local cases = {
      { {0.5, 0.5}, 1, "a fair coin" },
      { {0.25, 0.25, 0.25, 0.25}, 2, "a fair 4-sided die" },
      { {0.99, 0.01}, -(0.99 * math.log(0.99, 2) + 0.01 * math.log(0.01, 2)), "the 99% coin" },
      { {1, 0}, 0, "a coin that always lands heads" },
    }
    for _, c in ipairs(cases) do
      local got, err = call(env, "entropy", c[1])
      if err then return false, err end
      if got ~= got then return false, ("entropy of %s is nan: skip outcomes with probability 0 (0·log 0 counts as 0)"):format(c[3]) end
      if not near(got, c[2], 1e-9) then
        return false, ("entropy of %s is %s bits; it should be %.4f"):format(c[3], tostring(got), c[2])
      end
    end
    return true
  end,
  hint = "Sum -p[i] * math.log(p[i], 2) over the p[i] > 0.",
  solution = [[
function entropy(p)
  local h = 0
  for i = 1, #p do
    if p[i] > 0 then h = h - p[i] * math.log(p[i], 2) end
  end
  return h
end]],
}

show[[
print(("fair coin %.2f bits, 4-sided die %.2f bits, 99%% coin %.2f bits, certain coin %.2f bits")
  :format(entropy{0.5, 0.5}, entropy{0.25, 0.25, 0.25, 0.25}, entropy{0.99, 0.01}, entropy{1, 0}))
]]

say[[
The cross-entropy of a prediction p against the truth t, −Σ t_i·log p_i, is the
number of bits (or nats, with the natural log) needed when outcomes drawn from t
are coded as if they came from p. It is smallest, equal to H(t), when p = t: so
minimising it pulls the network's probabilities towards the data's. Next,
lesson 05 follows the gradient of a loss downhill.
]]
