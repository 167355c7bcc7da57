// Target::node_delay: the device delay models.  A two-input adder costs a route, a LUT (operand
// half-sum) and a carry ripple that grows with its carry-chain width; low bits
// passed straight through from an unshifted operand cost nothing.  A comparison
// is the carry chain of a subtraction, a mux one LUT level, a table lookup a tree
// of LUT levels.  Numbers are
// first-order estimates from the vendors' data sheets, calibrated against
// nextpnr-ice40 for iCE40 (benchmarks/README.md); the numbers are in the target
// table (src/target/targets.cpp).
#include <algorithm>

#include "dagen/diag.hpp"
#include "dagen/target.hpp"

namespace dagen {

namespace {

// Bits that go through the carry chain of an Add node (the rest pass through).
int carry_bits(const AdderGraph& g, const Node& n) {
  const int w = n.type.width();
  const int fa = g.at(n.a().node).type.frac_bits - n.a().shift;
  const int fb = g.at(n.b().node).type.frac_bits - n.b().shift;
  const int low = std::abs(fa - fb);  // low bits taken from the finer operand alone
  const bool passes = fa > fb || !n.sub;
  return std::max(1, passes ? w - low : w);
}

// LUT levels of a table with `bits` index bits: one LUT holds lut_inputs of them;
// every further level is a LUT used as a 2^s:1 mux (s select bits and 2^s data
// inputs: s = 2 for a LUT6, the F7/F8 muxes of a Xilinx slice being as fast; s = 1
// for an iCE40 LUT4).
int lookup_levels(int bits, const DelayModel& m) {
  int s = 1;
  while (s + 1 + (2 << s) <= m.lut_inputs) ++s;
  const int extra = std::max(0, bits - m.lut_inputs);
  return 1 + (extra + s - 1) / s;
}

}  // namespace

double Target::node_delay(const AdderGraph& g, const Node& n) const {
  const DelayModel& m = delays();
  if (n.type.width() == 0) return 0;
  switch (n.kind) {
    case NodeKind::Input:
    case NodeKind::Const:
      return 0;
    case NodeKind::Add:
      return m.route_ns + m.lut_ns + m.carry_per_bit_ns * carry_bits(g, n);
    case NodeKind::Neg:
      return m.route_ns + m.lut_ns + m.carry_per_bit_ns * n.type.width();
    case NodeKind::Relu:
      return m.route_ns + m.lut_ns;
    case NodeKind::Quantize: {
      // Rounding is a carry chain; saturation a compare chain and a LUT mux.
      const bool rounds = n.rounding == Rounding::RND;
      const bool saturates = n.overflow != Overflow::WRAP;
      double d = 0;
      if (rounds) d += m.route_ns + m.lut_ns + m.carry_per_bit_ns * n.type.width();
      if (saturates) d += m.route_ns + 2 * m.lut_ns + m.carry_per_bit_ns * n.type.width();
      return d;
    }
    case NodeKind::Ge:
      if (is_constant_value(n)) return 0;
      return m.route_ns + m.lut_ns + m.carry_per_bit_ns * comparison(g, n).width;
    case NodeKind::Mux: {
      const Node& sel = g.at(n.operand(0).node);  // a known select: a wire
      return is_constant_value(n) || sel.lo == sel.hi ? 0 : m.route_ns + m.lut_ns;
    }
    case NodeKind::Lookup:
      // Each level is a route and a LUT.
      if (is_constant_value(n)) return 0;
      return lookup_levels(lookup_index_bits(g, n), m) * (m.route_ns + m.lut_ns);
  }
  return 0;
}

}  // namespace dagen
