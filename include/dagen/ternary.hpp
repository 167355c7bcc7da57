// Ternary adders: pairs of two-input adders fused into one three-input adder,
// one carry chain with one LUT per bit (Xilinx LUT6_2 + CARRY8, rtl_lib/dagen_add3.v)
// where the pair needs two chains and about two LUTs per bit.
//
// This header is the IR's side: what a fused pair (Node::ternary_inner) computes, read
// by demanded_bits() and the emitter.  Which pairs fuse, and on which device, is the
// target's (Target::ternary_pairs, include/dagen/target.hpp).
#pragma once

#include <array>
#include <limits>

#include "dagen/adder_graph.hpp"

namespace dagen {

// One addend of a fused adder: the operand (shifts composed) and whether it is subtracted.
struct TernaryTerm {
  Operand operand;
  bool negated = false;
};

// The three addends of Add node `outer` fused with its Add operand `inner`; the
// first is never subtracted (an Add's first operand is always added).
std::array<TernaryTerm, 3> ternary_terms(const AdderGraph& g, int outer, int inner);

// The fused adder's carry chain covers bits [low, top) of the outer node's code:
// below `low` one added term alone is nonzero and its bits are wired through; from
// `demanded_top` on (demanded_bits()) no output reads the sum, so the chain stops there.
struct TernaryChain {
  int low = 0;
  int top = 0;
  int lowest_term = 0;  // the term whose bits lie below `low`
  int luts() const { return top - low; }
};
TernaryChain ternary_chain(const AdderGraph& g, int outer, int inner,
                           int demanded_top = std::numeric_limits<int>::max());

}  // namespace dagen
