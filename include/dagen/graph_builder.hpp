// Building adder-graph nodes for the non-linear ops: each helper appends a node
// with its exact interval, or folds it when the operands' intervals decide the
// result (a ReLU of a non-negative value, a comparison of disjoint ranges).
#pragma once

#include <map>
#include <tuple>
#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen {

class GraphBuilder {
 public:
  explicit GraphBuilder(AdderGraph& g) : g_(g) {}
  AdderGraph& graph() { return g_; }

  // Appends n, derives its interval; returns it as an operand.
  Operand node(Node n);
  Operand constant(const Fixed& value);
  // Exact bounds of an operand's value.
  Fixed lo(const Operand& x) const;
  Fixed hi(const Operand& x) const;
  bool is_constant(const Operand& x) const;

  Operand relu(const Operand& x);
  Operand quantize(const Operand& x, const FixedType& to, Rounding rounding, Overflow overflow);
  // 1 if a >= b, else 0.
  Operand ge(const Operand& a, const Operand& b);
  // a if sel else b.
  Operand mux(const Operand& sel, const Operand& a, const Operand& b);
  Operand max(const Operand& a, const Operand& b);
  Operand min(const Operand& a, const Operand& b);
  // The max (or min) of xs (not empty) as a balanced tree of pairs.
  Operand extremum(const std::vector<Operand>& xs, bool maximum);
  // A table lookup of x's code (see LookupTable); one instance per (x, table).
  Operand lookup(const Operand& x, LookupTable table);

 private:
  AdderGraph& g_;
  std::map<std::tuple<int, int, i128, int, std::vector<i128>>, Operand> lookups_;
};

}  // namespace dagen
