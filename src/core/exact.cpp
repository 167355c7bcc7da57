#include "dagen/exact.hpp"

#include <algorithm>
#include <stdexcept>

namespace dagen {

Fixed normalized(Fixed v) {
  if (v.code == 0) return {0, 0};
  const int tz = trailing_zeros(v.code);
  return {v.code >> tz, v.frac - tz};
}

namespace {

// a * 2^k for k >= 0, refusing what does not fit in 127 bits.
i128 checked_shift(i128 a, int k) {
  if (a == 0) return 0;
  if (bit_length(a) + k > 126) throw std::overflow_error("a value needs more than 127 bits");
  return shift_left(a, k);
}

}  // namespace

Fixed exact_add(const Fixed& a, const Fixed& b) {
  const Fixed x = normalized(a), y = normalized(b);
  if (x.code == 0) return y;
  if (y.code == 0) return x;
  const int frac = std::max(x.frac, y.frac);
  // Both codes are below 2^126 after the checked shifts, so their sum fits an i128.
  return normalized(
      {checked_shift(x.code, frac - x.frac) + checked_shift(y.code, frac - y.frac), frac});
}

Fixed exact_sub(const Fixed& a, const Fixed& b) {
  const Fixed y = normalized(b);
  return exact_add(a, {-y.code, y.frac});
}

Fixed exact_mul(const Fixed& a, const Fixed& b) {
  const Fixed x = normalized(a), y = normalized(b);
  i128 code = 0;
  if (__builtin_mul_overflow(x.code, y.code, &code))
    throw std::overflow_error("a product needs more than 127 bits");
  return normalized({code, x.frac + y.frac});
}

bool on_grid(const Fixed& v, int frac) { return v.code == 0 || normalized(v).frac <= frac; }

i128 code_on_grid(const Fixed& v, int frac) {
  const Fixed n = normalized(v);
  if (n.code == 0) return 0;
  if (n.frac > frac) throw std::overflow_error("a value is not on the grid");
  return checked_shift(n.code, frac - n.frac);
}

}  // namespace dagen
