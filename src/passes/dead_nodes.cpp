// Dead-node removal: keeps inputs and whatever the outputs reach through
// operands, whatever the node kinds on the way.
#include <vector>

#include "dagen/passes.hpp"

namespace dagen {

void remove_dead_nodes(AdderGraph& g) {
  const std::size_t n = g.nodes.size();
  std::vector<bool> live(n, false);
  for (const Operand& o : g.outputs) live[static_cast<std::size_t>(o.node)] = true;
  for (std::size_t id = n; id-- > 0;) {
    const Node& node = g.nodes[id];
    if (node.kind == NodeKind::Input) live[id] = true;
    if (!live[id]) continue;
    // Operands precede their users, so one backward sweep finds everything reachable.
    for_each_operand(node,
                     [&](const Operand& o) { live[static_cast<std::size_t>(o.node)] = true; });
  }
  std::vector<int> new_id(n, -1);
  std::vector<Node> kept;
  for (std::size_t id = 0; id < n; ++id) {
    if (!live[id]) continue;
    new_id[id] = static_cast<int>(kept.size());
    kept.push_back(std::move(g.nodes[id]));
  }
  auto remap = [&](Operand& o) {
    if (o.node >= 0) o.node = new_id[static_cast<std::size_t>(o.node)];
  };
  for (Node& node : kept) for_each_operand(node, remap);
  for (Operand& o : g.outputs) remap(o);
  // Layer input lists may name dead nodes (inputs folded away): keep them only if alive.
  for (auto& inputs : g.layer_inputs)
    for (Operand& o : inputs) remap(o);
  g.nodes = std::move(kept);
}

}  // namespace dagen
