// Where each output's bias joins a CMVM solution's adders (lower.cpp uses it).
//
// A bias added after the column's last adder costs a carry chain as wide as the
// whole sum, above the bias's lowest bit.  Added instead to a narrow term deep in
// the column's own (unshared) adders, the chain is as wide as that term, and the
// adders above it grow by at most the bias's share of their range.  The adder
// count is the same (one per biased output), and no output gets deeper: the path
// through the inserted adder gains one adder and loses the last one.
#pragma once

#include <span>
#include <vector>

#include "dagen/cmvm.hpp"
#include "dagen/fixed.hpp"

namespace dagen {

struct BiasPlacement {
  // -1: after the output's last adder, as a separate adder (no better place).
  // Otherwise the index of the op whose term `slot` (0 = a, 1 = b) becomes
  // (term's operand + constant) with the term's shift and sign.
  int op = -1;
  int slot = 0;
  Fixed
      constant;  // on the operand's own scale (the bias undone through the path's shifts and signs)
};

// One placement per output.  `bias[j]` is output j's constant; the solution's
// output j is read as value * 2^(shift - weight_frac).  `inputs` are the ranges the
// placement is priced with (the row's own).
std::vector<BiasPlacement> place_biases(const cmvm::Solution& s,
                                        std::span<const cmvm::InputSpec> inputs,
                                        std::span<const Fixed> bias, int weight_frac);

// The solution with each placed bias as one more input (a constant: inputs n ..
// n + k - 1, in output order) and one more op (operand + constant) that the
// placement's term reads instead of the operand.  Outputs are unchanged in form;
// a placed output's value now includes its bias.
cmvm::Solution with_bias_inputs(const cmvm::Solution& s, std::span<const BiasPlacement> placed);

}  // namespace dagen
