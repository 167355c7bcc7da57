// The strict JSON reader: duplicate keys and numbers that are not what their
// text says are refused at their location; everything else reads as usual.
#include "dagen/strict_json.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cstdio>
#include <random>

#include "dagen/diag.hpp"
#include "dagen/fixed.hpp"

namespace dagen {
namespace {

std::string error_of(const std::string& text, int fraction_bits = 32) {
  try {
    parse_strict_json(text, "f.json", fraction_bits);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(StrictJson, ReadsLikeTheStandardParser) {
  const std::string text =
      R"({"a": [1, -2, 0.5, 1e-3, 18446744073709551615, true, null, "s", {"b": []}], "c": {}})";
  EXPECT_EQ(parse_strict_json(text, "f.json", 32), nlohmann::json::parse(text));
}

TEST(StrictJson, DuplicateKeysAreRefusedWhereTheyAre) {
  EXPECT_EQ(error_of(R"({"a": 1, "a": 1})"), "a: duplicate key 'a'");
  EXPECT_EQ(error_of(R"({"x": [{}, [0, {"k": 1, "j": 2, "k": 3}]]})"),
            "x[1][1].k: duplicate key 'k'");
  EXPECT_EQ(error_of(R"({"a": {"b": 1}, "c": {"b": 2}})"), "(accepted)");  // other objects
}

TEST(StrictJson, NumbersThatAreNotTheirTextAreRefused) {
  EXPECT_EQ(error_of(R"({"w": [[1], [1e-400]]})"),
            "w[1][0]: 1e-400 is not exactly representable (it rounds to 0)");
  EXPECT_EQ(error_of(R"([0.50000000000000000001])"),
            "[0]: 0.50000000000000000001 is not exactly representable (it rounds to 0.5)");
  EXPECT_EQ(error_of(R"({"n": 18446744073709551617})"),
            "n: 18446744073709551617 is not exactly representable (it rounds to "
            "18446744073709551616)");
  EXPECT_EQ(error_of("-1e-400"),
            "(top level): -1e-400 is not exactly representable (it rounds to 0)");
  // Exact however spelled.
  for (const char* ok : {"[0.5]", "[5e-1]", "[-0.0]", "[0e-99999999999999999999]", "[1.5E+3]",
                         "[18446744073709551616]", "[0.000030517578125]", "[3.0000]"})
    EXPECT_EQ(error_of(ok), "(accepted)") << ok;
  // Not a binary fraction with at most 32 fractional bits: left to the caller.
  EXPECT_EQ(error_of("[0.1]"), "(accepted)");
  EXPECT_EQ(error_of("[1e-300]"), "(accepted)");
  // With 64, 0.1's double (55 fractional bits) is checked: 0.1 is its
  // shortest spelling, 21 digits that are not its value are refused.
  EXPECT_EQ(error_of("[0.1]", 64), "(accepted)");
  EXPECT_EQ(error_of("[0.10000000000000000001]", 64),
            "[0]: 0.10000000000000000001 is not exactly representable (it rounds to "
            "0.1000000000000000055511151231257827021181583404541015625)");
  // Printed to more digits than shortest, correctly rounded (either way on a tie).
  EXPECT_EQ(error_of("[0.100000000000000005551]", 64), "(accepted)");
  EXPECT_EQ(error_of("[0.100000000000000005552]", 64),
            "[0]: 0.100000000000000005552 is not exactly representable (it rounds to "
            "0.1000000000000000055511151231257827021181583404541015625)");
  EXPECT_EQ(error_of("[1.0000000002328306]"), "(accepted)");  // Python's 1 + 2^-32
}

TEST(StrictJson, SyntaxErrorsNameTheFile) {
  EXPECT_EQ(error_of(R"({"a": )"),
            "f.json: invalid JSON: [json.exception.parse_error.101] parse error at line 1, column "
            "7: syntax error while parsing value - unexpected end of input; expected '[', '{', or "
            "a literal");
  EXPECT_EQ(error_of("[1e400]"),
            "f.json: invalid JSON: [json.exception.out_of_range.406] number overflow parsing "
            "'1e400'");
}

// Every short binary fraction written exactly, shortest (as Python and
// std::to_chars write doubles) or correctly rounded to any number of digits is
// read back as itself; a digit more far to the right (the same double) is refused.
TEST(StrictJson, ExactDecimalsRoundTripAndNearMissesAreRefused) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    const auto code = static_cast<std::int64_t>(rng() >> 11) * (rng() % 2 ? 1 : -1);  // 53 bits
    const Fixed f{code, static_cast<int>(rng() % 65)};
    const std::string exact = to_decimal_string(f);
    const nlohmann::json v = parse_strict_json("[" + exact + "]", "f.json", 64);
    ASSERT_EQ(v[0].get<double>(), to_double(f)) << exact;
    char buf[64];
    const auto end = std::to_chars(buf, buf + sizeof buf, to_double(f)).ptr;
    ASSERT_EQ(error_of("[" + std::string(buf, end) + "]", 64), "(accepted)") << buf;
    for (int digits = 1; digits <= 40; ++digits) {
      std::snprintf(buf, sizeof buf, "%.*e", digits - 1, to_double(f));
      ASSERT_EQ(error_of(std::string("[") + buf + "]", 64), "(accepted)") << buf;
    }
    if (code == 0) continue;
    // 1e-61 more: far below half an ulp of any of these doubles (>= 2^-117).
    const std::string near =
        exact + (exact.find('.') == std::string::npos ? "." : "") + std::string(60, '0') + "1";
    ASSERT_NE(error_of("[" + near + "]", 64), "(accepted)") << near;
  }
}

std::string exact_of(const std::string& text) {
  std::string problem;
  const auto f = binary_fraction_of(text, problem);
  return f ? to_decimal_string(*f) + " frac " + std::to_string(f->frac) : problem;
}

TEST(ExactBinaryFraction, ReadsTheTextNotADouble) {
  EXPECT_EQ(exact_of("1267650600228229401496703205377"), "1267650600228229401496703205377 frac 0");
  EXPECT_EQ(exact_of("-0.75"), "-0.75 frac 2");
  EXPECT_EQ(exact_of("75e-2"), "0.75 frac 2");
  EXPECT_EQ(exact_of("1.5E3"), "1500 frac 0");
  EXPECT_EQ(exact_of("-0.0e5"), "0 frac 0");
  // Not exact, but how double printers write 2^-33 and the double 0.1.
  EXPECT_EQ(exact_of("1.1641532182693481e-10"), "0.000000000116415321826934814453125 frac 33");
  EXPECT_EQ(exact_of("0.1"), "0.1000000000000000055511151231257827021181583404541015625 frac 55");
  EXPECT_EQ(exact_of("0.10000000000000000001"), "is not an exact binary fraction");
  EXPECT_EQ(exact_of("1e-400"), "is not an exact binary fraction");
  EXPECT_EQ(exact_of("1e-99999999999999999999"), "is not an exact binary fraction");
  EXPECT_EQ(exact_of("1e41"), "is too large");
  EXPECT_EQ(exact_of("85070591730234615865843651857942052864"),  // 2^126
            "is too large (its code needs more than 126 bits)");
}

TEST(ExactBinaryFraction, RoundTripsEveryDecimalOfACode) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 3000; ++trial) {
    const int bits = static_cast<int>(rng() % 121);
    i128 code = static_cast<i128>((static_cast<u128>(rng()) << 64) | rng());
    code = bits == 0 ? 0 : code >> (128 - bits);
    const Fixed f{code, static_cast<int>(rng() % 300)};
    std::string problem;
    const auto back = binary_fraction_of(to_decimal_string(f), problem);
    ASSERT_TRUE(back) << to_decimal_string(f) << ": " << problem;
    ASSERT_EQ(compare(*back, f), 0) << to_decimal_string(f);
  }
}

}  // namespace
}  // namespace dagen
