// Which bits of each node some output depends on.  A wrapping quantizer drops the
// high bits of its operand and a truncating one the low bits; adders only need
// their operands' bits below their own highest demanded bit (carries run upward),
// and bits an adder merely passes through only where they are demanded.
// Synthesis removes the logic and flip-flops of the other bits, so resource
// estimates count only these.
#pragma once

#include <algorithm>
#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen {

// Bits [low, top) of a node's code, in its own bit positions (bit 0 = least significant).
struct BitSpan {
  int low = 0;
  int top = 0;
  int width() const { return std::max(0, top - low); }
};

// The demanded bits of every node (an empty span for nodes no output reads).
std::vector<BitSpan> demanded_bits(const AdderGraph& g);

}  // namespace dagen
