-- Lesson 04: losses and outputs. MSE, MAE and RMSE (and what an outlier does to each,
-- drawn), binary and categorical cross-entropy on logits (the sigmoid/softmax inside
-- the loss), hinge against log loss; which output goes with which loss; entropy in
-- bits with the course's numbers (fair coin 1 bit, fair 4-sided die 2 bits, 99% coin
-- 0.08 bits), B(q) and information gain. Each task carries the wrong answers its
-- check must refuse (nnlab --check runs them).
lesson{"losses", "Losses and outputs"}

local lib = require "lessonlib_04_06"
local near, call = lib.near, lib.call

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

-- Cases the check tries: the page's example, then other lengths and signs, so that a
-- function tuned to one input (a constant, a fixed divisor) cannot pass.
local LOSS_CASES = {
  { {1, 2, 3, 4}, {1.5, 2, 2, 8} },
  { {0, 0, 0}, {3, -3, 6} },
  { {2}, {-1} },
  { {10, -4, 7, 0, 1}, {10, -4, 7, 0, 1} },
}

local function want_loss(y, t, sq)
  local s = 0
  for i = 1, #y do s = s + (sq and (y[i] - t[i])^2 or math.abs(y[i] - t[i])) end
  return s / #y, s
end

-- What a wrong mse/mae value most likely came from, for the message.
local function loss_diagnosis(name, got, y, t, sq)
  local mean, sum = want_loss(y, t, sq)
  local other = want_loss(y, t, not sq)
  if near(got, sum) and #y > 1 then return "that is the sum: divide it by the number of values, #y" end
  if near(got, other) and not near(other, mean) then
    return sq and "that is the mean *absolute* error: MSE squares each difference"
      or "that is the mean *squared* error: MAE takes |y − t|"
  end
  if #y ~= 4 and near(got, sum / 4) then return "it divides by 4: divide by #y, the number of values" end
  local first = LOSS_CASES[1]
  if y ~= first[1] and near(got, (want_loss(first[1], first[2], sq))) then
    return ("that is the page's example's %s, whatever y and t are: compute it from y and t"):format(name)
  end
  return ("it should be %g"):format(mean)
end

task{
  [[Write `mse(y, t)` and `mae(y, t)` for two Lua tables of numbers of the same
  length (predictions y, targets t).]],
  check = function(env)
    for _, c in ipairs(LOSS_CASES) do
      local y, t = c[1], c[2]
      for _, f in ipairs{ {"mse", true}, {"mae", false} } do
        local got, err = call(env, f[1], y, t)
        if err then return false, err end
        if not near(got, (want_loss(y, t, f[2]))) then
          return false, ("%s(%s, %s) = %g: %s"):format(f[1], lib.list(y), lib.list(t), got,
            loss_diagnosis(f[1], got, y, t, f[2]))
        end
      end
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
  wrong = {
    { "mae returns the example's answer, a constant", [[
function mse(y, t) local s = 0; for i = 1, #y do s = s + (y[i] - t[i])^2 end; return s / #y end
function mae(y, t) return 1.375 end]] },
    { "the sum, not the mean", [[
function mse(y, t) local s = 0; for i = 1, #y do s = s + (y[i] - t[i])^2 end; return s end
function mae(y, t) local s = 0; for i = 1, #y do s = s + math.abs(y[i] - t[i]) end; return s end]] },
    { "divides by 4, the example's length", [[
function mse(y, t) local s = 0; for i = 1, #y do s = s + (y[i] - t[i])^2 end; return s / 4 end
function mae(y, t) local s = 0; for i = 1, #y do s = s + math.abs(y[i] - t[i]) end; return s / 4 end]] },
    { "mse forgets the square", [[
function mse(y, t) local s = 0; for i = 1, #y do s = s + math.abs(y[i] - t[i]) end; return s / #y end
function mae(y, t) local s = 0; for i = 1, #y do s = s + math.abs(y[i] - t[i]) end; return s / #y end]] },
  },
}

say[[
# Squared units, and RMSE

MSE is in the *square* of the target's units: predict house prices in thousands
and the MSE is in thousands², which no one can read (the course lists this among
its disadvantages). The root mean squared error RMSE = √MSE is back in the
target's units (course text 002:1072-1092, 002:1142-1166). Below: prices off by
10, 10 and 40 thousand have an MSE of 600 (thousand²) and an RMSE of 24.5
thousand, while their MAE is 20. The one large error pulls RMSE above MAE.
]]

show[[
function rmse(y, t) return math.sqrt(mse(y, t)) end
local predicted, actual = {250, 310, 180}, {240, 300, 220}  -- in thousands
print(("MSE %.0f thousand², RMSE %.1f thousand, MAE %.1f thousand")
  :format(mse(predicted, actual), rmse(predicted, actual), mae(predicted, actual)))
]]

pause()

say[[
# An outlier

Fit one constant c to the points {1, 2, 3, 4, 100}. The c with the least MSE is the
*mean*, 22; the c with the least MAE is the *median*, 3. Squaring makes the one far
point dominate: the plot shows MSE(c), a parabola whose bottom the outlier drags to
22, and MAE(c), made of straight pieces, whose bottom stays at 3 with the four
points that agree. MSE is smooth and, *as a function of a constant or of a linear
model's weights*, a bowl with a single minimum, which the course counts in its
favour ("only one local minima", 002:1072-1092). As a function of a network's
weights it has many: the hidden units can swap places, for a start.
]]

show[[
points = {1, 2, 3, 4, 100} -- not `data`: that is nnlab's data module
outlier = require("lessonlib_04_06").mse_mae_plot(points, mse, mae, -10, 110)
print(("least MSE at c = %.1f (the mean is 22); least MAE at c = %.1f (the median is 3)")
  :format(outlier.c_mse, outlier.c_mae))
]]

pause()

say[[
# Two classes: sigmoid and binary cross-entropy

For a yes/no answer the last layer has one *linear* unit: it gives a score s, the
*logit*, and the sigmoid p = σ(s) = 1/(1 + e^(−s)) turns the score into the
probability of class 1. The loss is the *binary cross-entropy* (log loss):

    L = −[ t·log(p) + (1 − t)·log(1 − p) ]

In nnlab the sigmoid lives inside the loss: `nn.bce(s, t)` takes the logit s,
computes p and the loss together (stably, never log 0), so a network for two
classes ends in a linear layer, with no sigmoid layer of its own. On paper, and in
the task below, we write the loss of the probability p.

Mind the minus sign, which one of the course notes leaves out: log p is negative
for p < 1, and the loss must be positive and fall as p approaches the target.
With t = 1 the loss is −log p: 0.105 at p = 0.9, 0.693 at p = 0.5, 2.303 at
p = 0.1, and it grows without bound as p → 0. A confident wrong answer costs far
more than under MSE, whose loss (1 − p)² never exceeds 1; and the gradient of the
cross-entropy with respect to the logit s is simply p − t, which does not vanish
when the sigmoid saturates.
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

local BCE_CASES = { {0.9, 1}, {0.5, 1}, {0.1, 1}, {0.2, 0}, {0.99, 0}, {0.7, 0} }

task{
  [[Write `bce(p, t)`, the binary cross-entropy of one prediction p (a probability)
  for the target t (0 or 1), with the natural logarithm.]],
  check = function(env)
    for _, c in ipairs(BCE_CASES) do
      local p, t = c[1], c[2]
      local want = -(t * math.log(p) + (1 - t) * math.log(1 - p))
      local got, err = call(env, "bce", p, t)
      if err then return false, err end
      if not near(got, want, 1e-9) then
        local why = ("it should be %.6f"):format(want)
        if near(got, -want, 1e-9) then
          why = "the sign is wrong: the loss is −[t·log p + (1 − t)·log(1 − p)], positive"
        elseif near(got, want / math.log(2), 1e-9) then
          why = "that is in bits (log base 2): use the natural logarithm, math.log(p)"
        elseif t == 0 and near(got, 0) then
          why = "with t = 0 the loss is −log(1 − p): the (1 − t)·log(1 − p) term is missing"
        elseif t == 1 and near(got, 0) then
          why = "with t = 1 the loss is −log p: the t·log p term is missing"
        end
        return false, ("bce(%g, %d) = %.6g: %s"):format(p, t, got + 0, why) -- + 0: not "-0"
      end
    end
    return true
  end,
  hint = "return -(t * math.log(p) + (1 - t) * math.log(1 - p))",
  solution = [[
function bce(p, t)
  return -(t * math.log(p) + (1 - t) * math.log(1 - p))
end]],
  wrong = {
    { "the minus sign left out, as one course note does",
      [[function bce(p, t) return t * math.log(p) + (1 - t) * math.log(1 - p) end]] },
    { "only the t·log p term", [[function bce(p, t) return -t * math.log(p) end]] },
    { "log base 2", [[function bce(p, t) return -(t * math.log(p, 2) + (1 - t) * math.log(1 - p, 2)) end]] },
    { "the squared error instead", [[function bce(p, t) return (p - t)^2 end]] },
    { "the right value in a table", [[function bce(p, t) return {-(t * math.log(p) + (1 - t) * math.log(1 - p))} end]] },
  },
}

say[[
# k classes: softmax and categorical cross-entropy

For k classes the output layer has k linear units with scores s_1 … s_k, and the
softmax turns them into probabilities that sum to 1:

    p_i = e^(s_i) / Σ_j e^(s_j)

The target is *one-hot*: 1 for the true class, 0 for the others. The categorical
cross-entropy −Σ t_i·log p_i is then just −log p_true: only the probability given
to the right class counts. Together with the softmax, its gradient with respect
to the scores is again p − t. As with `nn.bce`, `nn.cross_entropy` takes the
scores and applies the softmax inside.
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

pause()

say[[
# Hinge loss

The SVM's loss, for targets t = −1 or +1 and a raw score s (no squashing):

    L = max(0, 1 − t·s)

Both it and the log loss depend only on the *margin* t·s: positive when the score
is on the right side, and the larger the surer. The plot draws both against it (the
log loss in bits, log₂(1 + e^(−t·s)), so that both are 1 at t·s = 0). Beyond a
margin of 1 the hinge is exactly zero: it never asks for more confidence than that.
The log loss is never zero and keeps pushing, more and more gently. On the wrong
side both grow linearly.
]]

show[[
margins = require("lessonlib_04_06").hinge_log_plot()
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
  loss (in nnlab the sigmoid and the softmax sit inside nn.bce and
  nn.cross_entropy). A class number is not a quantity (class 7 is not "more" than
  class 3), so MSE on it makes no sense.]],
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

local ENTROPY_CASES = {
  { {0.5, 0.5}, "a fair coin" },
  { {0.25, 0.25, 0.25, 0.25}, "a fair 4-sided die" },
  { {0.99, 0.01}, "the 99% coin" },
  { {0.5, 0.25, 0.25}, "{0.5, 0.25, 0.25}" },
  { {1, 0}, "a coin that always lands heads" },
}

task{
  [[Write `entropy(p)`: the entropy in bits of a table of probabilities p (which
  sum to 1). Outcomes with probability 0 contribute 0.]],
  check = function(env)
    for _, c in ipairs(ENTROPY_CASES) do
      local want = 0
      for _, q in ipairs(c[1]) do if q > 0 then want = want - q * math.log(q, 2) end end
      local got, err = call(env, "entropy", c[1])
      if err then return false, err end
      if got ~= got then
        return false, ("entropy of %s is nan: skip outcomes with probability 0 (0·log 0 counts as 0)"):format(c[2])
      end
      if not near(got, want, 1e-9) then
        local why = ("it should be %.4f"):format(want)
        if near(got, want * math.log(2), 1e-9) then
          why = "that is in nats (natural log): bits need log base 2, math.log(p, 2)"
        elseif near(got, -want, 1e-9) then
          why = "the sign is wrong: H = −Σ p·log₂ p is never negative"
        elseif near(got, math.log(#c[1], 2), 1e-9) then
          why = ("that is log₂ %d, right only when all outcomes are equally likely"):format(#c[1])
        end
        return false, ("entropy of %s is %.6g bits: %s"):format(c[2], got, why)
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
  wrong = {
    { "the natural log (nats, not bits)", [[
function entropy(p) local h = 0; for i = 1, #p do if p[i] > 0 then h = h - p[i] * math.log(p[i]) end end; return h end]] },
    { "log₂ of the number of outcomes (right for the fair coin and die only)",
      [[function entropy(p) return math.log(#p, 2) end]] },
    { "0·log 0 not skipped", [[
function entropy(p) local h = 0; for i = 1, #p do h = h - p[i] * math.log(p[i], 2) end; return h end]] },
    { "the minus sign left out", [[
function entropy(p) local h = 0; for i = 1, #p do if p[i] > 0 then h = h + p[i] * math.log(p[i], 2) end end; return h end]] },
  },
}

show[[
print(("fair coin %.2f bits, 4-sided die %.2f bits, 99%% coin %.2f bits, certain coin %.2f bits")
  :format(entropy{0.5, 0.5}, entropy{0.25, 0.25, 0.25, 0.25}, entropy{0.99, 0.01}, entropy{1, 0}))
]]

say[[
# Two outcomes, and information gain

With two outcomes of probability q and 1 − q the entropy is the course's B(q):

    B(q) = −[ q·log₂ q + (1 − q)·log₂(1 − q) ]

1 bit at q = 0.5, 0 at q = 0 or 1. A set of p positive and n negative examples has
entropy B(p/(p + n)). A decision tree splits the set by a question and asks how
much the question told it: the *information gain* is the entropy before the
split minus the entropy after it, each part weighted by its share of the examples;
the question with the highest gain splits first (course text 002:1168-1238).
Below, 6 positive and 6 negative examples (1 bit) are split into {4+, 0−} and
{2+, 6−}: the first part is certain (0 bits), the second has B(0.25) = 0.811 bits,
and the gain is 1 − (4/12)·0 − (8/12)·0.811 = 0.459 bits.
]]

show[[
function B(q) return entropy{q, 1 - q} end
local before = B(6 / 12)
local after = 4 / 12 * B(4 / 4) + 8 / 12 * B(2 / 8)
print(("before %.3f bits, after %.3f bits: information gain %.3f bits"):format(before, after, before - after))
]]

say[[
The cross-entropy of a prediction p against the truth t, −Σ t_i·log p_i, is the
number of bits (or nats, with the natural log) needed when outcomes drawn from t
are coded as if they came from p. It is smallest, equal to H(t), when p = t: so
minimising it pulls the network's probabilities towards the data's. Next,
lesson 05 follows the gradient of a loss downhill.
]]
