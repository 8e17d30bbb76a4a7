-- doc/scrub.lua: help entries of the run-history slider (lua/scrub.lua, the window's
-- slider in src/viz/window.c) and of the playground run's history (lua/pg_history.lua).
return {
  ["window:slider"] = {
    sig = "w:slider(n, pos [, text]) -> w;  w:slider(0);  w:slider() -> n, pos",
    summary = "a slider of n positions along the window's bottom, the knob at pos (1-based)",
    text = [[
The views of a run (plot.decision, plot.loss, plot.confusion, ... with run =, and the
playground) put it there by themselves: one position a kept snapshot of the run's
weights and a last one for the model as it is now. Clicking the strip or dragging the
knob calls the function given to w:on_slide with the position; the views' slider
seeks the run (run:seek), as the arrow keys do. w:slider(0) removes it; w:slider()
with no argument says how many positions it has and where the knob is (0, 0: none).]],
    example = [[
w = plot.window{plot.lines{y = {3, 2, 1}, show = false}, show = false}
w:slider(5, 2, "epoch 1 of 4")
print(w:slider())   --> 5	2]],
  },
  ["window:slider_at"] = {
    sig = "w:slider_at(i) -> x, y",
    summary = "the pixel of the slider's position i, as last laid out (for tests that click it)",
    text = "An error when the window has no slider.",
    example = [[
w = plot.window{plot.lines{y = {3, 2, 1}, show = false}, show = false}
w:slider(3, 1, "epoch 0")
print(w:slider_at(3))]],
  },
  ["window:on_slide"] = {
    sig = "w:on_slide(fn) -> w",
    summary = "fn(position) is called when the slider is clicked or dragged to another position",
    text = "The position is 1-based; the program moves the knob itself (w:slider(n, position, text)).",
    example = [[
w = plot.window{plot.lines{y = {3, 2, 1}, show = false}, show = false}
w:slider(4, 4, "latest")
w:on_slide(function(k) w:slider(4, k, "position " .. k) end)]],
  },
  ["playground_run:seek"] = {
    sig = "pg.run:seek(epoch | \"latest\") -> the epoch shown",
    summary = "shows the playground's net as it was after an epoch (training pauses)",
    text = [[
The playground keeps snapshots of its net while it trains (every epoch it reaches
between slices, at most 64: past that every other one goes). Seeking to an old epoch
pauses training and draws the network and the decision surface from those weights;
"latest" (or space, resuming) shows the net as it is now. The slider along the
bottom of the playground's window does the same with the mouse.]],
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 20, show = false}
print(pg.run:seek(0))             --> 0
print(pg.run:seek("latest"))      --> 20]],
  },
  ["playground_run:shown_epoch"] = {
    sig = "pg.run:shown_epoch() -> epoch",
    summary = "the epoch the playground's views show (the current one unless seek chose another)",
    text = "See pg.run:seek.",
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 10, show = false}
print(pg.run:shown_epoch())   --> 10]],
  },
  ["playground_run:snapshots"] = {
    sig = "pg.run:snapshots() -> {epochs = {...}, stride =}",
    summary = "the epochs whose weights the playground's run keeps for seeking",
    text = "Epoch 0 is the net before training.",
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 10, show = false}
print(pg.run:snapshots().epochs[1])   --> 0]],
  },
  ["playground_run:step_back"] = {
    sig = "pg.run:step_back() -> epoch",
    summary = "the playground's net one kept epoch earlier (the left arrow in its window)",
    text = "Training pauses, as with pg.run:seek; at the first kept epoch it stays.",
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 10, show = false}
print(pg.run:step_back())   --> 0]],
  },
  ["playground_run:step_forward"] = {
    sig = "pg.run:step_forward() -> epoch",
    summary = "the playground's net one kept epoch later (the right arrow in its window)",
    text = "Past the last kept epoch the net as it is now.",
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 10, show = false}
pg.run:seek(0)
print(pg.run:step_forward())   --> 10]],
  },
  ["playground_run:key"] = {
    sig = "pg.run:key(key) -> true | false",
    summary = "what the playground's window does with a key: the arrows, Home and End move through the history",
    text = [[
Left and right step one kept epoch back and forward, Home shows the net before
training (epoch 0), End the net as it is now, as in the window of any view of a run
(run:key). Returns whether the key was one of them.]],
    example = [[
pg = playground{data = "xor", hidden = {3}, epochs = 10, show = false}
pg.run:key("home"); print(pg.run:shown_epoch())   --> 0]],
  },
}
