// Exact fixed-point arithmetic: alignment, rounding, overflow, minimal types.
#include "dagen/fixed.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace dagen {

namespace {
i128 pow2(int k) { return static_cast<i128>(1) << k; }
}  // namespace

i128 FixedType::min_code() const {
  const int w = width();
  if (w <= 0 || !is_signed) return 0;
  return -pow2(w - 1);
}

i128 FixedType::max_code() const {
  const int w = width();
  if (w <= 0) return 0;
  return is_signed ? pow2(w - 1) - 1 : pow2(w) - 1;
}

i128 shift_right_floor(i128 v, int k) {
  if (k <= 0) return v;
  if (k >= 127) return v < 0 ? -1 : 0;
  return v >> k;  // arithmetic shift on GCC/Clang: floor division
}

i128 shift_left(i128 v, int k) {
  if (k <= 0 || v == 0) return v;
  if (k >= 127 || bit_length(v) + k > 126) throw std::overflow_error("fixed-point value too wide");
  return v * pow2(k);
}

int bit_length(i128 v) {
  // The magnitude as unsigned: -v would overflow for v = -2^127.
  const u128 m = v < 0 ? u128{0} - static_cast<u128>(v) : static_cast<u128>(v);
  const auto high = static_cast<std::uint64_t>(m >> 64), low = static_cast<std::uint64_t>(m);
  if (high != 0) return 128 - __builtin_clzll(high);
  return low != 0 ? 64 - __builtin_clzll(low) : 0;
}

int trailing_zeros(i128 v) {
  const auto u = static_cast<u128>(v);
  const auto high = static_cast<std::uint64_t>(u >> 64), low = static_cast<std::uint64_t>(u);
  if (low != 0) return __builtin_ctzll(low);
  return high != 0 ? 64 + __builtin_ctzll(high) : 0;
}

i128 align_code(const Fixed& value, int to_frac) {
  return shift_left(value.code, to_frac - value.frac);
}

int compare(const Fixed& a, const Fixed& b) {
  const int f = std::max(a.frac, b.frac);
  const i128 x = align_code(a, f), y = align_code(b, f);
  return x < y ? -1 : (x > y ? 1 : 0);
}

int compare_exact(const Fixed& a, const Fixed& b) {
  if (a.frac < b.frac) return -compare_exact(b, a);
  // a on the finer grid: floor(a) on b's grid decides, unless it equals b; then a's
  // dropped low bits do (a > b when any of them is set).
  const int k = a.frac - b.frac;
  const i128 q = shift_right_floor(a.code, k);
  if (q != b.code) return q < b.code ? -1 : 1;
  const u128 bits = static_cast<u128>(a.code);  // two's complement: the low bits are exact
  const bool rest = k >= 128 ? a.code != 0 : (bits & ((u128{1} << k) - 1)) != 0;
  return rest ? 1 : 0;
}

namespace {

// Reduce `code * 2^up` modulo 2^width and reinterpret as signed or unsigned.
i128 wrap_shifted(i128 code, int up, int width, bool is_signed) {
  if (up >= width) return 0;
  const int keep = width - up;  // bits of `code` that survive
  const i128 mask = pow2(keep) - 1;
  i128 low = (code & mask) << up;  // two's complement AND is exact modulo 2^keep
  if (is_signed && (low & pow2(width - 1))) low -= pow2(width);
  return low;
}

}  // namespace

i128 round_to_frac(const Fixed& value, int frac, Rounding rounding) {
  const int down = value.frac - frac;
  if (down <= 0) return shift_left(value.code, -down);
  if (rounding == Rounding::TRN) return shift_right_floor(value.code, down);
  if (down >= 127) return 0;
  const i128 q = shift_right_floor(value.code, down);
  const i128 rem = value.code - q * pow2(down);
  return q + (rem >= pow2(down - 1) ? 1 : 0);
}

i128 quantize(const Fixed& value, const FixedType& to, Rounding rounding, Overflow overflow) {
  const int w = to.width();
  if (w <= 0) return 0;
  const int down = value.frac - to.frac_bits;  // bits to drop (> 0) or append (< 0)
  i128 code = value.code;
  int up = 0;
  if (down > 0) {
    if (rounding == Rounding::RND) {
      // floor(v / 2^down + 1/2) = floor((v + 2^(down-1)) / 2^down), without overflow.
      if (down >= 127) {
        code = 0;
      } else {
        const i128 q = shift_right_floor(code, down);
        const i128 rem = code - q * pow2(down);  // in [0, 2^down)
        code = q + (rem >= pow2(down - 1) ? 1 : 0);
      }
    } else {
      code = shift_right_floor(code, down);
    }
  } else {
    up = -down;
  }
  // `code * 2^up` is the rounded value on the target grid; now the overflow.
  const i128 lo = to.min_code(), hi = to.max_code();
  const bool fits_shift = code == 0 || bit_length(code) + up <= 125;
  if (overflow == Overflow::WRAP) return wrap_shifted(code, up, w, to.is_signed);
  i128 low_limit = lo;
  if (overflow == Overflow::SAT_SYM && to.is_signed) low_limit = -hi;
  if (!fits_shift) return code > 0 ? hi : low_limit;
  const i128 v = code == 0 ? 0 : code * pow2(up);  // up may be >= 128 when code == 0
  return std::clamp(v, low_limit, hi);
}

FixedType type_for_codes(i128 lo, i128 hi, int frac) {
  FixedType t;
  t.frac_bits = frac;
  if (lo >= 0) {
    t.is_signed = false;
    t.int_bits = bit_length(hi) - frac;
    return t;
  }
  // Signed: smallest w with -2^(w-1) <= lo and hi <= 2^(w-1) - 1, counted
  // without forming 2^(w-1) (w reaches 128 for sums near the i128 limit; the
  // width check rejects those with a clear error afterwards).
  const auto signed_bits = [](i128 v) { return 1 + bit_length(v >= 0 ? v : ~v); };
  const int w = std::max(signed_bits(lo), signed_bits(hi));
  t.is_signed = true;
  t.int_bits = w - 1 - frac;
  return t;
}

bool code_in_type(i128 code, const FixedType& type) {
  return code >= type.min_code() && code <= type.max_code();
}

std::string to_string(i128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (neg ? -digit : digit)));
    v /= 10;
  }
  if (neg) s.push_back('-');
  return {s.rbegin(), s.rend()};
}

std::string to_hex(i128 code_bits, int width) {
  if (width <= 0) return "0";
  const int digits = (width + 3) / 4;
  std::string s(static_cast<size_t>(digits), '0');
  // Arithmetic shifts: a negative code stays sign-extended in literals wider than 128 bits.
  i128 v = code_bits;
  for (int i = digits - 1; i >= 0; --i) {
    int nibble = static_cast<int>(v & 0xF);
    const int bit_pos = (digits - 1 - i) * 4;
    if (bit_pos + 4 > width) nibble &= (1 << (width - bit_pos)) - 1;
    s[static_cast<size_t>(i)] = "0123456789abcdef"[nibble];
    v >>= 4;
  }
  return s;
}

double to_double(const Fixed& value) {
  return std::ldexp(static_cast<double>(value.code), -value.frac);
}

namespace {

// A non-negative integer of any size: base-10^9 limbs, least significant first.
class BigDecimal {
 public:
  explicit BigDecimal(u128 v) {
    do {
      limbs_.push_back(static_cast<std::uint32_t>(v % kBase));
      v /= kBase;
    } while (v != 0);
  }
  // *this *= m for m < 2^32 (limb * m + carry stays below 2^64).
  void multiply(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (std::uint32_t& limb : limbs_) {
      const std::uint64_t t = static_cast<std::uint64_t>(limb) * m + carry;
      limb = static_cast<std::uint32_t>(t % kBase);
      carry = t / kBase;
    }
    for (; carry != 0; carry /= kBase) limbs_.push_back(static_cast<std::uint32_t>(carry % kBase));
  }
  // *this *= base^k, in steps of base^step < 2^32.
  void multiply_power(std::uint32_t base, int step, int k) {
    std::uint32_t chunk = 1;
    for (int i = 0; i < step; ++i) chunk *= base;
    for (; k >= step; k -= step) multiply(chunk);
    std::uint32_t rest = 1;
    for (; k > 0; --k) rest *= base;
    multiply(rest);
  }
  std::string digits() const {
    std::string s = std::to_string(limbs_.back());
    for (std::size_t i = limbs_.size() - 1; i-- > 0;) {
      const std::string limb = std::to_string(limbs_[i]);
      s += std::string(9 - limb.size(), '0') + limb;
    }
    return s;
  }

 private:
  static constexpr std::uint32_t kBase = 1'000'000'000;
  std::vector<std::uint32_t> limbs_;
};

}  // namespace

std::string to_decimal_string(const Fixed& value) {
  if (value.code == 0) return "0";
  const bool negative = value.code < 0;
  // |code| in unsigned arithmetic: exact for the most negative code too.
  u128 magnitude =
      negative ? u128{0} - static_cast<u128>(value.code) : static_cast<u128>(value.code);
  int frac = value.frac;
  while (frac > 0 && (magnitude & 1) == 0) {  // an odd code has no trailing decimal zeros
    magnitude >>= 1;
    --frac;
  }
  BigDecimal n(magnitude);
  std::string s;
  if (frac <= 0) {
    n.multiply_power(2, 31, -frac);
    s = n.digits();
  } else {
    // code * 2^-frac = code * 5^frac / 10^frac: the digits, then the point.
    n.multiply_power(5, 13, frac);
    s = n.digits();
    const auto f = static_cast<std::size_t>(frac);
    if (s.size() <= f) s.insert(0, f + 1 - s.size(), '0');
    s.insert(s.size() - f, ".");
  }
  return negative ? "-" + s : s;
}

std::string to_string(const FixedType& type) {
  return (type.is_signed ? "s" : "u") + std::to_string(type.int_bits) + "." +
         std::to_string(type.frac_bits);
}

const char* to_string(Rounding r) { return r == Rounding::RND ? "RND" : "TRN"; }

const char* to_string(Overflow o) {
  switch (o) {
    case Overflow::WRAP:
      return "WRAP";
    case Overflow::SAT:
      return "SAT";
    case Overflow::SAT_SYM:
      return "SAT_SYM";
  }
  return "?";
}

}  // namespace dagen
