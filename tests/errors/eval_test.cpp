// --eval prints every output exactly: a JSON number that is the output's exact
// decimal expansion, however wide (doubles keep only 53 bits).
#include <gtest/gtest.h>

#include "cli.hpp"

namespace dagen {
namespace {

TEST(Eval, PrintsOutputsWiderThanADoubleExactly) {
  cli::Scratch dir("eval-exact");
  // y0 = x / 2 (one fractional bit), y1 = x * 2^-32 + x, on a 60-bit input.
  cli::write_file(dir.path / "m.json", R"({"name": "wide",
    "input": {"size": 1, "type": {"signed": true, "int_bits": 59, "frac_bits": 0}},
    "layers": [{"type": "dense", "weights": [[0.5, 1.00000000023283064365386962890625]]}]})");
  // 2^53 + 1 and -(2^59) + 3: integers a double cannot hold.
  cli::write_file(dir.path / "v.json",
                  R"({"inputs": [[9007199254740993], [-576460752303423485], [0]]})");
  const auto r = cli::run(DAGEN_BIN, {"m.json", "--eval", "v.json"}, dir.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"outputs\":[[4503599627370496.5,9007199256838145.00000000023283064365386962890625],"
            "[-288230376151711742.5,-576460752437641212.99999999930150806903839111328125],[0,0]]}"
            "\n");
  EXPECT_EQ(r.err, "");
}

// Inputs are read from their text, exactly: 2^100 + 1 and 2^-100 are not doubles.
TEST(Eval, ReadsInputsWiderThanADoubleExactly) {
  cli::Scratch dir("eval-wide-in");
  cli::write_file(dir.path / "m.json", R"({"name": "identity",
    "input": {"size": 2, "type": [{"signed": true, "int_bits": 118, "frac_bits": 0},
                                  {"signed": true, "int_bits": 0, "frac_bits": 100}]},
    "layers": []})");
  cli::write_file(dir.path / "v.json", R"({"inputs": [
    [1267650600228229401496703205377, 7.888609052210118054117285652827862296732064351090230047702789306640625E-31],
    [-332306998946228968225951765070086143, -0.0000000000000000000000000000023665827156630354162351856958483586890196193053270690143108367919921875]]})");
  const auto r = cli::run(DAGEN_BIN, {"m.json", "--eval", "v.json"}, dir.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"outputs\":[[1267650600228229401496703205377,"
            "0."
            "00000000000000000000000000000078886090522101180541172856528278622967320643510902300477"
            "02789306640625],"
            "[-332306998946228968225951765070086143,"
            "-0."
            "00000000000000000000000000000236658271566303541623518569584835868901961930532706901431"
            "08367919921875]]}\n");
}

}  // namespace
}  // namespace dagen
