-- Lesson 24: restricted Boltzmann machines and deep belief nets. An RBM trained by
-- contrastive divergence on 8x8 digits (free energy, reconstructions, filters and
-- Gibbs samples live); the free energy by hand; the textbook's DBN classifier (two
-- RBMs of 256 pre-trained greedily, then backpropagation with dropout 0.2) against the
-- same net trained from scratch.
lesson{"rbm_dbn", "Restricted Boltzmann machines and deep belief nets"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# An energy for every image

A restricted Boltzmann machine (RBM) has a layer of *visible* units v (the pixels)
and a layer of *hidden* units h, every visible unit joined to every hidden one and
no unit to another of its own layer. It gives each pair (v, h) an energy

    E(v, h) = −b·v − c·h − v W h

and a probability p(v, h) = e^(−E) / Z: low energy, likely. Summing h out gives
the *free energy* of an image alone,

    F(v) = −b·v − Σ_j log(1 + e^(c_j + (vW)_j)),   p(v) = e^(−F(v)) / Z.

Training lowers F on the training images and raises it elsewhere. Because no two
hidden units are joined, p(h_j = 1 | v) = σ(c_j + (vW)_j) for each unit on its own,
and likewise p(v_i = 1 | h) = σ(b_i + (W h)_i): one layer can be sampled at once.

**Contrastive divergence (CD-k)** estimates the gradient of the log-likelihood:
start at a data image v0, sample h0, go back and forth k times to v_k, and move

    ΔW = lr (v0ᵀ p(h|v0) − v_kᵀ p(h|v_k)) / n

(biases alike): towards what the data do, away from what the model dreams up.
*Persistent CD* keeps the dreaming chains running from one batch to the next.

The data: 1797 handwritten digits of 8 × 8 pixels in 17 grey levels (the UCI set
that scikit-learn ships; Debian's python3-sklearn package), pixels scaled to [0, 1].
]]

show[[
digits_train, digits_test = data.digits{seed = 1}
print(digits_train:info().n, "training and", digits_test:info().n, "test digits of", digits_train:info().nx, "pixels")
lib24 = require("lessonlib_24_25")
rbm = lib24.digit_rbm(digits_train, digits_test, {view = true})
h = rbm.history
print(("reconstruction error %.4f -> %.4f; pseudo-likelihood %.1f -> %.1f"):format(h.recon[1], h.recon[#h.recon], h.pl[1], h.pl[#h.pl]))
print(("mean free energy, training %.2f, validation %.2f"):format(h.fe_train[#h.fe_train], h.fe_val[#h.fe_val]))
]]

say[[
The window shows what the RBM learnt, epoch by epoch: its **filters** (each hidden
unit's weights as an 8 × 8 image: blue pulls the unit on, red off), test digits
beside their **reconstructions** E[v | p(h|v)], **samples** after 200 Gibbs steps
started at those digits, and the mean **free energy** of training and validation
digits. The free energy falls as the RBM learns; when the training images' free
energy falls well below the validation images', the RBM is fitting the training
set itself: the overfitting signal of a model without labels. Here the two stay
within a fraction of a unit of each other.
]]

task{
  [[Compute the free energy of the first training digit by the formula, from
  `W, b, c = rbm:params()` (W is [64, 64], b and c are [1, 64]) and
  `v = digits_train:x():rows(1)`, and set `fe` to it. Compare it with
  `rbm:free_energy(v)`.]],
  check = function(env)
    local want = require("lessonlib_24_25").free_energy_of(env.rbm, env.digits_train:x(), 1)
    local fe = env.fe
    if type(fe) ~= "number" then return false, "set fe to a number" end
    if near(fe, -want, 1e-4) then return false, "the sign: F(v) = −b·v − Σ log(1 + e^(c + vW)) is negative here" end
    if not near(fe, want, 1e-4) then
      return false, ("fe is %.4f and F(v) is %.4f: −b·v, then minus log(1 + e^x) of each hidden unit's input x = c_j + (vW)_j"):format(fe, want)
    end
    return true
  end,
  hint = "With tensors: v:matmul(W) + c gives every x_j at once; log(1 + e^x) is (x:exp() + 1):log().",
  solution = [[
W, b, c = rbm:params()
v = digits_train:x():rows(1)
x = v:matmul(W) + c
fe = -(v * b):sum():item() - ((x:exp() + 1):log()):sum():item()]],
  wrong = {
    { "the hidden inputs summed without log(1 + e^x)", [[
W, b, c = rbm:params()
v = digits_train:x():rows(1)
fe = -(v * b):sum():item() - (v:matmul(W) + c):sum():item()]] },
    { "the visible bias term left out", [[
W, b, c = rbm:params()
v = digits_train:x():rows(1)
fe = -((v:matmul(W) + c):exp() + 1):log():sum():item()]] },
    { "the sign turned", [[
W, b, c = rbm:params()
v = digits_train:x():rows(1)
x = v:matmul(W) + c
fe = (v * b):sum():item() + ((x:exp() + 1):log()):sum():item()]] },
  },
}

say[[
# Dreams: Gibbs sampling

Starting anywhere and alternating h ~ p(h|v), v ~ p(v|h) long enough draws images
from the model's own distribution. From random pixels the chain wanders into
digit-like blobs; from a real digit it stays near it for a while and then drifts.
`rbm:sample{from =, k =}` runs the chains (the last step shows the mean).
]]

show[[
dreams = rbm:sample{n = 12, k = 1000}
dream_view = plot.images{images = dreams:reshape(12, 8, 8), cols = 6, title = "after 1000 Gibbs steps from noise"}
]]

pause()

say[[
# The textbook's deep belief net

A deep belief net stacks RBMs: the first learns the pixels, the second learns the
first one's hidden probabilities, and so on, greedily, one layer at a time,
without labels. The stack's weights then start a feed-forward classifier, which
backpropagation fine-tunes with the labels. The textbook runs it with
`SupervisedDBNClassification(hidden_layers_structure=[256, 256],
learning_rate_rbm=0.05, n_epochs_rbm=10, learning_rate=0.1, n_iter_backprop=100,
batch_size=32, activation_function='relu', dropout_p=0.2)` on a 75/25 split and
prints "Accuracy of prediction: 93.3%". `nn.dbn_recipe` holds those settings;
`nn.dbn(train, test)` runs them, and with `pretrain = false` the same net starts
from random weights instead.
]]

show[[
print(nn.dbn_recipe)
cmp = lib24.dbn_against_scratch(digits_train, digits_test)
cmp.dbn:summary()
print(("pre-trained: %.3f after the first epoch, %.3f after 100"):format(cmp.first_dbn, cmp.acc_dbn))
print(("from scratch: %.3f after the first epoch, %.3f after 100"):format(cmp.first_scratch, cmp.acc_scratch))
dbn_view = lib24.accuracy_plot(cmp)
]]

say[[
Both nets pass the textbook's 93.3% (its data were Kaggle's 28 × 28 digits, ours
are 8 × 8, so the figures are neighbours, not twins), and on this small set the
pre-trained net does **not** beat the one from scratch: it even starts lower. Two
reasons. The RBMs' hidden units are sigmoids, while the recipe fine-tunes ReLU
units: the copied weights meet another non-linearity. And pre-training mattered in
2006, when deep sigmoid nets started from random weights did not train at all;
ReLU, careful initialisation and dropout made it rarely needed. Where labels are
few and unlabelled data many, it still helps.
]]

task{
  [[How many parameters does the recipe's classifier have (64 inputs, two hidden
  layers of 256, ten classes)? Count the weights and biases of its three linear
  layers and set `n_params`.]],
  check = function(env)
    local want = env.cmp.dbn:nparams()
    local n = env.n_params
    if math.type(n) ~= "integer" and not (type(n) == "number" and n == math.floor(n)) then
      return false, "set n_params to a whole number"
    end
    if n == 64 * 256 + 256 * 256 + 256 * 10 then return false, "the biases are parameters too: one per output unit of each layer" end
    if n == want + 64 + 256 then return false, "the RBMs' visible biases are not copied into the classifier: only W and c are" end
    if n ~= want then return false, ("n_params is %d; a linear layer of i inputs and o outputs has i·o + o"):format(n) end
    return true
  end,
  hint = "i·o + o for each of 64→256, 256→256 and 256→10; cmp.dbn:nparams() tells you afterwards.",
  solution = "n_params = (64 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10)",
  wrong = {
    { "weights only", "n_params = 64 * 256 + 256 * 256 + 256 * 10" },
    { "with the RBMs' visible biases", "n_params = (64 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10) + 64 + 256" },
  },
}

quiz{
  [[The training digits' mean free energy keeps falling while the validation digits'
  rises. What does it say?]],
  choices = {
    "The RBM is learning well: lower free energy is always better.",
    "The RBM overfits: it makes the training images likely and others less so.",
    "The learning rate is too small.",
    "Nothing: free energy cannot be compared between two sets.",
  },
  answer = 2,
  why = [[p(v) ∝ e^(−F(v)): a growing gap between the two sets' mean free energy means the
  model gives the training images more probability than unseen ones of the same kind,
  which is overfitting. (Z is the same for both sets, so the difference is meaningful.)]],
}

say[[
# What to take away

- An RBM scores images by free energy; CD-k trains it from short Gibbs chains
  started at the data, persistent CD from chains that keep running.
- The reconstruction error is easy to watch but not the objective; the gap between
  training and validation free energy is the overfitting signal.
- A DBN pre-trains its layers greedily without labels, then fine-tunes as an MLP.
  Try `nn.dbn(digits_train, digits_test, {activation = "sigmoid"})` against
  `pretrain = false`: with sigmoid units the copied weights meet their own kind.
]]
