// Target::adder_luts: the LUTs of the add/sub and negation nodes on an FPGA whose adders are carry
// chains fed by one LUT per bit (Xilinx CARRY4/CARRY8, Lattice SB_CARRY): the LUT computes the
// bit's propagate signal a_i XOR b_i (XNOR for a subtraction).  A bit needs no LUT
// when that signal is a plain wire (one operand is a known zero in an addition) or a
// constant (both bits are the same wire), and bits whose operand pair repeats an
// earlier bit share its LUT: above both operands' sign bits every bit sees the same
// two sign bits, and two adders that combine the same two bits the same way share
// one LUT (synthesis merges identical logic).  Yosys keeps about these LUTs
// (benchmarks/README.md compares the two), so this is a close LUT count for the
// adders without running synthesis.
//
// A comparison a >= b is the carry chain of a - b (src/emit/verilog.cpp, emit_compare),
// counted like a subtraction over its whole width.  A mux takes one LUT per output bit
// that selects between two different signals (or inverts the select): three inputs,
// which Yosys maps to one LUT each (Vivado may pair two bits of one select in a LUT6_2;
// either may also absorb a mux into the LUT that reads it).  A lookup takes one LUT6
// per output bit that is not constant over the entries its index reaches, or
// 2^(index bits - 6) LUT6 for an index of more than six bits (a tree of them and the
// F7/F8 muxes).
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "dagen/adder_graph.hpp"
#include "dagen/demanded_bits.hpp"
#include "dagen/target.hpp"
#include "dagen/ternary.hpp"

namespace dagen {
namespace {

// A bit: {node, bit of that node}, or {kConstant, 0 or 1}.
using Wire = std::pair<int, int>;
constexpr int kConstant = -1;
constexpr Wire kZero{kConstant, 0};
// One LUT: the XOR of two wires (or one wire, second = kZero), inverted or not.
using Propagate = std::tuple<Wire, Wire, bool>;

// One operand in the node's bit positions, with sign extension folded onto the sign
// bit and constants resolved to their bits.
struct OperandBits {
  int node = -1;
  int offset = 0;  // the operand's bit 0 sits at node bit `offset`
  int width = 0;
  bool is_signed = false;
  bool is_const = false;
  i128 code = 0;

  Wire wire(int i) const {
    const int j = i - offset;
    if (j < 0 || width == 0 || (j >= width && !is_signed)) return kZero;
    const int bit = std::min(j, width - 1);
    if (is_const) return {kConstant, static_cast<int>((code >> bit) & 1)};
    return {node, bit};
  }
};

// Synthesis merges nodes that compute the same function of the same signals (an
// unshared graph repeats the adders of equal columns): each node's representative.
std::vector<int> merged_nodes(const AdderGraph& g) {
  std::vector<int> rep(g.nodes.size());
  // By kind and operands: {kind, then node and shift of each operand (-1, 0: none)};
  // a lookup's table stands in its second operand's place.
  std::map<std::array<int, 7>, int> seen;
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id) {
    const Node& n = g.at(id);
    rep[static_cast<std::size_t>(id)] = id;
    std::array<int, 7> key{-1, -1, 0, -1, 0, -1, 0};
    switch (n.kind) {
      case NodeKind::Add:
        key[0] = n.sub ? 1 : 0;
        break;
      case NodeKind::Neg:
        key[0] = 2;
        break;
      case NodeKind::Ge:
        key[0] = 3;
        break;
      case NodeKind::Mux:
        key[0] = 4;
        break;
      case NodeKind::Lookup:
        key[0] = 5;
        key[3] = n.table;
        break;
      case NodeKind::Input:
      case NodeKind::Const:
      case NodeKind::Relu:
      case NodeKind::Quantize:
        continue;
    }
    for (std::size_t k = 0; k < n.operands.size(); ++k) {
      key[1 + 2 * k] = rep[static_cast<std::size_t>(n.operands[k].node)];
      key[2 + 2 * k] = n.operands[k].shift;
    }
    const auto [it, fresh] = seen.try_emplace(key, id);
    if (!fresh && g.at(it->second).type == n.type) rep[static_cast<std::size_t>(id)] = it->second;
  }
  return rep;
}

OperandBits operand_bits(const AdderGraph& g, const std::vector<int>& rep, const Node& reader,
                         const Operand& op) {
  const FixedType t = operand_type(g, op);
  const Node& n = g.at(op.node);
  return {rep[static_cast<std::size_t>(op.node)],
          operand_offset(g, reader, op),
          t.width(),
          t.is_signed,
          is_constant_value(n),
          n.lo};
}

// The LUT that computes x XOR y (XNOR for a subtraction), if one is needed.
std::optional<Propagate> propagate(Wire x, Wire y, bool sub) {
  if (x.first == kConstant && y.first == kConstant) return std::nullopt;
  if (x.first == kConstant) std::swap(x, y);
  if (y.first == kConstant) {  // x or NOT x
    if ((y.second != 0) == sub) return std::nullopt;
    return Propagate{x, kZero, true};
  }
  if (x == y) return std::nullopt;  // x XOR x: a constant
  return Propagate{std::min(x, y), std::max(x, y), sub};
}

// The propagate LUTs of a comparison's subtraction a - b, over its whole width.
void add_comparison(const AdderGraph& g, const std::vector<int>& rep, const Node& n,
                    std::set<Propagate>& out) {
  const Comparison c = comparison(g, n);
  const FixedType ta = operand_type(g, n.a());
  const Node& na = g.at(n.a().node);
  const OperandBits a{rep[static_cast<std::size_t>(n.a().node)],
                      c.a_offset,
                      ta.width(),
                      ta.is_signed,
                      is_constant_value(na),
                      na.lo};
  OperandBits b = operand_bits(g, rep, n, n.b());
  b.offset = 0;  // the comparison is on b's grid
  for (int i = 0; i < c.width; ++i)
    if (const auto p = propagate(a.wire(i), b.wire(i), true)) out.insert(*p);
}

// One mux LUT: {select, the bit when it is 1, the bit when it is 0}.
using MuxBit = std::tuple<Wire, Wire, Wire>;

// The LUTs of a mux's demanded bits [low, top): none where both operands supply the
// same signal, or where the select passes through (sel ? 1 : 0).
void add_mux(const AdderGraph& g, const std::vector<int>& rep, const Node& n, const BitSpan& s,
             std::set<MuxBit>& out) {
  const Node& sel = g.at(n.operand(0).node);
  if (sel.lo == sel.hi) return;  // a known select: a wire
  const Wire select{rep[static_cast<std::size_t>(n.operand(0).node)], 0};
  const OperandBits a = operand_bits(g, rep, n, n.operand(1));
  const OperandBits b = operand_bits(g, rep, n, n.operand(2));
  for (int i = s.low; i < std::min(s.top, n.type.width()); ++i) {
    const Wire x = a.wire(i), y = b.wire(i);
    if (x == y || (x == Wire{kConstant, 1} && y == kZero)) continue;
    out.insert({select, x, y});
  }
}

// LUT6 of a lookup's demanded output bits that vary over the reachable entries.
int lookup_luts(const AdderGraph& g, const Node& n, const BitSpan& s) {
  const LookupTable& t = g.tables[static_cast<std::size_t>(n.table)];
  const Node& x = g.at(n.a().node);
  const auto first = static_cast<std::size_t>(x.lo - t.in_lo);
  const auto last = static_cast<std::size_t>(x.hi - t.in_lo);
  const int per_bit = 1 << std::min(30, std::max(0, lookup_index_bits(g, n) - 6));
  int luts = 0;
  for (int i = s.low; i < std::min(s.top, n.type.width()); ++i) {
    const auto bit = [&](std::size_t k) { return (t.values[k] >> std::min(i, 126)) & 1; };
    for (std::size_t k = first + 1; k <= last; ++k)
      if (bit(k) != bit(first)) {
        luts += per_bit;
        break;
      }
  }
  return luts;
}

// The LUTs of one node's demanded bits below `top`.
void add_propagates(const AdderGraph& g, const std::vector<int>& rep, int id, int top,
                    std::set<Propagate>& out) {
  const Node& n = g.at(id);
  if (n.kind == NodeKind::Ge && top > 0 && !is_constant_value(n)) add_comparison(g, rep, n, out);
  if (n.kind != NodeKind::Add && n.kind != NodeKind::Neg) return;
  const int w = std::min(n.type.width(), top);
  const bool sub = n.kind == NodeKind::Neg || n.sub;
  // A negation is 0 - a.
  const OperandBits a = n.kind == NodeKind::Neg ? OperandBits{} : operand_bits(g, rep, n, n.a());
  const OperandBits b = operand_bits(g, rep, n, n.kind == NodeKind::Neg ? n.a() : n.b());
  for (int i = passed_through_bits(g, n); i < w; ++i)
    if (const auto p = propagate(a.wire(i), b.wire(i), sub)) out.insert(*p);
}

}  // namespace

int Target::adder_luts(const AdderGraph& g) const {
  const std::vector<BitSpan> demanded = demanded_bits(g);
  const std::vector<int> rep = merged_nodes(g);
  // A fused pair (ternary adder) is one LUT per bit of its carry chain.
  std::vector<bool> fused(g.nodes.size(), false);
  int ternary = 0;
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id) {
    const int inner = g.at(id).ternary_inner;
    if (inner < 0) continue;
    fused[static_cast<std::size_t>(id)] = fused[static_cast<std::size_t>(inner)] = true;
    ternary += ternary_chain(g, id, inner, demanded[static_cast<std::size_t>(id)].top).luts();
  }
  std::set<Propagate> propagates;
  std::set<MuxBit> mux_bits;
  int lookups = 0;
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id) {
    const auto k = static_cast<std::size_t>(id);
    if (!fused[k]) add_propagates(g, rep, id, demanded[k].top, propagates);
    const Node& n = g.at(id);
    if (is_constant_value(n) || demanded[k].width() == 0) continue;
    if (n.kind == NodeKind::Mux) add_mux(g, rep, n, demanded[k], mux_bits);
    if (n.kind == NodeKind::Lookup && rep[k] == id) lookups += lookup_luts(g, n, demanded[k]);
  }
  return static_cast<int>(propagates.size() + mux_bits.size()) + ternary + lookups;
}

}  // namespace dagen
