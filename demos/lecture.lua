-- demos/lecture.lua: a 15-minute lecture demo, written as a lesson file. Start it with
--   nnlab --projector        (every window in large type, thick lines)
--   :lesson demos/lecture.lua
-- then step it with PageDown in any window (at the prompt: Enter or :next); PageUp
-- or :back goes back. A presenter's clicker sends PageDown and PageUp. Each pause() ends
-- a page; caption[[...]] puts the page's sentence under every window's panels, large
-- enough for the back row; say[[...]] are your notes in the terminal. See help
-- "plot.keys" and docs/presenting.md.
lesson{"lecture", "Demo: a network learns the spiral; optimizers race"}

say[[
# The playground

A two-layer net on the spiral. The line above the views shows the epoch, the training
and test loss, the learning rate and the layer sizes.
]]

show[[
pg = playground{data = "spiral", hidden = {8, 8}, activation = "tanh", lr = 0.03, seed = 1}
]]

caption[[Each hidden neuron bends the plane; the output combines the bends]]

pause("Click the surface to add points; r in the window starts a new net.")

say[[
# Too large a step

A learning rate a hundred times larger: the loss jumps. When it climbs twentyfold the
loss plot turns to a log scale and says the run diverges.
]]

show[[
pg.lr = 3
]]

caption[[Too large a learning rate: the steps overshoot and the loss explodes]]

pause("pg:reset() (or r in the window) and a sane rate bring it back.")

show[[
pg.lr = 0.03
pg:reset()
]]

caption[[The same net, new weights: training starts again]]

pause()

say[[
# A race on a saddle

Plain gradient descent crawls off a saddle; momentum and Adam leave it quickly.
]]

show[[
pg:stop()
r = race{surface = "saddle", optimizers = {"sgd", "momentum", "adam"}}
]]

caption[[On a saddle the gradient is tiny: momentum builds up speed]]

pause()

show[[
r = race{surface = "rosenbrock", optimizers = {"sgd", "momentum", "adam"}}
]]

caption[[Rosenbrock's curved valley: the steps zig-zag across it]]

pause()

say[[
That is the demo. :lessons lists the course's lessons.
]]
