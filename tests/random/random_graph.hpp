// Seeded generator of random VALID model.json version 2 documents: small tensors
// of rank 1-3 through every op (dense on the last axis, conv1d/2d with strides,
// dilation and both paddings, pooling, merges of several inputs, sum, concat,
// reshape, transpose, scale, lookup tables, argmax), one or two inputs and
// outputs.  Quantizers keep values narrow, so every document lowers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace dagen::testing {

nlohmann::json random_graph_model(std::uint64_t seed, int max_nodes = 8);

}  // namespace dagen::testing
