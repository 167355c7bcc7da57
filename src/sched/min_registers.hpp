// Exact register minimisation for a fixed latency and stage delay.
#pragma once

#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen::sched {

// Assigns every node a stage in 0..g.latency so that no stage's combinational
// path exceeds t_max and the register bits are the fewest possible.  Returns
// false (stages untouched) when the problem is too large for the work budget
// or t_max cannot be met.
bool min_register_stages(AdderGraph& g, const std::vector<double>& delay, double t_max);

}  // namespace dagen::sched
