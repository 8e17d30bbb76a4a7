-- Lesson 13: residual networks. A deep net of sigmoid layers against the same net
-- with skip connections (x + F(x)): the gradient norm of each layer's weights on one
-- batch, then both trained the same way. The student writes a residual block and
-- reads off how much the plain net's gradient shrinks on its way down.
lesson{"residual", "Residual networks"}

say[[
# Deep plain nets stop learning

More layers should never hurt: a deeper net could copy a shallower one and make
its extra layers the identity. Yet plain deep nets train worse as they grow
deeper, on the training set too, so this is not overfitting. Backpropagation
multiplies one factor per layer on its way down; with sigmoids each factor is
small (σ' ≤ 1/4), and twenty of them leave the first layers almost nothing to
learn from: the vanishing gradient of lesson 03.

ResNet's answer is the **skip connection**. A block does not replace its input,
it adds to it:

    x_{l+1} = x_l + F(x_l)      so      x_L = x_l + Σ_{i=l}^{L−1} F(x_i)

and ∂x_L/∂x_l = 1 + ∂(Σ F)/∂x_l: the "1" carries the gradient from the loss to
every layer unchanged, whatever the F's do. A block whose F is 0 is the identity,
so extra blocks cost nothing at the start.

Here are two nets on the spiral of three arms: a first linear layer, 10 blocks of
two layers F(x) = W₂ σ(W₁ σ(x)), and a linear output: 22 linear layers of width 32.
The **plain** net chains the blocks; the **residual** one adds each block to its
input. Both start from the same weights. Below: the norm of the loss's gradient with
respect to each layer's weights, for one batch of 128 points.
]]

show[[
lib13 = require("lessonlib_13")
spiral_train, spiral_test = lib13.spiral()
plain, residual = lib13.deep_net(false), lib13.deep_net(true)
plain_norms, res_norms = lib13.grad_norms(plain, spiral_train), lib13.grad_norms(residual, spiral_train)
for i = 1, #plain_norms, 3 do
  print(("layer %2d   plain %9.2e   residual %9.2e"):format(i, plain_norms[i], res_norms[i]))
end
norm_view = lib13.plot_norms{{"plain", plain_norms}, {"residual", res_norms}}
]]

say[[
In the plain net the gradient falls by a factor of about four at every layer on
its way down: the first layer's is some twelve orders of magnitude below the last
one's, far below anything float32 training can use. In the residual net every
layer gets a gradient of the same order as the last: the skips carry it down.
]]

task{
  [[How many times smaller is the plain net's gradient at its first layer than at its
  last? Set `shrink` to the last layer's norm divided by the first layer's, from
  `plain_norms` (input first).]],
  check = function(env)
    local p, r = env.plain_norms, env.res_norms
    if type(p) ~= "table" or #p < 2 then return false, "plain_norms is gone: run the code above again" end
    if type(env.shrink) ~= "number" then return false, "set `shrink` to a number" end
    local want = p[#p] / p[1]
    if math.abs(math.log(env.shrink) - math.log(want)) < 1e-6 then return true end
    if math.abs(env.shrink * want - 1) < 1e-6 then
      return false, "that is first / last; the question asks last / first (a number much larger than 1)"
    end
    if type(r) == "table" and math.abs(env.shrink - r[#r] / r[1]) < 1e-6 * math.abs(env.shrink) then
      return false, "that is the residual net's ratio; the question is about plain_norms"
    end
    return false, ("shrink is %.3g; last / first of plain_norms is %.3g"):format(env.shrink, want)
  end,
  hint = "plain_norms[#plain_norms] is the last layer's, plain_norms[1] the first's",
  solution = [[shrink = plain_norms[#plain_norms] / plain_norms[1]
print(("%.2e"):format(shrink))]],
  wrong = {
    { "first / last", [=[shrink = plain_norms[1] / plain_norms[#plain_norms]]=] },
    { "the residual net's ratio", [=[shrink = res_norms[#res_norms] / res_norms[1]]=] },
  },
}

pause()

say[[
# Train both the same way

Both nets train for 40 epochs with SGD and momentum (learning rate 0.02, batches of
32), from the same starting weights, on the same batches.
]]

show[[
plain_run = lib13.train(plain, spiral_train, spiral_test)
res_run = lib13.train(residual, spiral_train, spiral_test)
for _, r in ipairs{{"plain", plain_run}, {"residual", res_run}} do
  local h = r[2].history
  print(("%-9s loss %.3f -> %.3f   training accuracy %.3f   validation accuracy %.3f"):format(r[1],
    h.loss[1], h.loss[#h.loss], h.acc[#h.acc], h.val_acc[#h.val_acc]))
end
loss_view = lib13.plot_loss{{"plain", plain_run}, {"residual", res_run}}
]]

say[[
The plain net does not learn at all: its loss stays near ln 3 ≈ 1.10 and its
accuracy at chance (one in three), because only its last layers move. The residual
net, the same layers and weights with skips added, fits the spiral to about
three in four points within the same 40 epochs. (More epochs or a wider net do
better still; the point is that the plain net gets nowhere.)
]]

task{
  [[Write `block(w)`: a residual block of width w, y = x + F(x) with F the two-layer
  block above: `nn.sigmoid()`, `nn.linear(w, w)`, `nn.sigmoid()`, `nn.linear(w, w)`
  in a sequential, inside `nn.residual`.]],
  check = function(env)
    if type(env.block) ~= "function" then return false, "there is no function `block` yet" end
    local ok, b = pcall(env.block, 8)
    if not ok then return false, "block(8) raised an error: " .. tostring(b) end
    if not pcall(function() return b:info() end) then return false, "block(8) must return a module" end
    if b:nparams() ~= 2 * (8 * 8 + 8) then
      return false, ("block(8) has %d parameters; two linear(8, 8) layers have 144"):format(b:nparams())
    end
    local okshape, s = pcall(b.out_shape, b, {8})
    if not okshape or type(s) ~= "table" or s[1] ~= 8 then return false, "block(8) must keep the width 8" end
    -- with F = 0 (every weight 0) a residual block is the identity
    local assign = require("nn.train").assign
    for _, p in ipairs(b:parameters()) do assign(p, nn.zeros(p.shape)) end
    local x = nn.randn{4, 8}
    local y = b:forward(x)
    if (y - x):abs():max():item() < 1e-6 then return true end
    return false, "with all its weights 0 a residual block gives x + F(x) = x, yours does not: is the skip there (nn.residual), and nothing after it?"
  end,
  hint = "nn.residual(nn.sequential{nn.sigmoid(), nn.linear(w, w), nn.sigmoid(), nn.linear(w, w)})",
  solution = [[
function block(w)
  return nn.residual(nn.sequential{nn.sigmoid(), nn.linear(w, w), nn.sigmoid(), nn.linear(w, w)})
end]],
  wrong = {
    { "no skip connection", [[
function block(w)
  return nn.sequential{nn.sigmoid(), nn.linear(w, w), nn.sigmoid(), nn.linear(w, w)}
end]] },
    { "the skip around one layer", [[
function block(w) return nn.residual(nn.linear(w, w)) end]] },
    { "a sigmoid after the sum", [[
function block(w)
  return nn.sequential{nn.residual(nn.sequential{nn.sigmoid(), nn.linear(w, w), nn.sigmoid(), nn.linear(w, w)}), nn.sigmoid()}
end]] },
  },
}

quiz{
  [[A residual block's F has all its weights at 0. What does the block compute?]],
  choices = {
    "Zero: no weights, no output.",
    "The identity: y = x + F(x) = x.",
    "sigmoid(x), the last activation.",
    "It cannot be trained: the gradient of F is 0.",
  },
  answer = 2,
  why = [[y = x + F(x) and F(x) = 0, so y = x: an added block starts as the identity and
  can only help. The gradient still reaches F's weights (through dL/dy, which the
  skip passes unchanged), so F learns from there.]],
}

say[[
# In CNNs

ResNet builds its convolutional blocks the same way: `nn.resblock{["in"] = 64,
out = 128, stride = 2}` is two 3×3 convolutions with batch norm, and when the
block changes the shape (a stride, more channels) the skip becomes a 1×1
convolution (the projection), since x could not be added as it is. The bottleneck
block (`kind = "bottleneck"`) squeezes to a quarter of the channels with a 1×1
convolution, works at 3×3, and widens again. `nn.arch("resnet18"):summary()` shows
the whole net: 11,689,512 parameters.
]]
