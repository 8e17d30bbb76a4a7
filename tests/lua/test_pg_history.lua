-- test_pg_history.lua: the playground's snapshots for scrubbing (lua/pg_history.lua).
-- A small net takes a snapshot nearly every slice; past 64 every other one goes and
-- the stride doubles, and the states dropped are reused for the next snapshots rather
-- than allocated again. Reuse must never touch a state still kept: each kept epoch
-- holds, to the bit, the weights the net had when it was taken, and seek shows it.
-- Offscreen (SDL_VIDEODRIVER=dummy); the job is driven by hand, as the prompt does.

local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end

repl.interactive = true -- the job trains in chunks only at the prompt
nn.seed(3)
local pg = playground{ data = "xor", n = 40, hidden = { 3 }, batch = 10, speed = 0, grid = 20 }

local function dump(state)
  local parts = {}
  for i, t in ipairs(state) do
    local flat = {}
    local function walk(v)
      if type(v) == "table" then for _, x in ipairs(v) do walk(x) end else flat[#flat + 1] = ("%a"):format(v) end
    end
    walk(t:totable())
    parts[i] = table.concat(flat, ",")
  end
  return table.concat(parts, ";")
end

-- what each snapshot held when it was taken, and every state table ever used
local taken, tables = {}, {}
local h = pg._hist
local function look()
  for _, e in ipairs(h.epochs) do
    local s = h.states[e]
    if not taken[e] then taken[e] = dump(s); tables[s] = true end
  end
end
look()
local guard = 0
while h.stride < 16 do
  repl._jobs_step(0.005)
  look()
  guard = guard + 1
  expect(guard < 20000, "the stride never reached 16 (%d)", h.stride)
end
pg.run:pause()

local n_tables = 0
for _ in pairs(tables) do n_tables = n_tables + 1 end
expect(#h.epochs <= 64 and h.epochs[1] == 0, "64 snapshots at most, epoch 0 first: %d, first %s", #h.epochs,
  tostring(h.epochs[1]))
-- four halvings dropped some 128 states: they were reused, not allocated again
expect(n_tables <= 64 + 2, "%d state tables for %d snapshots taken", n_tables, (function()
  local c = 0
  for _ in pairs(taken) do c = c + 1 end
  return c
end)())
local seen = {}
for _, e in ipairs(h.epochs) do
  local s = h.states[e]
  expect(not seen[s], "epochs %s and %d share one state", tostring(seen[s]), e)
  seen[s] = e
  expect(dump(s) == taken[e], "the snapshot of epoch %d changed after it was taken", e)
end

-- seek shows a kept epoch: the net's weights then, and the live ones back after
local live = dump(pg.model:parameters())
local e = h.epochs[#h.epochs // 2]
expect(pg.run:seek(e) == e and pg.run:shown_epoch() == e, "seek(%d) shows %s", e, tostring(pg.run:shown_epoch()))
expect(dump(pg.model:parameters()) == live, "the live weights are back after the seek drew epoch %d", e)
pg.run:seek("latest")
pg:stop()
pg.window:close()
repl.interactive = false
print("pg_history: ok")
