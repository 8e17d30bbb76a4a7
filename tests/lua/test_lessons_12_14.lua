-- test_lessons_12_14.lua: the claims that the text of lessons 12 and 14 makes from
-- numbers hold for the runs the lessons make (the same helpers of
-- lua/lessonlib_12_14.lua with the same settings and seeds). A change that moves a
-- figure past what the text says fails here; then fix the text or the lesson.
local L = require "lessonlib_12_14"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

---------------------------------------------------------------------------- lesson 12
local cnn = L.lenet5()
local rows, total = L.shapes(cnn, {1, 28, 28})
check(total == 61706, "12: LeNet-5 has 61 706 parameters (%d)", total)
local want = {[1] = {"6×28×28", 156}, [3] = {"6×14×14", 0}, [4] = {"16×10×10", 2416}, [6] = {"16×5×5", 0},
  [8] = {"120", 48120}, [10] = {"84", 10164}, [12] = {"10", 850}}
for k, w in pairs(want) do
  check(rows[k].shape == w[1] and rows[k].params == w[2], "12: layer %d is %s with %d parameters (%s, %d)", k, w[1],
    w[2], rows[k].shape, rows[k].params)
end
check(L.rf_side(cnn, 1) == 5 and L.rf_side(cnn, 3) == 6 and L.rf_side(cnn, 4) == 14 and L.rf_side(cnn, 6) == 16,
  "12: receptive fields 5, 6, 14, 16")
local tr, te = data.fashion_mnist{limit = 2000, shape = "image"}
local ftr, fte = data.fashion_mnist{limit = 2000}
local mlp = require("lessonlib_07_10").course_model("relu")
check(mlp:nparams() == 468874 and cnn:nparams() * 7 < mlp:nparams(), "12: the CNN has under a seventh of the MLP's parameters")
local mr, cr = L.train(mlp, ftr, fte), L.train(cnn, tr, te)
local ma, ca = mr.history.val_acc[3], cr.history.val_acc[3]
check(ca >= ma - 0.005, "12: the CNN ends level with the MLP or above it (%.3f against %.3f)", ca, ma)
print(("ok   12 (CNN %.3f, MLP %.3f)"):format(ca, ma))

---------------------------------------------------------------------------- lesson 14
local ftrain, ftest = data.fashion_mnist{limit = 5000, shape = "image"}
local first_train, first_test = L.classes(ftrain, 0, 4), L.classes(ftest, 0, 4, 1000)
local few, second_test = L.classes(ftrain, 5, 9, 300), L.classes(ftest, 5, 9, 1000)
check(few:info().n == 300 and few:info().classes == 5, "14: 300 images of 5 classes")
local ys = few:y():totable()
for _, y in ipairs(ys) do check(y[1] >= 0 and y[1] <= 4, "14: classes 5-9 numbered 0-4") end
local pre = L.lenet5{classes = 5}
L.train(pre, first_train, first_test)
local path = (os.getenv("TMPDIR") or "/tmp") .. "/test_lessons_12_14.nnl"
nn.save(pre, path)
local loaded = nn.load(path)
os.remove(path)
local tuned = loaded:replace(12, nn.linear(84, 5))
tuned:freeze(1, 6)
local tr14 = L.train(tuned, few, second_test, {epochs = 5})
local scratch = L.lenet5{classes = 5}
local sr = L.train(scratch, few, second_test, {epochs = 5})
local t, s = tr14.history.val_acc, sr.history.val_acc
check(not L.moved(loaded, tuned, {1, 2, 3, 4, 5, 6}), "14: the frozen conv layers keep the pretrained weights")
check(L.moved(loaded, tuned, {8, 10}), "14: the layers above them learn")
-- margins of 3 points: one epoch's accuracy on 1000 images moves by a few tenths of a
-- point with the order of a sum in the engine (epoch 4: 0.887 against 0.887)
check(t[1] >= s[2] + 0.03, "14: after one epoch the fine-tuned net beats the scratch net after two (%.3f, %.3f)",
  t[1], s[2])
local tm, sm = L.mean_accuracy(tr14), L.mean_accuracy(sr)
check(tm >= sm + 0.03, "14: over the five epochs the fine-tuned net is well ahead on average (%.3f, %.3f)", tm, sm)
check(math.abs(t[5] - s[5]) < 0.05, "14: by the last epoch the two are close (%.3f, %.3f)", t[5], s[5])
check(t[5] >= 0.85, "14: the task's 0.85 is reachable (%.3f)", t[5])
local acc = {}
for _, k in ipairs{7, 11} do
  local ft, fte2 = loaded:features(few, k), loaded:features(second_test, k)
  local small = nn.sequential{nn.linear(ft:info().nx, 5)}
  acc[k] = L.train(small, ft, fte2, {epochs = 30, lr = 0.01}).history.val_acc[30]
end
check(acc[7] > acc[11] + 0.03 and acc[7] >= 0.88, "14: layer 7's features beat layer 11's (%.3f, %.3f)", acc[7], acc[11])
print(("ok   14 (fine-tuned %.3f, scratch %.3f, means %.3f, %.3f; features 7 %.3f, 11 %.3f)"):format(t[5], s[5], tm,
  sm, acc[7], acc[11]))
