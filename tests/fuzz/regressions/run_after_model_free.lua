-- Found by the API fuzzer (build-asan, seeds 312-345: 10 of 48 children): a run
-- whose model was freed (m:free()) still steps it: run:step(), run:wait() and
-- wait(run) read the freed module in nn_run_for (src/engine/train.c:441; freed by
-- m_release, src/repl/bind_model.c:52): heap-use-after-free under ASan. Expected:
-- the run keeps its model alive, or these calls raise "... was freed".
local m, d = nn.linear(2, 2), data.xor{n = 16}
local run = m:fit{d, epochs = 1, verbose = false}
m:free()
for _, call in ipairs{{"run:step", run.step}, {"run:wait", run.wait}, {"wait", wait}} do
  local ok, err = pcall(call[2], run)
  assert(ok or tostring(err):find("freed", 1, true),
    call[1] .. " after m:free() must work or say the model was freed, got " .. tostring(err))
end
print("ok")
