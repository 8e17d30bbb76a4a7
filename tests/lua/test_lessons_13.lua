-- test_lessons_13.lua: the claims that lesson 13's text makes from numbers hold for
-- the nets and runs it makes (lua/lessonlib_13.lua, the same settings and seeds): the
-- plain net's gradient falls about fourfold a layer, some twelve orders of magnitude
-- from last to first, while the residual net's stays of the last layer's order; the
-- plain net stays at chance and the residual one fits about three in four points.
local L = require "lessonlib_13"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

local tr, te = L.spiral()
local plain, res = L.deep_net(false), L.deep_net(true)
local gp, gr = L.grad_norms(plain, tr), L.grad_norms(res, tr)
check(#gp == 22 and #gr == 22, "22 linear layers (%d, %d)", #gp, #gr)
local shrink = gp[#gp] / gp[1]
check(shrink > 1e11 and shrink < 1e14, "some twelve orders of magnitude (%.3g)", shrink)
local per_layer = shrink ^ (1 / 21)
check(per_layer > 3 and per_layer < 5.5, "about fourfold a layer (%.3g)", per_layer)
for i = 2, #gp - 1 do check(gp[i] > gp[i - 1], "the plain net's gradient grows towards the output (layer %d)", i) end
for i = 1, #gr do
  check(gr[i] > gr[#gr] / 20, "the residual net's layer %d is of the last layer's order (%.3g against %.3g)", i, gr[i], gr[#gr])
end
local rp, rr = L.train(plain, tr, te), L.train(res, tr, te)
local hp, hr = rp.history, rr.history
check(math.abs(hp.loss[#hp.loss] - math.log(3)) < 0.05, "the plain loss stays near ln 3 (%.3f)", hp.loss[#hp.loss])
check(hp.acc[#hp.acc] < 0.4 and hp.val_acc[#hp.val_acc] < 0.4, "the plain net stays at chance (%.3f, %.3f)",
  hp.acc[#hp.acc], hp.val_acc[#hp.val_acc])
check(hr.acc[#hr.acc] > 0.68 and hr.val_acc[#hr.val_acc] > 0.68 and hr.val_acc[#hr.val_acc] < 0.85,
  "the residual net fits about three in four points (%.3f, %.3f)", hr.acc[#hr.acc], hr.val_acc[#hr.val_acc])
check(#hp.loss == 40 and #hr.loss == 40, "40 epochs")
print("ok   13")
