// Exact register minimisation for a fixed latency and stage delay.
#pragma once

#include <utility>
#include <vector>

#include "dagen/adder_graph.hpp"
#include "dagen/schedule.hpp"

namespace dagen::sched {

// Assigns every node a stage in 0..latency (`stage`, one per node) so that no
// stage's combinational path exceeds t_max and the register bits are the fewest
// possible.  Returns false (stages untouched) when the problem is too large for the
// work budget `max_work` or t_max cannot be met.  `same_stage` pairs {u, v} must share
// a stage (no register between them: adders to be fused into one ternary adder).
bool min_register_stages(const AdderGraph& g, int latency, std::vector<int>& stage,
                         const std::vector<double>& delay, double t_max,
                         const std::vector<std::pair<int, int>>& same_stage = {},
                         std::size_t max_work = kExactPlacementWork);

}  // namespace dagen::sched
