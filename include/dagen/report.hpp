// The interface report (<top>.json) and the graph dumps (JSON, Graphviz DOT).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dagen/adder_graph.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"
#include "dagen/verilog.hpp"

namespace dagen {

nlohmann::json interface_report(const std::string& top, const AdderGraph& g, const Schedule& s,
                                const EmittedDesign& design, const Target& target);

// The graph and where the schedule puts each node ("stage", "latency").
nlohmann::json graph_to_json(const AdderGraph& g, const Schedule& s);
std::string graph_to_dot(const AdderGraph& g);

}  // namespace dagen
