// Graph-to-graph passes and invariant checks, run by the driver in a straight line.
#pragma once

#include <string>

#include "dagen/adder_graph.hpp"

namespace dagen {

// Remove nodes no output depends on (inputs are kept); renumbers nodes.
void remove_dead_nodes(AdderGraph& g);

// Structural invariants: operands precede users, every node's type matches
// what inference derives, CMVM coefficient vectors match what each node
// computes.  Returns an empty string when all hold, else the first violation.
std::string check_graph(const AdderGraph& g);

}  // namespace dagen
