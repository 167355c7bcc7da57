// Bit-width aware cost: the summed widths of the adders, estimated from the input
// ranges (InputSpec) through every operand's exact coefficient vector.  An adder's
// cost is its carry-chain length: from the higher of its two operands' least
// significant bits (the bits below only pass through) up to its result's sign bit.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

struct Range {
  long double lo = 0, hi = 0;
  int lsb = 0;       // weight 2^lsb of the lowest bit that can be nonzero
  bool zero = true;  // the operand is identically zero
};

std::vector<Range> operand_ranges(const Solution& s, std::span<const InputSpec> inputs) {
  const auto coef = operand_coefficients(s);
  std::vector<Range> r(coef.size());
  for (std::size_t k = 0; k < coef.size(); ++k) {
    Range& x = r[k];
    x.lsb = 1 << 20;
    for (int i = 0; i < s.n_inputs; ++i) {
      const std::int64_t c = coef[k][i];
      if (c == 0) continue;
      const InputSpec in = i < static_cast<int>(inputs.size()) ? inputs[i] : InputSpec{};
      const long double a = static_cast<long double>(c) * in.lo;
      const long double b = static_cast<long double>(c) * in.hi;
      x.lo += std::min(a, b);
      x.hi += std::max(a, b);
      const int tz = std::countr_zero(static_cast<std::uint64_t>(c < 0 ? -c : c));
      x.lsb = std::min(x.lsb, tz - in.frac_bits);
      x.zero = false;
    }
    if (x.zero) x.lsb = 0;
  }
  return r;
}

}  // namespace

int value_top(long double lo, long double hi) {
  int t = 0;
  if (hi > 0) t = std::max(t, static_cast<int>(std::floor(std::log2(hi))) + 1);
  if (lo < 0) t = std::max(t, static_cast<int>(std::ceil(std::log2(-lo))));
  return lo < 0 ? t + 1 : t;
}

std::vector<OperandBits> operand_bits(const Solution& s, std::span<const InputSpec> inputs) {
  std::vector<OperandBits> bits;
  for (const Range& r : operand_ranges(s, inputs))
    bits.push_back({r.lsb, value_top(r.lo, r.hi), r.lo, r.hi});
  return bits;
}

std::vector<int> adder_widths(const Solution& s, std::span<const InputSpec> inputs) {
  const std::vector<Range> r = operand_ranges(s, inputs);
  std::vector<int> w;
  w.reserve(s.ops.size());
  for (std::size_t k = 0; k < s.ops.size(); ++k) {
    const Op& op = s.ops[k];
    const Range& out = r[s.n_inputs + k];
    const int low = std::max(r[op.a.operand].lsb + op.a.shift, r[op.b.operand].lsb + op.b.shift);
    const int top = value_top(out.lo, out.hi);
    w.push_back(std::max(1, top - low));
  }
  return w;
}

std::int64_t adder_bits(const Solution& s, std::span<const InputSpec> inputs) {
  std::int64_t total = 0;
  for (int x : adder_widths(s, inputs)) total += x;
  return total;
}

}  // namespace dagen::cmvm
