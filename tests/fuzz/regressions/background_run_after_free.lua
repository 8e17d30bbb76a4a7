-- Found by the API fuzzer (seed 2, as the prompt runs: repl.interactive): at the
-- prompt m:fit{...} trains in a background job, and :free() of what the run uses
-- leaves the job reading freed memory at the next prompt pass (a segfault in the
-- normal build too):
--   model       nn_run_for, src/engine/train.c:441 (freed by m_release, bind_model.c)
--   data        step, src/engine/train.c:353 (freed by d_release, bind_data.c)
--   optimizer   nn_optim_nstate from safe_copy, src/engine/train.c:259
--   validation  end_epoch, src/engine/train.c:305
-- Expected: a run keeps what it uses alive, or its job stops saying what was freed.
-- Run one case: nnlab background_run_after_free.lua model|data|optimizer|validation
local which = arg[1] or "model"
repl.interactive = true
local m, d, v = nn.linear(2, 2), data.xor{n = 64}, data.xor{n = 16}
local opt = optim.adam(m)
local run = m:fit{d, epochs = 1000, verbose = false, optimizer = opt, validation = v}
local objects = {model = m, data = d, optimizer = opt, validation = v}
assert(objects[which], "give model, data, optimizer or validation")
objects[which]:free()
for _ = 1, 20 do repl._jobs_step(0) end -- what the prompt does between two lines
run:stop()
print("ok")
