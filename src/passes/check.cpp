// Invariant checks between passes: topological order, exact types, and CMVM
// coefficient vectors that agree with the node's structure.
#include <algorithm>
#include <map>

#include "dagen/passes.hpp"

namespace dagen {

namespace {

// Coefficients of an operand (node value * 2^shift) over layer L's inputs as
// (vector, exponent); false when the operand is not part of layer L's CMVM.
bool operand_coeffs(const AdderGraph& g, int layer, const Operand& o, std::vector<i128>& c,
                    int& exp) {
  const auto& inputs = g.layer_inputs[static_cast<std::size_t>(layer)];
  const Node& n = g.at(o.node);
  if (n.layer == layer) {
    c.assign(n.coeffs.begin(), n.coeffs.end());
    exp = n.coeff_exp + o.shift;
    return true;
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].node == o.node) {
      c.assign(inputs.size(), 0);
      c[i] = 1;
      exp = o.shift - inputs[i].shift;
      return true;
    }
  }
  return false;
}

// The rules of the comparison, mux and lookup kinds (the others have none beyond
// their operand count).
std::string check_kind(const AdderGraph& g, const Node& n) {
  switch (n.kind) {
    case NodeKind::Ge:
      if (n.type != FixedType{false, 1, 0}) return "a comparison is not one unsigned bit";
      return {};
    case NodeKind::Mux: {
      const FixedType s = g.at(n.operand(0).node).type;
      // One unsigned bit on grid 1 (or the constant zero, no bits).
      if (n.operand(0).shift != 0 || s.is_signed || s.frac_bits != 0 || s.width() > 1)
        return "a mux's select is not one unsigned bit read unshifted";
      return {};
    }
    case NodeKind::Lookup: {
      if (n.table < 0 || static_cast<std::size_t>(n.table) >= g.tables.size())
        return "a lookup of table " + std::to_string(n.table) + ", which does not exist";
      const LookupTable& t = g.tables[static_cast<std::size_t>(n.table)];
      if (t.values.empty() || t.values.size() > kMaxTableEntries)
        return "a table of " + std::to_string(t.values.size()) + " entries (1 to " +
               std::to_string(kMaxTableEntries) + ")";
      if (n.type.frac_bits != t.out_frac) return "a lookup not on its table's output grid";
      const Node& x = g.at(n.a().node);
      i128 top = 0;  // x.hi's entry
      if (x.lo < t.in_lo || __builtin_sub_overflow(x.hi, t.in_lo, &top) ||
          top >= static_cast<i128>(t.values.size()))
        return "the operand's codes [" + to_string(x.lo) + ", " + to_string(x.hi) +
               "] are not all entries of its table (from " + to_string(t.in_lo) + ", " +
               std::to_string(t.values.size()) + " entries)";
      return {};
    }
    case NodeKind::Input:
    case NodeKind::Const:
    case NodeKind::Add:
    case NodeKind::Neg:
    case NodeKind::Relu:
    case NodeKind::Quantize:
      return {};
  }
  return {};
}

}  // namespace

std::string check_graph(const AdderGraph& g) {
  // Per layer input: the first input of the same node with the least shift.
  std::vector<std::vector<std::size_t>> representatives;
  for (const auto& inputs : g.layer_inputs) {
    std::map<int, std::size_t> first;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      auto [it, fresh] = first.emplace(inputs[i].node, i);
      if (!fresh && inputs[i].shift < inputs[it->second].shift) it->second = i;
    }
    auto& rep = representatives.emplace_back();
    for (const Operand& o : inputs) rep.push_back(first.at(o.node));
  }
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    const std::string where = "node " + std::to_string(id) + ": ";
    if (static_cast<int>(n.operands.size()) != arity(n.kind))
      return where + std::to_string(n.operands.size()) + " operands, its kind takes " +
             std::to_string(arity(n.kind));
    for (std::size_t k = 0; k < n.operands.size(); ++k)
      if (n.operands[k].node < 0 || static_cast<std::size_t>(n.operands[k].node) >= id)
        return where + "bad operand " + std::to_string(k);
    if (n.type.width() < 0 || n.type.width() > kMaxWidth) return where + "width out of range";
    if (n.lo > n.hi || !code_in_type(n.lo, n.type) || !code_in_type(n.hi, n.type))
      return where + "interval does not fit its type";
    if (const std::string problem = check_kind(g, n); !problem.empty()) return where + problem;
    if (n.kind == NodeKind::Add && n.layer >= 0) {
      std::vector<i128> ca, cb;
      int ea = 0, eb = 0;
      if (!operand_coeffs(g, n.layer, n.a(), ca, ea) || !operand_coeffs(g, n.layer, n.b(), cb, eb))
        return where + "operand outside its layer's CMVM";
      const int e = std::min({ea, eb, n.coeff_exp});
      // The same node may be several inputs of a layer (duplicate columns of the
      // layer before), possibly with different shifts: compare the coefficients
      // summed per distinct node, in units of that node's value * 2^(least shift).
      const auto& inputs = g.layer_inputs[static_cast<std::size_t>(n.layer)];
      const auto& rep = representatives[static_cast<std::size_t>(n.layer)];
      std::vector<i128> lhs(n.coeffs.size(), 0), rhs(n.coeffs.size(), 0);
      for (std::size_t i = 0; i < n.coeffs.size(); ++i) {
        const std::size_t f = rep[i];
        const int up = inputs[i].shift - inputs[f].shift;
        lhs[f] += shift_left(shift_left(static_cast<i128>(n.coeffs[i]), n.coeff_exp - e), up);
        rhs[f] += shift_left(
            shift_left(ca[i], ea - e) + (n.sub ? -1 : 1) * shift_left(cb[i], eb - e), up);
      }
      if (lhs != rhs) return where + "coefficient vector does not match its operands";
    }
  }
  for (const Operand& o : g.outputs)
    if (o.node < 0 || static_cast<std::size_t>(o.node) >= g.nodes.size()) return "bad output";
  return {};
}

}  // namespace dagen
