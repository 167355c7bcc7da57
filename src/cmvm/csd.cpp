// Canonical signed digit (non-adjacent form) recoding of integer coefficients.
#include <bit>
#include <cstdint>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

// Calls f(shift, negative) for each nonzero NAF digit of v, lowest first.
template <typename F>
void for_each_csd_digit(std::int64_t v, F&& f) {
  const bool neg = v < 0;
  // Magnitude as unsigned: exact for INT64_MIN too, and the carry below stays < 2^64.
  std::uint64_t m =
      neg ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  int shift = 0;
  while (m != 0) {
    if (m & 1) {
      // Digit +1 when m = 1 mod 4, -1 when m = 3 mod 4 (non-adjacent form).
      const bool minus = (m & 3) == 3;
      f(shift, minus != neg);
      if (minus) {
        m += 1;
      } else {
        m -= 1;
      }
    }
    m >>= 1;
    ++shift;
  }
}

}  // namespace

int csd_digit_count(std::int64_t v) {
  if (v > -(std::int64_t{1} << 61) && v < (std::int64_t{1} << 61)) {
    // Non-adjacent form weight: the bits where m/2 and 3m/2 differ.
    const auto m = static_cast<std::uint64_t>(v < 0 ? -v : v);
    return std::popcount((m >> 1) ^ (m + (m >> 1)));
  }
  int n = 0;
  for_each_csd_digit(v, [&](int, bool) { ++n; });
  return n;
}

namespace detail {

void append_csd_terms(std::int64_t v, int operand, std::vector<Term>& out) {
  for_each_csd_digit(v, [&](int shift, bool negative) {
    out.push_back(Term{operand, shift, negative});
  });
}

int column_digit_count(const IntMatrix& w, int column) {
  int d = 0;
  for (Eigen::Index i = 0; i < w.rows(); ++i) d += csd_digit_count(w(i, column));
  return d;
}

}  // namespace detail
}  // namespace dagen::cmvm
