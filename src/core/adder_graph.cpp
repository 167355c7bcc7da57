// AdderGraph construction helpers, exact interval/type inference and statistics.
#include "dagen/adder_graph.hpp"

#include <algorithm>

#include "dagen/diag.hpp"

namespace dagen {

// Every kind's operands fit a node's inline OperandList.
static_assert([] {
  for (const NodeKind k :
       {NodeKind::Input, NodeKind::Const, NodeKind::Add, NodeKind::Neg, NodeKind::Relu,
        NodeKind::Quantize, NodeKind::Ge, NodeKind::Mux, NodeKind::Lookup})
    if (arity(k) < 0 || static_cast<std::size_t>(arity(k)) > OperandList::kMaxOperands)
      return false;
  return true;
}());

int AdderGraph::add(Node node) {
  nodes.push_back(std::move(node));
  return static_cast<int>(nodes.size()) - 1;
}

FixedType operand_type(const AdderGraph& g, const Operand& op) {
  FixedType t = g.at(op.node).type;
  t.frac_bits -= op.shift;
  t.int_bits += op.shift;
  return t;
}

int operand_offset(const AdderGraph& g, const Node& n, const Operand& op) {
  return n.type.frac_bits - operand_type(g, op).frac_bits;
}

int passed_through_bits(const AdderGraph& g, const Node& n) {
  if (n.kind != NodeKind::Add) return 0;
  const int la = operand_offset(g, n, n.a()), lb = operand_offset(g, n, n.b());
  return n.sub ? (la == 0 ? lb : 0) : std::max(la, lb);
}

Comparison comparison(const AdderGraph& g, const Node& ge) {
  const FixedType a = operand_type(g, ge.a()), b = operand_type(g, ge.b());
  Comparison c;
  c.frac = b.frac_bits;
  const int wa = a.width();
  const int k = a.frac_bits - b.frac_bits;  // > 0: a is the finer, floored by k bits
  if (wa == 0) {
    c.a_bits = 0;
  } else if (k <= 0 || k < wa) {
    c.a_offset = -k;
    c.a_bits = k <= 0 ? wa : wa - k;
  } else if (a.is_signed) {  // floor(a / 2^k) for k >= wa: -1 or 0, the sign bit
    c.a_offset = -(wa - 1);
    c.a_bits = 1;
  } else {  // floor(a / 2^k) = 0
    c.a_offset = -wa;
    c.a_bits = 0;
  }
  c.width = std::max(c.a_bits + std::max(0, c.a_offset), b.width()) + 1;
  return c;
}

int lookup_index_bits(const AdderGraph& g, const Node& lookup) {
  const Node& x = g.at(lookup.a().node);
  return bit_length(x.hi - x.lo);
}

namespace {

struct Range {
  i128 lo, hi;
  int frac;
};

Range operand_range(const AdderGraph& g, const Operand& op) {
  const Node& n = g.at(op.node);
  return {n.lo, n.hi, n.type.frac_bits - op.shift};
}

void check_width(const Node& n, int id) {
  if (n.type.width() > kMaxWidth)
    throw ToolError("node " + std::to_string(id) + " needs " + std::to_string(n.type.width()) +
                    " bits, more than the limit of " + std::to_string(kMaxWidth) + " bits");
}

// Bounds of 2^e * sum_i c_i * x_i on the grid 2^-frac, if every term lies on that grid.
bool coefficient_bounds(const AdderGraph& g, const Node& n, int frac, i128& lo, i128& hi) {
  const auto& inputs = g.layer_inputs[static_cast<std::size_t>(n.layer)];
  lo = hi = 0;
  for (std::size_t i = 0; i < n.coeffs.size(); ++i) {
    const i128 c = n.coeffs[i];
    if (c == 0) continue;
    const Range x = operand_range(g, inputs[i]);
    // c * 2^e * code * 2^-xf on grid 2^-frac: c * code * 2^(e - xf + frac).
    const int up = n.coeff_exp - x.frac + frac;
    if (up < 0 || bit_length(c) + std::max(bit_length(x.lo), bit_length(x.hi)) + up > 124)
      return false;
    // |c * code * 2^up| < 2^124 by the check above, but the running sums of many
    // such terms could pass 2^127: then the operand interval is used instead.
    const i128 a = shift_left(c * x.lo, up), b = shift_left(c * x.hi, up);
    if (__builtin_add_overflow(lo, std::min(a, b), &lo) ||
        __builtin_add_overflow(hi, std::max(a, b), &hi))
      return false;
  }
  return true;
}

}  // namespace

void infer_node(AdderGraph& g, int id) {
  Node& n = g.at(id);
  switch (n.kind) {
    case NodeKind::Input: {
      n.type = g.input_types[static_cast<std::size_t>(n.input_index)];
      n.lo = n.type.min_code();
      n.hi = n.type.max_code();
      return;
    }
    case NodeKind::Const: {
      n.type = type_for_codes(n.const_code, n.const_code, n.type.frac_bits);
      n.lo = n.hi = n.const_code;
      check_width(n, id);
      return;
    }
    case NodeKind::Add: {
      const Range a = operand_range(g, n.a()), b = operand_range(g, n.b());
      const int frac = std::max(a.frac, b.frac);
      try {
        // Each aligned bound is below 2^126 (shift_left), so a sum or difference of
        // two cannot overflow; the width check below then applies the 120-bit limit.
        const i128 alo = shift_left(a.lo, frac - a.frac), ahi = shift_left(a.hi, frac - a.frac);
        const i128 blo = shift_left(b.lo, frac - b.frac), bhi = shift_left(b.hi, frac - b.frac);
        n.lo = n.sub ? alo - bhi : alo + blo;
        n.hi = n.sub ? ahi - blo : ahi + bhi;
      } catch (const std::overflow_error&) {
        throw ToolError("node " + std::to_string(id) + ": operands are too far apart in scale");
      }
      i128 clo = 0, chi = 0;
      if (n.layer >= 0 && coefficient_bounds(g, n, frac, clo, chi)) {
        n.lo = std::max(n.lo, clo);
        n.hi = std::min(n.hi, chi);
      }
      n.type = type_for_codes(n.lo, n.hi, frac);
      check_width(n, id);
      return;
    }
    case NodeKind::Neg: {
      const Range a = operand_range(g, n.a());
      n.lo = -a.hi;
      n.hi = -a.lo;
      n.type = type_for_codes(n.lo, n.hi, a.frac);
      check_width(n, id);
      return;
    }
    case NodeKind::Relu: {
      const Range a = operand_range(g, n.a());
      n.lo = std::max<i128>(a.lo, 0);
      n.hi = std::max<i128>(a.hi, 0);
      n.type = type_for_codes(n.lo, n.hi, a.frac);
      return;
    }
    case NodeKind::Quantize: {
      const Range a = operand_range(g, n.a());
      const FixedType& t = n.quant_to;
      n.type = t;
      if (t.width() == 0) {
        n.lo = n.hi = 0;
        return;
      }
      i128 rlo = 0, rhi = 0;
      bool exact = true;
      try {
        rlo = round_to_frac({a.lo, a.frac}, t.frac_bits, n.rounding);
        rhi = round_to_frac({a.hi, a.frac}, t.frac_bits, n.rounding);
      } catch (const std::overflow_error&) {
        exact = false;
      }
      // SAT_SYM on a signed type saturates below at -max_code, not at min_code.
      const i128 low =
          n.overflow == Overflow::SAT_SYM && t.is_signed ? -t.max_code() : t.min_code();
      if (exact && rlo >= low && rhi <= t.max_code()) {
        n.lo = rlo;
        n.hi = rhi;
      } else if (n.overflow == Overflow::WRAP || !exact) {
        n.lo = t.min_code();
        n.hi = t.max_code();
      } else {
        n.lo = quantize({a.lo, a.frac}, t, n.rounding, n.overflow);
        n.hi = quantize({a.hi, a.frac}, t, n.rounding, n.overflow);
      }
      return;
    }
    case NodeKind::Ge: {
      const Range a = operand_range(g, n.a()), b = operand_range(g, n.b());
      // a shifted up onto b's grid must fit the limits an adder's operand does.
      if (const Comparison c = comparison(g, n); c.width - 1 > kMaxWidth)
        throw ToolError("node " + std::to_string(id) + ": operands are too far apart in scale");
      n.type = {false, 1, 0};
      n.lo = compare_exact({a.lo, a.frac}, {b.hi, b.frac}) >= 0 ? 1 : 0;  // a >= b always
      n.hi = compare_exact({a.hi, a.frac}, {b.lo, b.frac}) >= 0 ? 1 : 0;  // a >= b possible
      return;
    }
    case NodeKind::Mux: {
      const Operand &s = n.operand(0), &x = n.operand(1), &y = n.operand(2);
      const Range a = operand_range(g, x), b = operand_range(g, y);
      const int frac = std::max(a.frac, b.frac);
      i128 alo = 0, ahi = 0, blo = 0, bhi = 0;
      try {
        alo = shift_left(a.lo, frac - a.frac);
        ahi = shift_left(a.hi, frac - a.frac);
        blo = shift_left(b.lo, frac - b.frac);
        bhi = shift_left(b.hi, frac - b.frac);
      } catch (const std::overflow_error&) {
        throw ToolError("node " + std::to_string(id) + ": operands are too far apart in scale");
      }
      const Node& sel = g.at(s.node);
      const bool ge = sel.kind == NodeKind::Ge && s.shift == 0;
      if (sel.lo == sel.hi) {  // the select is known: the operand it picks
        n.lo = sel.lo != 0 ? alo : blo;
        n.hi = sel.lo != 0 ? ahi : bhi;
      } else if (ge && sel.a() == x && sel.b() == y) {  // max(a, b)
        n.lo = std::max(alo, blo);
        n.hi = std::max(ahi, bhi);
      } else if (ge && sel.a() == y && sel.b() == x) {  // min(a, b)
        n.lo = std::min(alo, blo);
        n.hi = std::min(ahi, bhi);
      } else {
        n.lo = std::min(alo, blo);
        n.hi = std::max(ahi, bhi);
      }
      n.type = type_for_codes(n.lo, n.hi, frac);
      check_width(n, id);
      return;
    }
    case NodeKind::Lookup: {
      if (n.table < 0 || static_cast<std::size_t>(n.table) >= g.tables.size() ||
          g.tables[static_cast<std::size_t>(n.table)].values.empty())
        throw InternalError("node " + std::to_string(id) + ": a lookup without its table");
      const LookupTable& t = g.tables[static_cast<std::size_t>(n.table)];
      // The entries x's codes reach (all of them if x's interval is not inside the
      // table, a graph check_graph() rejects).
      auto first = t.values.begin(), last = t.values.end();
      const Node& x = g.at(n.a().node);
      i128 from = 0, to = 0;
      if (!__builtin_sub_overflow(x.lo, t.in_lo, &from) &&
          !__builtin_sub_overflow(x.hi, t.in_lo, &to) && from >= 0 &&
          to < static_cast<i128>(t.values.size())) {
        first += static_cast<std::ptrdiff_t>(from);
        last = t.values.begin() + static_cast<std::ptrdiff_t>(to) + 1;
      }
      n.lo = *std::min_element(first, last);
      n.hi = *std::max_element(first, last);
      n.type = type_for_codes(n.lo, n.hi, t.out_frac);
      check_width(n, id);
      return;
    }
  }
}

void infer_types(AdderGraph& g) {
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id) infer_node(g, id);
}

std::vector<int> adder_depths(const AdderGraph& g) {
  std::vector<int> depth(g.nodes.size(), 0);
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    int d = 0;
    for_each_operand(
        n, [&](const Operand& o) { d = std::max(d, depth[static_cast<std::size_t>(o.node)]); });
    // A comparison is a carry chain like an adder's; a mux or a table is LUTs.
    depth[id] = d + (n.kind == NodeKind::Add || n.kind == NodeKind::Ge ? 1 : 0);
  }
  return depth;
}

GraphStats graph_stats(const AdderGraph& g, int adder_luts) {
  GraphStats s;
  s.adder_luts = adder_luts;
  for (const Node& n : g.nodes) {
    if (n.kind == NodeKind::Add) {
      ++s.adders;
      s.adder_bits += n.type.width();
    }
    if (n.ternary_inner >= 0) ++s.ternary_adders;
    if (n.kind == NodeKind::Neg) ++s.negations;
    if (n.kind == NodeKind::Relu) ++s.relus;
    if (n.kind == NodeKind::Quantize) ++s.quantizers;
    if (n.kind == NodeKind::Ge) ++s.comparators;
    if (n.kind == NodeKind::Mux) ++s.muxes;
    if (n.kind == NodeKind::Lookup) ++s.lookups;
  }
  const auto depth = adder_depths(g);
  for (const Operand& o : g.outputs)
    s.adder_depth = std::max(s.adder_depth, depth[static_cast<std::size_t>(o.node)]);
  return s;
}

}  // namespace dagen
