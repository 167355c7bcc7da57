// Fixed-point formats, exact values and the quantization semantics of model.json.
//
// Every value in da-gen is exact: an integer code times 2^-frac.  Codes are
// 128-bit integers; widths are limited to kMaxWidth so that sums of aligned
// codes never overflow.
#pragma once

#include <cstdint>
#include <string>

namespace dagen {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Widest value (in bits) any node, input or output may have.
inline constexpr int kMaxWidth = 120;
// Largest |int_bits| or |frac_bits| accepted in a type.
inline constexpr int kMaxExponent = 512;

struct FixedType {
  bool is_signed = false;
  int int_bits = 0;   // excludes the sign bit; may be negative
  int frac_bits = 0;  // may be negative

  int width() const { return (is_signed ? 1 : 0) + int_bits + frac_bits; }
  i128 min_code() const;
  i128 max_code() const;
  friend bool operator==(const FixedType&, const FixedType&) = default;
};

enum class Rounding { TRN, RND };
enum class Overflow { WRAP, SAT, SAT_SYM };

// An exact value: code * 2^-frac.
struct Fixed {
  i128 code = 0;
  int frac = 0;
};

// floor(v / 2^k) for k >= 0 (arithmetic shift that is safe for any k).
i128 shift_right_floor(i128 v, int k);
// v * 2^k for k >= 0; the caller guarantees the result fits.
i128 shift_left(i128 v, int k);
// Number of bits of the unsigned magnitude (0 for 0).
int bit_length(i128 v);
// Count of trailing zero bits (0 for v == 0).
int trailing_zeros(i128 v);

// Re-express a value on a finer grid (to_frac >= from.frac); exact.
i128 align_code(const Fixed& value, int to_frac);
// Compare two exact values.
int compare(const Fixed& a, const Fixed& b);
// The same for values on any two grids: never aligns a code upwards, so never throws
// (compare() does when aligning needs more than 126 bits).
int compare_exact(const Fixed& a, const Fixed& b);

// Round an exact value to `frac` fractional bits (no overflow handling); returns the code.
i128 round_to_frac(const Fixed& value, int frac, Rounding rounding);
// Quantize an exact value to `to` with the given rounding and overflow; returns the code.
i128 quantize(const Fixed& value, const FixedType& to, Rounding rounding, Overflow overflow);

// The narrowest type with `frac` fractional bits whose code range holds [lo, hi].
FixedType type_for_codes(i128 lo, i128 hi, int frac);

// Whether `code` is a valid code of `type`.
bool code_in_type(i128 code, const FixedType& type);

std::string to_string(i128 v);
std::string to_hex(i128 code_bits, int width);  // the low `width` bits, two's complement
double to_double(const Fixed& value);           // rounded: for display and estimates only
// The exact value in decimal, as a JSON number: "-0.75", "12", "0.0000152587890625"
// (every code * 2^-frac is a finite decimal; no exponent, no trailing zeros).
std::string to_decimal_string(const Fixed& value);
std::string to_string(const FixedType& type);  // e.g. "s3.4", "u0.8"
const char* to_string(Rounding r);
const char* to_string(Overflow o);

}  // namespace dagen
