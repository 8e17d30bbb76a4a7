-- test_lessons_21_22.lua: the claims that the text of lessons 21 (autoencoders) and
-- 22 (GANs) makes from numbers hold for the runs the lessons make (the helpers of
-- lua/lessonlib_21_22.lua with the same settings and seeds). A change that moves a
-- figure past what the text says fails here; then fix the text or the lesson.
local L = require "lessonlib_21_22"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

---------------------------------------------------------------------------- lesson 21
local x, labels = L.fashion(2000)
local tx, tlabels = L.fashion(1000, "test")

local uc = L.model("undercomplete")
local l = uc:fit{x, epochs = 3, lr = 2e-3}
check(l[3] < l[1] and l[3] < 0.06, "21: the 784-32-784 autoencoder's error falls (%.4f -> %.4f)", l[1], l[3])

local sparse, dense = L.model("sparse"), L.model("dense64")
sparse:fit{x, epochs = 3, kl = 0.5, rho = 0.05}
dense:fit{x, epochs = 3}
local as, ad = L.mean_activation(sparse, tx), L.mean_activation(dense, tx)
check(math.abs(as - 0.05) < 0.02 and ad > 0.3, "21: KL brings the mean activation to its target 0.05 (%.3f; %.3f without)", as, ad)

local cae, plain = L.model("contractive"), L.model("plain32")
cae:fit{x, epochs = 3, contractive = 0.1}
plain:fit{x, epochs = 3}
local cc, cp = L.contraction(cae, tx), L.contraction(plain, tx)
check(cp / cc > 2, "21: the contractive code is several times less sensitive (%.4f against %.4f)", cc, cp)
check(cae.history.loss[3] > plain.history.loss[3], "21: at some cost in reconstruction error")

local conv = L.model("conv")
local cl = conv:fit{x, epochs = 3, lr = 2e-3}
check(cl[3] < cl[1] and cl[3] < 0.035, "21: the conv autoencoder's MSE falls to about 0.027 in 3 epochs (%.4f -> %.4f)", cl[1], cl[3])

local roc = L.anomaly(x, labels, tx, tlabels, {[5] = true, [7] = true, [9] = true}, {[1] = true, [3] = true})
check(roc.auc > 0.9, "21: shoes against trousers and dresses, AUC %.3f", roc.auc)
print(("ok   21 (sparse %.3f/%.3f, contraction %.4f/%.4f, AUC %.3f)"):format(as, ad, cc, cp, roc.auc))

---------------------------------------------------------------------------- lesson 22
local gp = L.ring_gan("wasserstein", {gp = 1, batch = 64})
local curve = L.coverage_curve(gp, 600, 200)
check(curve[3][2] == 8, "22: WGAN-GP covers the 8 modes by step 600 (%d)", curve[3][2])
local clip = L.ring_gan("wasserstein", {clip = 0.1, lr = 5e-4, batch = 64})
curve = L.coverage_curve(clip, 600, 200)
check(curve[3][2] <= 4, "22: weight clipping learns slowly, on a few modes at most (%d)", curve[3][2])

local f = L.fashion_gan(x)
nn.seed(9)
local z = f:noise_batch(32)
local before = L.nearest_distance(f:sample(z), x:rows(1, 1000))
f:train(450)
local after = L.nearest_distance(f:sample(z), x:rows(1, 1000))
check(after < 0.7 * before, "22: G's samples come nearer to real images (%.2f -> %.2f)", before, after)
print(("ok   22 (fashion GAN distance %.2f -> %.2f)"):format(before, after))

local dc = L.fashion_gan(x, {conv = true})
local real = dc.real:rows(1, 1000)
local dbefore = L.nearest_distance(dc:sample(z), real)
dc:train(90)
local dafter = L.nearest_distance(dc:sample(z), real)
check(dafter < 0.8 * dbefore, "22: the DCGAN's samples come nearer to real images in 90 steps (%.2f -> %.2f)", dbefore, dafter)
print(("ok   22 (DCGAN distance %.2f -> %.2f)"):format(dbefore, dafter))
