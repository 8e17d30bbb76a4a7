-- nn.lua: the `nn` table users see. It starts as the tensor API of the "nn.core"
-- binding (tensors, ops, autograd, seed, no_grad, graph); layers, losses and
-- training are added below it by their own code.
local nn = {}
for k, v in pairs(require "nn.core") do nn[k] = v end
require("nn_train")(nn) -- layers, losses, models, fit, save/load (lua/nn_train.lua)

return nn
