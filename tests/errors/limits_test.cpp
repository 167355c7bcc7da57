// Limits and resources through the real binary (issue 21): exact results near the
// i128 limits, one-line errors for what exceeds them, for missing tools and for
// running out of memory.  The messages are documented in docs/errors.md and
// docs/limits.md.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

// The model of issue 21: folding the constant input 2^61 into the bias of the
// last layer multiplied its code 2^111 (grid 2^-50) by the weight 2^47 in 128 bits.
const char* const kFoldModel =
    R"({"input":{"size":1,"type":{"signed":false,"int_bits":1,"frac_bits":0}},
 "layers":[{"type":"dense","weights":[[0]],"bias":[2305843009213693952]},
  {"type":"quantize","to":{"signed":true,"int_bits":63,"frac_bits":50},"overflow":"SAT"},
  {"type":"dense","weights":[[140737488355328]]}]})";

TEST(Limits, ConstantFoldNearTheI128LimitCompilesAndEvaluatesExactly) {
  cli::Scratch dir("limits");
  cli::write_file(dir.path / "m.json", kFoldModel);
  cli::write_file(dir.path / "in.json", R"({"inputs": [[0], [1]]})");
  const cli::Result built = cli::run(DAGEN_BIN, {"m.json", "-o", "out"}, dir.path);
  EXPECT_EQ(built.exit_code, 0) << built.err;
  EXPECT_EQ(built.err, "");
  // The output is the constant 2^61 * 2^47 = 2^108: one bit on grid 2^108.
  const auto report = nlohmann::json::parse(cli::slurp(dir.path / "out" / "model.json"));
  EXPECT_EQ(report["outputs"][0]["frac_bits"], -108);
  EXPECT_EQ(report["outputs"][0]["width"], 1);
  EXPECT_NE(cli::slurp(dir.path / "out" / "model.v").find("= 1'h1;"), std::string::npos);

  // 2^108 is a double, so the check holds whether --eval prints doubles or exact decimals.
  const cli::Result eval = cli::run(DAGEN_BIN, {"m.json", "--eval", "in.json"}, dir.path);
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto outputs = nlohmann::json::parse(eval.out)["outputs"];
  ASSERT_EQ(outputs.size(), 2u);
  for (const auto& row : outputs) EXPECT_EQ(row[0].get<double>(), std::ldexp(1.0, 108)) << row;
}

// --eval does not lower the model, so its values may pass 120 bits; beyond 127 the
// reference stops with the layer's limit error (it was "internal error", exit 4).
TEST(Limits, EvalBeyondThe127BitLimitNamesTheLayer) {
  cli::Scratch dir("limits");
  const std::string w = R"({"type":"dense","weights":[[140737488355327]]})";
  cli::write_file(dir.path / "m.json",
                  R"({"input":{"size":1,"type":{"signed":false,"int_bits":1,"frac_bits":0}},
                      "layers":[)" +
                      w + "," + w + "," + w + "]}");
  cli::write_file(dir.path / "in.json", R"({"inputs": [[1]]})");
  const cli::Result r = cli::run(DAGEN_BIN, {"m.json", "--eval", "in.json"}, dir.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "da-gen: error: layers[2]: a product of a weight and an input needs more than 127 "
            "bits; the limit of every value is 120 bits (see docs/limits.md)\n");
  EXPECT_EQ(r.out, "");
}

// Without Verilator on PATH, --verify says so in one line and writes nothing.
TEST(Limits, VerifyWithoutVerilatorIsOneLine) {
  cli::Scratch dir("limits");
  cli::write_file(dir.path / "m.json",
                  R"({"input":{"size":2,"type":{"signed":true,"int_bits":3,"frac_bits":0}},
                      "layers":[{"type":"dense","weights":[[1],[2]]}]})");
  const auto before = cli::listing(dir.path);
  const cli::Result r = cli::run(DAGEN_BIN, {"m.json", "-o", "out", "--verify"}, dir.path,
                                 {"PATH=" + (dir.path / "no-tools").string(), "VERILATOR_ROOT="});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err,
            "da-gen: error: --verify needs Verilator: 'verilator' is not on PATH (or set "
            "VERILATOR_ROOT)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(cli::listing(dir.path), before);
}

// Without GHDL on PATH, --verify --hdl vhdl says so in one line and writes nothing.
TEST(Limits, VerifyVhdlWithoutGhdlIsOneLine) {
  cli::Scratch dir("limits");
  cli::write_file(dir.path / "m.json",
                  R"({"input":{"size":2,"type":{"signed":true,"int_bits":3,"frac_bits":0}},
                      "layers":[{"type":"dense","weights":[[1],[2]]}]})");
  const auto before = cli::listing(dir.path);
  const cli::Result r = cli::run(DAGEN_BIN, {"m.json", "-o", "out", "--hdl", "vhdl", "--verify"},
                                 dir.path, {"PATH=" + (dir.path / "no-tools").string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "da-gen: error: --verify with --hdl vhdl needs GHDL: 'ghdl' is not on PATH\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(cli::listing(dir.path), before);
}

#if defined(__SANITIZE_ADDRESS__)
#define DAGEN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DAGEN_ASAN 1
#endif
#endif

// Out of memory (here an address-space limit of 300 MB on a 256 x 256 layer, which
// needs about 1.5 GB) is one line naming the step and the limit, not "internal error".
TEST(Limits, OutOfMemoryNamesTheStepAndTheLimit) {
#ifdef DAGEN_ASAN
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space: ulimit -v cannot apply";
#else
  cli::Scratch dir("limits");
  nlohmann::json weights = nlohmann::json::array();
  for (int i = 0; i < 256; ++i) {
    auto row = nlohmann::json::array();
    for (int j = 0; j < 256; ++j) row.push_back(((i * 131 + j * 71) % 255) - 127);
    weights.push_back(row);
  }
  const nlohmann::json model = {
      {"input", {{"size", 256}, {"type", {{"signed", true}, {"int_bits", 3}, {"frac_bits", 4}}}}},
      {"layers", {{{"type", "dense"}, {"weights", weights}}}}};
  cli::write_file(dir.path / "m.json", model.dump());
  const cli::Result r = cli::run(
      "/bin/sh", {"-c", "ulimit -v 300000 && exec \"$0\" m.json -o out", DAGEN_BIN}, dir.path);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(r.err.rfind("da-gen: error: out of memory while optimising layers[0] (", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("the address-space limit (ulimit -v) is 0.3 GiB; see docs/limits.md)\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(dir.path / "out"));
#endif
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// 65,536 plain wires (the input.size limit) at --pipeline 2: over 100 s before the
// register placement was solved per connected component and the emitter summed
// the input offsets once; about 2 s now.
TEST(Limits, LargestInputSizeRunsInSeconds) {
#ifdef DAGEN_ASAN
  GTEST_SKIP() << "a timing bound, meaningless under AddressSanitizer";
#else
  cli::Scratch dir("limits");
  cli::write_file(dir.path / "m.json",
                  R"({"input":{"size":65536,"type":{"signed":true,"int_bits":3,"frac_bits":4}},
                      "layers":[]})");
  const auto start = std::chrono::steady_clock::now();
  const cli::Result r = cli::run(DAGEN_BIN, {"m.json", "-o", "out", "--pipeline", "2"}, dir.path);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(secs, 30) << "65,536 wires at --pipeline 2";
#endif
}

}  // namespace
}  // namespace dagen
