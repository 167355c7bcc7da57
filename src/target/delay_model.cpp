// Target::node_delay: the device delay models.  A two-input adder costs a route, a LUT (operand
// half-sum), the way into and out of the carry chain and a ripple that grows with its width; low
// bits passed straight through from an unshifted operand cost nothing.  A comparison is the carry
// chain of a subtraction, a mux one LUT level, a table lookup a tree of LUT levels.  The numbers
// are in the target table (src/target/targets.cpp): iCE40 fitted to nextpnr-ice40
// (benchmarks/README.md), UltraScale+ to a published Vivado result
// (benchmarks/delay_calibration.md).
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

// A route, the LUT that feeds a carry chain of `bits` bits, and the chain.
double chain(const DelayModel& m, int bits) {
  return m.route_ns + m.lut_ns + m.carry_ns + m.carry_per_bit_ns * bits;
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
      return chain(m, carry_bits(g, n));
    case NodeKind::Neg:
      return chain(m, n.type.width());
    case NodeKind::Relu:
      return m.route_ns + m.lut_ns;
    case NodeKind::Quantize: {
      // Rounding is a carry chain; saturation a compare chain and a LUT mux.
      const bool rounds = n.rounding == Rounding::RND;
      const bool saturates = n.overflow != Overflow::WRAP;
      double d = 0;
      if (rounds) d += chain(m, n.type.width());
      if (saturates) d += chain(m, n.type.width()) + m.lut_ns;
      return d;
    }
    case NodeKind::Ge:
      if (is_constant_value(n)) return 0;
      return chain(m, comparison(g, n).width);
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
