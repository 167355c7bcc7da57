// Evaluates an AdderGraph node by node with exact arithmetic.  It also checks
// that every node value stays inside the node's inferred interval, so a wrong
// width can never hide behind a correct final result.
#include "dagen/interpret.hpp"

#include <algorithm>

#include "dagen/diag.hpp"

namespace dagen {

std::vector<Fixed> interpret(const AdderGraph& g, const std::vector<i128>& input_codes) {
  std::vector<i128> code(g.nodes.size(), 0);
  auto value = [&](const Operand& op) -> Fixed {
    const Node& n = g.at(op.node);
    return {code[static_cast<std::size_t>(op.node)], n.type.frac_bits - op.shift};
  };
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    i128 c = 0;
    switch (n.kind) {
      case NodeKind::Input:
        c = input_codes[static_cast<std::size_t>(n.input_index)];
        break;
      case NodeKind::Const:
        c = n.const_code;
        break;
      case NodeKind::Add: {
        // Both operands on the node's grid (the finer of the two): exact.  align_code
        // throws beyond 126 bits, so the sum of two such codes cannot overflow.
        const i128 a = align_code(value(n.a()), n.type.frac_bits);
        const i128 b = align_code(value(n.b()), n.type.frac_bits);
        c = n.sub ? a - b : a + b;
        break;
      }
      case NodeKind::Neg:
        c = -value(n.a()).code;  // a node code of at most kMaxWidth bits: no overflow
        break;
      case NodeKind::Relu:
        c = std::max<i128>(value(n.a()).code, 0);
        break;
      case NodeKind::Quantize:
        c = quantize(value(n.a()), n.quant_to, n.rounding, n.overflow);
        break;
      case NodeKind::Ge:
        c = compare_exact(value(n.a()), value(n.b())) >= 0 ? 1 : 0;
        break;
      case NodeKind::Mux: {
        // The picked operand on the node's grid (the finer of the two): exact.
        const Operand& picked = value(n.operand(0)).code != 0 ? n.operand(1) : n.operand(2);
        c = align_code(value(picked), n.type.frac_bits);
        break;
      }
      case NodeKind::Lookup: {
        const LookupTable& t = g.tables.at(static_cast<std::size_t>(n.table));
        i128 k = 0;
        if (__builtin_sub_overflow(value(n.a()).code, t.in_lo, &k) || k < 0 ||
            k >= static_cast<i128>(t.values.size()))
          throw InternalError("graph interpreter: node " + std::to_string(id) + " looks up code " +
                              to_string(value(n.a()).code) + ", outside its table");
        c = t.values[static_cast<std::size_t>(k)];
        break;
      }
    }
    if (c < n.lo || c > n.hi)
      throw InternalError("graph interpreter: node " + std::to_string(id) + " value " +
                          to_string(c) + " is outside its inferred interval [" + to_string(n.lo) +
                          ", " + to_string(n.hi) + "]");
    code[id] = c;
  }
  std::vector<Fixed> out;
  for (const Operand& o : g.outputs) out.push_back(value(o));
  return out;
}

}  // namespace dagen
