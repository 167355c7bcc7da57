// Small graph helpers shared by the register-placement passes.
#pragma once

#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen::sched {

// Constants and other known values are wires: they never need registers or time
// (is_constant_value() in the IR).
inline bool is_const(const Node& n) { return is_constant_value(n); }

// users[id]: the distinct nodes that read node id.
inline std::vector<std::vector<int>> node_users(const AdderGraph& g) {
  std::vector<std::vector<int>> users(g.nodes.size());
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    for_each_operand(g.nodes[id], [&](const Operand& o) {
      auto& u = users[static_cast<std::size_t>(o.node)];
      if (u.empty() || u.back() != static_cast<int>(id)) u.push_back(static_cast<int>(id));
    });
  return users;
}

}  // namespace dagen::sched
