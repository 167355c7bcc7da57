// to_decimal_string: exact decimals of code * 2^-frac, checked by an
// independent route (decimal-string doubling / halving back to the code) on
// random codes over the full i128 range and fracs in [-512, 512].
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "dagen/fixed.hpp"

namespace dagen {
namespace {

// Doubles a non-negative decimal "ddd.ddd" in place, digit by digit.
std::string doubled(const std::string& s) {
  std::string out = s;
  int carry = 0;
  for (std::size_t i = out.size(); i-- > 0;) {
    if (out[i] == '.') continue;
    const int d = (out[i] - '0') * 2 + carry;
    out[i] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  if (carry) out.insert(0, "1");
  return out;
}

// Halves a non-negative decimal integer; false if it is odd.
bool halved(std::string& s) {
  std::string out;
  int rem = 0;
  for (const char c : s) {
    const int d = rem * 10 + (c - '0');
    out.push_back(static_cast<char>('0' + d / 2));
    rem = d % 2;
  }
  const auto first = out.find_first_not_of('0');
  s = first == std::string::npos ? "0" : out.substr(first);
  return rem == 0;
}

// The code that `decimal` * 2^frac is, or "" if it is not an integer.
std::string code_of(std::string decimal, int frac) {
  const bool negative = !decimal.empty() && decimal[0] == '-';
  if (negative) decimal.erase(0, 1);
  for (int k = 0; k < frac; ++k) decimal = doubled(decimal);
  if (const auto point = decimal.find('.'); point != std::string::npos) {
    if (decimal.find_first_not_of('0', point + 1) != std::string::npos) return "";
    decimal.erase(point);
  }
  for (int k = 0; k < -frac; ++k)
    if (!halved(decimal)) return "";
  const auto first = decimal.find_first_not_of('0');
  decimal = first == std::string::npos ? "0" : decimal.substr(first);
  return negative && decimal != "0" ? "-" + decimal : decimal;
}

TEST(DecimalString, KnownValues) {
  EXPECT_EQ(to_decimal_string({0, 7}), "0");
  EXPECT_EQ(to_decimal_string({-3, 2}), "-0.75");
  EXPECT_EQ(to_decimal_string({3, -2}), "12");
  EXPECT_EQ(to_decimal_string({8, 3}), "1");  // no trailing zeros, no point
  EXPECT_EQ(to_decimal_string({1, 16}), "0.0000152587890625");
  EXPECT_EQ(to_decimal_string({(i128{1} << 64) + 1, 0}), "18446744073709551617");
  const i128 most_negative = -(i128{1} << 126) * 2;  // -2^127
  EXPECT_EQ(to_decimal_string({most_negative, 0}), "-170141183460469231731687303715884105728");
  // 2^-512 has 512 decimal places, ending in 5^512's last digit.
  const std::string tiny = to_decimal_string({1, 512});
  EXPECT_EQ(tiny.size(), 514u);
  EXPECT_EQ(tiny.substr(0, 2), "0.");
  EXPECT_EQ(tiny.back(), '5');
}

TEST(DecimalString, RandomCodesRoundTripExactly) {
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 3000; ++trial) {
    const int bits = static_cast<int>(rng() % 128);  // codes of every width
    i128 code = static_cast<i128>((static_cast<u128>(rng()) << 64) | rng());
    code = bits == 0 ? 0 : code >> (128 - bits);
    const int frac = static_cast<int>(rng() % 1025) - 512;
    const std::string s = to_decimal_string({code, frac});
    ASSERT_EQ(code_of(s, frac), to_string(code)) << s << " frac " << frac;
    ASSERT_TRUE(s.find('.') == std::string::npos || s.back() != '0') << s;
  }
}

TEST(DecimalString, SmallValuesMatchLongDouble) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 3000; ++trial) {
    const auto code = static_cast<std::int64_t>(rng() >> 4) * (rng() % 2 ? 1 : -1);
    const int frac = static_cast<int>(rng() % 81) - 20;
    const long double want = std::ldexp(static_cast<long double>(code), -frac);  // exact
    ASSERT_EQ(std::strtold(to_decimal_string({code, frac}).c_str(), nullptr), want);
  }
}

}  // namespace
}  // namespace dagen
