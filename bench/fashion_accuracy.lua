-- fashion_accuracy.lua: nnlab's side of the accuracy check of the mlp workload
-- (bench/fashion_mlp.sh): 784-256-128-10 ReLU on Fashion-MNIST's 60000 training
-- images, Xavier-uniform weights and zero biases (nn.linear's defaults), batch 64,
-- Adam lr 1e-3, cross-entropy, shuffled epochs, through m:fit (the C loop); the test
-- accuracy on the 10000 test images after `epochs` epochs.
-- Usage: nnlab bench/fashion_accuracy.lua EPOCHS (OPENBLAS_NUM_THREADS sets the threads)
local epochs = tonumber(arg and arg[1]) or 5
nn.seed(1)
local train, test = data.fashion_mnist()
local m = nn.sequential{nn.linear(784, 256), nn.relu(), nn.linear(256, 128), nn.relu(), nn.linear(128, 10)}
local t0 = os.time()
m:fit{train, epochs = epochs, batch = 64, optimizer = optim.adam(m, {lr = 1e-3}), verbose = false}
print(("nnlab fashion test_acc %.4f"):format(m:evaluate(test).accuracy))
print(("# nnlab fashion: %d epochs in about %d s"):format(epochs, os.time() - t0))
