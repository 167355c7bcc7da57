// Constant matrix-vector multiplication (CMVM) as a shift-add problem.
//
// The optimizer sees one dense layer as an integer matrix W (rows = inputs,
// columns = outputs, Keras kernel layout) and must produce a list of
// two-input add/sub operations of shifted operands such that every output
// column j evaluates exactly y_j = sum_i W(i, j) * x_i.  This header is the
// contract between the optimizer (src/cmvm/) and the rest of the flow.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace dagen::cmvm {

using IntMatrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;

// What the optimizer may know about input i, for bit-width aware costs.
// Values are real numbers: x_i lies in [lo, hi] on a grid of 2^-frac_bits.
struct InputSpec {
  double lo = 0.0;
  double hi = 0.0;
  int frac_bits = 0;
};

// operand * 2^shift, negated when `negative`.  Operand k < n_inputs is input
// k; operand k >= n_inputs is the result of ops[k - n_inputs].
struct Term {
  int operand = 0;
  int shift = 0;
  bool negative = false;
  friend bool operator==(const Term&, const Term&) = default;
};

// One two-input adder: value = a + b, with a.negative == false always
// (normalised: a subtraction is b.negative == true).
struct Op {
  Term a;
  Term b;
};

struct Solution {
  int n_inputs = 0;
  std::vector<Op> ops;  // topological order: op k reads only operands < n_inputs + k
  // One per column.  nullopt: the column is all zeros.  A negative term is a
  // column that is a single negated value (the flow adds a negation).
  std::vector<std::optional<Term>> outputs;
};

enum class Objective {
  Adders,     // minimise the number of two-input adders
  AdderBits,  // minimise the summed output widths of the adders (what LUTs follow)
};

struct Options {
  // Depth control (--dc K): each output's adder depth <= ceil(log2 d_j) + K,
  // where d_j is the total number of CSD digits in column j.  nullopt: free.
  // (A negative K is unreachable in general and is treated as 0.)
  std::optional<int> depth_slack;
  Objective objective = Objective::Adders;
  std::uint64_t seed = 0;  // same seed, same inputs: same solution
  // Search effort (an iteration budget, never a time budget): 0 = one greedy pass
  // (about 1 ms for a 16x16 8-bit matrix), 1 = default (seeded restarts with
  // iterated-greedy rounds, about 13 ms for 16x16), higher = proportionally more
  // restarts.
  int effort = 1;
  // false: no sharing at all, one CSD adder tree per column (a baseline for benchmarks).
  bool share = true;
};

// Optimise one CMVM problem.  `inputs` has W.rows() entries.
Solution solve(const IntMatrix& w, std::span<const InputSpec> inputs, const Options& options);

// Number of nonzero canonical-signed-digit digits of v.
int csd_digit_count(std::int64_t v);

// ceil(log2 d) for d >= 1, 0 for d <= 1: the least adder depth of a sum of d terms.
int min_depth_for_terms(int d);

// The coefficient vector (over the inputs) that each operand computes,
// inputs first, then one per op.  Used by tests and by the flow to derive
// exact intervals.  Entries are exact as long as they fit in 64 bits.
std::vector<std::vector<std::int64_t>> operand_coefficients(const Solution& s);

// Adder depth of every operand (inputs 0, op = 1 + max of its operands).
std::vector<int> operand_depths(const Solution& s);

// Estimated width in bits of each adder's carry chain (Objective::AdderBits): from
// the higher least-significant bit of its two shifted operands up to the sign bit of
// its result, with value ranges derived exactly from `inputs` (missing specs count
// as the range [0, 0]).
std::vector<int> adder_widths(const Solution& s, std::span<const InputSpec> inputs);

// Position just above the sign bit (or top bit, when lo >= 0) of numbers in
// [lo, hi]: they fit in two's complement bits below it.
int value_top(long double lo, long double hi);

// Lowest bit that can be nonzero (weight 2^lsb), the position just above the sign
// bit (top) and the bounds of every operand's value, inputs first, from the exact
// ranges.
struct OperandBits {
  int lsb = 0;
  int top = 0;
  long double lo = 0, hi = 0;
  // The same for the value * 2^s.
  OperandBits shifted(int s) const {
    return {lsb + s, top + s, std::ldexp(lo, s), std::ldexp(hi, s)};
  }
};
std::vector<OperandBits> operand_bits(const Solution& s, std::span<const InputSpec> inputs);

// Sum of adder_widths: the cost that Objective::AdderBits minimises.
std::int64_t adder_bits(const Solution& s, std::span<const InputSpec> inputs);

// Orientation (orient.cpp): every adder may compute its value or the value's
// negation, its readers absorbing the sign, without changing the adder count or
// any depth.  An adder whose lower operand (the one with bits below the other's
// lowest bit) is subtracted spends carry-chain LUTs on those bits; added, they pass
// through as wires.  orient() picks the signs that minimise these bits plus the
// cost of each output that ends negated, `negated_output_cost(j, bits of output
// j's value)`, which the caller knows (a negation adder, or a constant minus the
// value).  The outputs' values are unchanged.
void orient(Solution& s, std::span<const InputSpec> inputs,
            const std::function<int(int, OperandBits)>& negated_output_cost);

}  // namespace dagen::cmvm
