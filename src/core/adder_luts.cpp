// LUTs of the add/sub and negation nodes on an FPGA whose adders are carry chains fed
// by one LUT per bit (Xilinx CARRY4/CARRY8, Lattice SB_CARRY): the LUT computes the
// bit's propagate signal a_i XOR b_i (XNOR for a subtraction).  A bit needs no LUT
// when that signal is a plain wire (one operand is a known zero in an addition) or a
// constant (both bits are the same wire), and bits whose operand pair repeats an
// earlier bit share its LUT: above both operands' sign bits every bit sees the same
// two sign bits, and two adders that combine the same two bits the same way share
// one LUT (synthesis merges identical logic).  Yosys keeps about these LUTs
// (benchmarks/README.md compares the two), so this is a close LUT count for the
// adders without running synthesis.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "dagen/adder_graph.hpp"
#include "dagen/demanded_bits.hpp"
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
  std::map<std::tuple<int, int, int, int, int>, int> seen;  // add/sub/neg by operands
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id) {
    const Node& n = g.at(id);
    rep[static_cast<std::size_t>(id)] = id;
    if (n.kind != NodeKind::Add && n.kind != NodeKind::Neg) continue;
    const bool add = n.kind == NodeKind::Add;
    const int a = rep[static_cast<std::size_t>(n.a().node)];
    const int b = add ? rep[static_cast<std::size_t>(n.b().node)] : -1;
    const int kind = add ? (n.sub ? 1 : 0) : 2;
    const auto [it, fresh] = seen.try_emplace({kind, a, n.a().shift, b, add ? n.b().shift : 0}, id);
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
          n.kind == NodeKind::Const,
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

// The LUTs of one node's demanded bits below `top`.
void add_propagates(const AdderGraph& g, const std::vector<int>& rep, int id, int top,
                    std::set<Propagate>& out) {
  const Node& n = g.at(id);
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

int adder_luts(const AdderGraph& g) {
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
  for (int id = 0; id < static_cast<int>(g.nodes.size()); ++id)
    if (!fused[static_cast<std::size_t>(id)])
      add_propagates(g, rep, id, demanded[static_cast<std::size_t>(id)].top, propagates);
  return static_cast<int>(propagates.size()) + ternary;
}

int logic_luts(const AdderGraph& g) {
  long long luts = 0;
  for (const Node& n : g.nodes) {
    if (n.type.width() == 0) continue;
    if (n.kind == NodeKind::Ge) {
      // a - b over the aligned operands; the low bits only one operand has need none.
      const FixedType a = operand_type(g, n.a()), b = operand_type(g, n.b());
      const int frac = std::max(a.frac_bits, b.frac_bits);
      const int w = std::max(a.width() + frac - a.frac_bits, b.width() + frac - b.frac_bits);
      luts += std::max(1, w - std::abs(a.frac_bits - b.frac_bits));
    } else if (n.kind == NodeKind::Mux) {
      luts += n.type.width();
    } else if (n.kind == NodeKind::Lookup) {
      const Node& x = g.at(n.a().node);
      const int bits = bit_length(x.hi - x.lo);
      luts += static_cast<long long>(n.type.width()) << std::max(0, bits - 6);
    }
  }
  return static_cast<int>(std::min<long long>(luts, INT32_MAX));
}

}  // namespace dagen
