// Ternary adders: pairs of two-input adders fused into one three-input adder,
// one carry chain with one LUT per bit (Xilinx LUT6_2 + CARRY8, rtl_lib/dagen_add3.v)
// where the pair needs two chains and about two LUTs per bit.
#pragma once

#include <array>
#include <limits>
#include <utility>
#include <vector>

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

// The adder pairs of a graph placed in `stage` (per node) that fuse: an Add whose only
// reader is another Add of the same pipeline stage (no register between them) and
// neither has a constant operand.  Each node joins at most one pair; the pairs are a
// maximum-weight matching on the forest of such edges (weight: the LUTs the fusion
// saves by ternary_chain() against the two adders' carry-chain bits).  As {inner,
// outer}, by increasing outer; the graph's own marks are ignored.
std::vector<std::pair<int, int>> ternary_pairs(const AdderGraph& g, const std::vector<int>& stage);

// Marks those pairs in the graph (Node::ternary_inner, all others -1); returns their number.
int fuse_ternary_adders(AdderGraph& g, const std::vector<int>& stage);

}  // namespace dagen
