#include "dagen/graph_builder.hpp"

#include "dagen/exact.hpp"

namespace dagen {

Operand GraphBuilder::node(Node n) {
  const int id = g_.add(std::move(n));
  infer_node(g_, id);
  return {id, 0};
}

Operand GraphBuilder::constant(const Fixed& value) {
  const Fixed v = normalized(value);
  Node n;
  n.kind = NodeKind::Const;
  n.const_code = v.code;
  n.type.frac_bits = v.frac;
  return node(n);
}

Fixed GraphBuilder::lo(const Operand& x) const {
  return {g_.at(x.node).lo, operand_type(g_, x).frac_bits};
}
Fixed GraphBuilder::hi(const Operand& x) const {
  return {g_.at(x.node).hi, operand_type(g_, x).frac_bits};
}
bool GraphBuilder::is_constant(const Operand& x) const {
  return g_.at(x.node).lo == g_.at(x.node).hi;
}

Operand GraphBuilder::relu(const Operand& x) {
  if (g_.at(x.node).lo >= 0) return x;  // already non-negative: the identity
  Node n;
  n.kind = NodeKind::Relu;
  n.operands = {x};
  return node(n);
}

Operand GraphBuilder::quantize(const Operand& x, const FixedType& to, Rounding rounding,
                               Overflow overflow) {
  Node n;
  n.kind = NodeKind::Quantize;
  n.operands = {x};
  n.quant_to = to;
  n.rounding = rounding;
  n.overflow = overflow;
  return node(n);
}

Operand GraphBuilder::ge(const Operand& a, const Operand& b) {
  if (compare(lo(a), hi(b)) >= 0) return constant({1, 0});
  if (compare(hi(a), lo(b)) < 0) return constant({0, 0});
  Node n;
  n.kind = NodeKind::Ge;
  n.operands = {a, b};
  return node(n);
}

Operand GraphBuilder::mux(const Operand& sel, const Operand& a, const Operand& b) {
  const Node& s = g_.at(sel.node);
  if (s.lo == s.hi) return s.lo != 0 ? a : b;
  if (a == b) return a;
  Node n;
  n.kind = NodeKind::Mux;
  n.operands = {sel, a, b};
  return node(n);
}

Operand GraphBuilder::max(const Operand& a, const Operand& b) { return mux(ge(a, b), a, b); }
Operand GraphBuilder::min(const Operand& a, const Operand& b) { return mux(ge(b, a), a, b); }

Operand GraphBuilder::extremum(const std::vector<Operand>& xs, bool maximum) {
  std::vector<Operand> level = xs;
  // Pairs of neighbours level by level: depth ceil(log2 n).
  while (level.size() > 1) {
    std::vector<Operand> next;
    for (std::size_t k = 0; k + 1 < level.size(); k += 2)
      next.push_back(maximum ? max(level[k], level[k + 1]) : min(level[k], level[k + 1]));
    if (level.size() % 2) next.push_back(level.back());
    level = std::move(next);
  }
  return level.at(0);
}

Operand GraphBuilder::lookup(const Operand& x, LookupTable table) {
  auto key = std::make_tuple(x.node, x.shift, table.in_lo, table.out_frac, table.values);
  if (const auto it = lookups_.find(key); it != lookups_.end()) return it->second;
  const int index = static_cast<int>(g_.tables.size());
  g_.tables.push_back(std::move(table));
  Node n;
  n.kind = NodeKind::Lookup;
  n.operands = {x};
  n.table = index;
  const Operand y = node(n);
  lookups_.emplace(std::move(key), y);
  return y;
}

}  // namespace dagen
