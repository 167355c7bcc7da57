// Analyses of a finished Solution: coefficient vectors and adder depths of every operand.
#include <algorithm>
#include <cstdint>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

// c * 2^shift; a negative shift divides (exact for the solutions we produce).
// Coefficients are partial sums of shifted CSD digits of weights below 2^48
// (kMaxWeightSpanBits), so they stay below 2^50; the shift goes through uint64_t.
std::int64_t shifted(std::int64_t c, int shift) {
  if (shift >= 0) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(c) << shift);
  }
  return c >> (-shift);
}

}  // namespace

int min_depth_for_terms(int d) {
  int depth = 0;
  while ((std::int64_t{1} << depth) < d) ++depth;
  return depth;
}

std::vector<std::vector<std::int64_t>> operand_coefficients(const Solution& s) {
  const int n = s.n_inputs;
  std::vector<std::vector<std::int64_t>> c;
  c.reserve(n + s.ops.size());
  for (int i = 0; i < n; ++i) {
    std::vector<std::int64_t> unit(n, 0);
    unit[i] = 1;
    c.push_back(std::move(unit));
  }
  for (const Op& op : s.ops) {
    std::vector<std::int64_t> v(n, 0);
    for (const Term* t : {&op.a, &op.b}) {
      const std::vector<std::int64_t>& src = c[t->operand];
      for (int i = 0; i < n; ++i) {
        const std::int64_t x = shifted(src[i], t->shift);
        v[i] = t->negative ? v[i] - x : v[i] + x;
      }
    }
    c.push_back(std::move(v));
  }
  return c;
}

std::vector<int> operand_depths(const Solution& s) {
  std::vector<int> d(s.n_inputs, 0);
  d.reserve(s.n_inputs + s.ops.size());
  for (const Op& op : s.ops) d.push_back(1 + std::max(d[op.a.operand], d[op.b.operand]));
  return d;
}

}  // namespace dagen::cmvm
