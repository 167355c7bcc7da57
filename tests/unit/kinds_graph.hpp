// Building small adder graphs node by node in tests, every node's type inferred
// as it is added (the comparison, mux and lookup kinds included).
#pragma once

#include <utility>

#include "dagen/adder_graph.hpp"

namespace dagen::test {

struct GraphMaker {
  AdderGraph g;

  int input(const FixedType& t) {
    g.input_types.push_back(t);
    Node n;
    n.kind = NodeKind::Input;
    n.input_index = static_cast<int>(g.input_types.size()) - 1;
    return finish(std::move(n));
  }
  int constant(i128 code, int frac) {
    Node n;
    n.kind = NodeKind::Const;
    n.const_code = code;
    n.type.frac_bits = frac;
    return finish(std::move(n));
  }
  int node(NodeKind kind, OperandList operands, bool sub = false) {
    Node n;
    n.kind = kind;
    n.operands = operands;
    n.sub = sub;
    return finish(std::move(n));
  }
  int add(Operand a, Operand b, bool sub = false) { return node(NodeKind::Add, {a, b}, sub); }
  int quantize(Operand x, const FixedType& to, Rounding r = Rounding::TRN,
               Overflow o = Overflow::WRAP) {
    Node n;
    n.kind = NodeKind::Quantize;
    n.operands = {x};
    n.quant_to = to;
    n.rounding = r;
    n.overflow = o;
    return finish(std::move(n));
  }
  int ge(Operand a, Operand b) { return node(NodeKind::Ge, {a, b}); }
  int mux(Operand sel, Operand a, Operand b) { return node(NodeKind::Mux, {sel, a, b}); }
  int max(Operand a, Operand b) { return mux({ge(a, b), 0}, a, b); }
  int min(Operand a, Operand b) { return mux({ge(b, a), 0}, a, b); }
  int lookup(Operand x, LookupTable table) {
    g.tables.push_back(std::move(table));
    Node n;
    n.kind = NodeKind::Lookup;
    n.operands = {x};
    n.table = static_cast<int>(g.tables.size()) - 1;
    return finish(std::move(n));
  }

  // Appends the node and infers its type; on a ToolError (a width limit) the node
  // (and a lookup's table) is removed again and the error rethrown.
  int finish(Node n) {
    const bool table = n.kind == NodeKind::Lookup;
    const int id = g.add(std::move(n));
    try {
      infer_node(g, id);
    } catch (...) {
      g.nodes.pop_back();
      if (table) g.tables.pop_back();
      throw;
    }
    return id;
  }
  const Node& at(int id) const { return g.at(id); }
};

}  // namespace dagen::test
