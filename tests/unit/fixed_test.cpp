// Fixed-point semantics against hand-computed values from the model.json spec.
#include "dagen/fixed.hpp"

#include <gtest/gtest.h>

namespace dagen {
namespace {

FixedType type(bool s, int i, int f) { return {s, i, f}; }

TEST(FixedType, WidthAndRange) {
  EXPECT_EQ(type(true, 3, 4).width(), 8);
  EXPECT_EQ(type(true, 3, 4).min_code(), -128);
  EXPECT_EQ(type(true, 3, 4).max_code(), 127);
  EXPECT_EQ(type(false, 0, 6).max_code(), 63);
  EXPECT_EQ(type(false, 5, -2).width(), 3);  // LSB weighs 4
  EXPECT_EQ(type(true, -2, 7).width(), 6);   // |value| < 1/4
  EXPECT_EQ(type(false, 0, 0).width(), 0);
  EXPECT_EQ(type(false, 0, 0).max_code(), 0);
}

TEST(Quantize, TruncationIsFloor) {
  // -1.3125 (code -21 at frac 4) to 1 frac bit: floor(-2.625) = -3 -> -1.5
  EXPECT_EQ(quantize({-21, 4}, type(true, 3, 1), Rounding::TRN, Overflow::WRAP), -3);
  EXPECT_EQ(quantize({21, 4}, type(true, 3, 1), Rounding::TRN, Overflow::WRAP), 2);
}

TEST(Quantize, RoundingAddsHalfThenFloors) {
  EXPECT_EQ(quantize({-21, 4}, type(true, 3, 1), Rounding::RND, Overflow::WRAP), -3);  // -2.625+.5
  EXPECT_EQ(quantize({-20, 4}, type(true, 3, 1), Rounding::RND, Overflow::WRAP), -2);  // -2.5 -> -2
  EXPECT_EQ(quantize({20, 4}, type(true, 3, 1), Rounding::RND, Overflow::WRAP), 3);    // 2.5 -> 3
  EXPECT_EQ(quantize({19, 4}, type(true, 3, 1), Rounding::RND, Overflow::WRAP), 2);
}

TEST(Quantize, Overflow) {
  const FixedType s4 = type(true, 3, 0);  // [-8, 7]
  EXPECT_EQ(quantize({9, 0}, s4, Rounding::TRN, Overflow::WRAP), -7);
  EXPECT_EQ(quantize({-9, 0}, s4, Rounding::TRN, Overflow::WRAP), 7);
  EXPECT_EQ(quantize({9, 0}, s4, Rounding::TRN, Overflow::SAT), 7);
  EXPECT_EQ(quantize({-9, 0}, s4, Rounding::TRN, Overflow::SAT), -8);
  EXPECT_EQ(quantize({-9, 0}, s4, Rounding::TRN, Overflow::SAT_SYM), -7);
  const FixedType u3 = type(false, 3, 0);  // [0, 7]
  EXPECT_EQ(quantize({-1, 0}, u3, Rounding::TRN, Overflow::WRAP), 7);
  EXPECT_EQ(quantize({-1, 0}, u3, Rounding::TRN, Overflow::SAT), 0);
  EXPECT_EQ(quantize({12, 0}, u3, Rounding::TRN, Overflow::SAT_SYM), 7);
}

TEST(Quantize, NegativeFracAndWidthZero) {
  // LSB 4: 13 -> floor(13/4) = 3 (value 12); RND: floor(3.25 + .5) = 3.
  EXPECT_EQ(quantize({13, 0}, type(false, 5, -2), Rounding::TRN, Overflow::WRAP), 3);
  EXPECT_EQ(quantize({14, 0}, type(false, 5, -2), Rounding::RND, Overflow::WRAP), 4);
  EXPECT_EQ(quantize({123, 0}, type(false, 0, 0), Rounding::RND, Overflow::SAT), 0);
  EXPECT_EQ(quantize({-5, 0}, type(true, -1, 0), Rounding::TRN, Overflow::WRAP), 0);
}

TEST(Quantize, WideValues) {
  const i128 big = static_cast<i128>(1) << 100;
  EXPECT_EQ(quantize({big + 5, 0}, type(true, 110, 0), Rounding::TRN, Overflow::WRAP), big + 5);
  EXPECT_EQ(quantize({big, 0}, type(true, 63, 0), Rounding::TRN, Overflow::SAT),
            (static_cast<i128>(1) << 63) - 1);
  EXPECT_EQ(quantize({big + 3, 0}, type(false, 8, 0), Rounding::TRN, Overflow::WRAP), 3);
  // Appending many fractional bits to a value that then wraps to zero.
  EXPECT_EQ(quantize({1, 0}, type(false, 0, 100), Rounding::TRN, Overflow::WRAP), 0);
  EXPECT_EQ(quantize({1, 0}, type(false, 0, 100), Rounding::TRN, Overflow::SAT),
            (static_cast<i128>(1) << 100) - 1);
}

TEST(Types, NarrowestTypeForCodes) {
  EXPECT_EQ(type_for_codes(0, 255, 3), type(false, 5, 3));
  EXPECT_EQ(type_for_codes(-128, 127, 0), type(true, 7, 0));
  EXPECT_EQ(type_for_codes(-129, 0, 0).width(), 9);
  EXPECT_EQ(type_for_codes(0, 0, 4).width(), 0);
  EXPECT_EQ(type_for_codes(-1, 0, 0).width(), 1);
  EXPECT_EQ(type_for_codes(-2, 1, 0).width(), 2);
  EXPECT_EQ(type_for_codes(-1, 1, 0).width(), 2);
  // Near the i128 limit (found by the fuzzer): 128 bits, no overflow on the way.
  const i128 huge = (static_cast<i128>(1) << 126) + ((static_cast<i128>(1) << 126) - 1);
  EXPECT_EQ(type_for_codes(-huge, 0, 0).width(), 128);
  EXPECT_EQ(type_for_codes(-5, huge, 0).width(), 128);
}

TEST(Text, HexAndDecimal) {
  EXPECT_EQ(to_hex(-1, 6), "3f");
  EXPECT_EQ(to_hex(5, 12), "005");
  EXPECT_EQ(to_string(-(static_cast<i128>(1) << 100)), "-1267650600228229401496703205376");
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// -v overflowed for v = -2^127 (undefined behaviour; in practice an endless loop).
TEST(Fixed, BitLengthOfTheMostNegativeCode) {
  const i128 most_negative = -(static_cast<i128>(1) << 126) * 2;
  EXPECT_EQ(bit_length(most_negative), 128);
  EXPECT_EQ(bit_length(most_negative + 1), 127);
  EXPECT_EQ(bit_length(-1), 1);
}

}  // namespace
}  // namespace dagen
