// Exact arithmetic on binary fractions (Fixed): sums and products whose codes are
// only as wide as their values (trailing zeros move into the exponent).  Every
// function throws std::overflow_error when a result needs more than 127 bits.
#pragma once

#include "dagen/fixed.hpp"

namespace dagen {

// The same value with its trailing zero bits moved into the exponent (0 is {0, 0}).
Fixed normalized(Fixed v);
Fixed exact_add(const Fixed& a, const Fixed& b);
Fixed exact_sub(const Fixed& a, const Fixed& b);
Fixed exact_mul(const Fixed& a, const Fixed& b);
// The code of `v` on grid 2^-frac; v must lie on that grid and the code must fit.
i128 code_on_grid(const Fixed& v, int frac);
// Whether v lies on the grid 2^-frac.
bool on_grid(const Fixed& v, int frac);

}  // namespace dagen
