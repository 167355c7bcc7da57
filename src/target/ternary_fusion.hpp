// The ternary-adder pairing of src/target/ternary_fusion.cpp (Target::ternary_pairs).
#pragma once

#include <utility>
#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen::target_detail {

// Target::ternary_pairs() for a device with ternary adders.
std::vector<std::pair<int, int>> ternary_pairs(const AdderGraph& g, const std::vector<int>& stage);

}  // namespace dagen::target_detail
