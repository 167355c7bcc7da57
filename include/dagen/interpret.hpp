// An interpreter of the adder graph: what the generated circuit computes,
// derived from the graph alone (compared bit for bit with the reference).
#pragma once

#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen {

// Input codes -> exact output values (one per graph output).
std::vector<Fixed> interpret(const AdderGraph& g, const std::vector<i128>& input_codes);

}  // namespace dagen
