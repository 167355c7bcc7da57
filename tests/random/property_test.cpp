// Property tests on random valid models: the reference model (written from the
// spec) and the graph interpreter (what the circuit computes) agree bit for bit
// on corner and random vectors, for several CMVM options; graph invariants hold.
//
//   DAGEN_SEED=N            replay one model (all option sets), printing it
//   DAGEN_RANDOM_MODELS=N   number of models (default 1500; 500 under ASan)
//   DAGEN_RANDOM_BASE=N     first seed (default 1)
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interpret.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/reference.hpp"
#include "dagen/vectors.hpp"
#include "random_model.hpp"

namespace dagen {
namespace {

struct OptionSet {
  const char* name;
  std::optional<int> depth_slack;
  cmvm::Objective objective;
  int effort;
};

const OptionSet kOptionSets[] = {
    {"dc=none,adders,effort1", std::nullopt, cmvm::Objective::Adders, 1},
    {"dc=0,adders,effort0", 0, cmvm::Objective::Adders, 0},
    {"dc=2,adders,effort0", 2, cmvm::Objective::Adders, 0},
    {"dc=none,bits,effort0", std::nullopt, cmvm::Objective::AdderBits, 0},
    {"dc=0,bits,effort1", 0, cmvm::Objective::AdderBits, 1},
    {"dc=2,bits,effort0", 2, cmvm::Objective::AdderBits, 0},
};

// Default model count: sanitized builds run about 20x slower.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kDefaultModels = 500;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr std::uint64_t kDefaultModels = 500;
#else
constexpr std::uint64_t kDefaultModels = 1500;
#endif
#else
constexpr std::uint64_t kDefaultModels = 1500;
#endif

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

std::string fixed_str(const Fixed& f) {
  return to_string(f.code) + "*2^-" + std::to_string(f.frac);
}

// Empty when the model passes under `o`, else what went wrong.
std::string check_model(const Model& model, const OptionSet& set, std::uint64_t seed,
                        int random_vectors) {
  LowerOptions lo;
  lo.cmvm.depth_slack = set.depth_slack;
  lo.cmvm.objective = set.objective;
  lo.cmvm.effort = set.effort;
  lo.cmvm.seed = seed;
  AdderGraph g;
  try {
    g = lower_model(model, lo);
  } catch (const std::exception& e) {
    return std::string("lower_model threw: ") + e.what();
  }
  remove_dead_nodes(g);
  if (const std::string p = check_graph(g); !p.empty()) return "check_graph: " + p;
  const auto inputs = make_input_vectors(model.input_types, random_vectors, seed ^ 0xabcdef);
  for (std::size_t v = 0; v < inputs.size(); ++v) {
    std::vector<Fixed> want, got;
    try {
      want = evaluate_reference(model, inputs[v]);
      got = interpret(g, inputs[v]);
    } catch (const std::exception& e) {
      return "vector " + std::to_string(v) + ": " + e.what();
    }
    if (want.size() != got.size()) return "output count differs";
    for (std::size_t k = 0; k < want.size(); ++k) {
      int c = 0;
      try {
        c = compare(want[k], got[k]);
      } catch (const std::exception& e) {
        c = 2;
      }
      if (c != 0)
        return "vector " + std::to_string(v) + " output " + std::to_string(k) + ": reference " +
               fixed_str(want[k]) + ", graph " + fixed_str(got[k]);
    }
  }
  return {};
}

void report_failure(std::uint64_t seed, const nlohmann::json& doc, const std::string& what) {
  std::string text = doc.dump();
  if (text.size() > 6000) text = text.substr(0, 6000) + "...";
  ADD_FAILURE() << "seed " << seed << ": " << what << "\n  replay: DAGEN_SEED=" << seed
                << " tests/random/random_property_tests --gtest_filter='RandomModels.*'\n  model: "
                << text;
}

TEST(RandomModels, ReferenceEqualsGraphInterpreter) {
  const char* replay = std::getenv("DAGEN_SEED");
  const std::uint64_t base = replay ? env_u64("DAGEN_SEED", 1) : env_u64("DAGEN_RANDOM_BASE", 1);
  const std::uint64_t count = replay ? 1 : env_u64("DAGEN_RANDOM_MODELS", kDefaultModels);
  const auto start = std::chrono::steady_clock::now();
  int failures = 0, layers = 0, elements = 0;
  for (std::uint64_t seed = base; seed < base + count && failures < 5; ++seed) {
    const nlohmann::json doc = testing::random_model(seed);
    if (replay) std::cout << doc.dump() << "\n";
    Model model;
    try {
      model = parse_model(doc);
    } catch (const std::exception& e) {
      report_failure(seed, doc, std::string("generated model does not parse: ") + e.what());
      ++failures;
      continue;
    }
    layers += static_cast<int>(model.nodes.size());
    elements += static_cast<int>(model.input_types.size());
    // Every model under two option sets (rotating), all six when replaying.
    for (std::size_t k = 0; k < std::size(kOptionSets); ++k) {
      if (!replay && k != seed % 6 && k != (seed / 6 + 3) % 6) continue;
      const std::string problem = check_model(model, kOptionSets[k], seed, replay ? 200 : 12);
      if (!problem.empty()) {
        report_failure(seed, doc, std::string(kOptionSets[k].name) + ": " + problem);
        ++failures;
        break;
      }
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "checked " << count << " random models (" << layers << " layers, " << elements
            << " input elements) in " << secs << " s\n";
}

// Wide models near kMaxWidth: a layer may be rejected (ModelError naming it),
// but nothing else may go wrong, and accepted models must still be exact.
TEST(RandomModels, NearTheWidthLimit) {
  testing::RandomModelConfig config;
  config.max_input_width = 100;
  config.max_width_estimate = 135;
  // At least 100 models: fewer may all stay well below the limit.
  const std::uint64_t count =
      std::max<std::uint64_t>(env_u64("DAGEN_RANDOM_MODELS", kDefaultModels) / 5, 100);
  int rejected = 0, accepted = 0, built = 0, widest = 0;
  for (std::uint64_t seed = 200000; seed < 200000 + count; ++seed) {
    const nlohmann::json doc = testing::random_model(seed, config);
    const Model model = parse_model(doc);
    const OptionSet& set = kOptionSets[seed % 6];
    LowerOptions lo;
    lo.cmvm.depth_slack = set.depth_slack;
    lo.cmvm.objective = set.objective;
    lo.cmvm.effort = 0;
    try {
      for (const Node& n : lower_model(model, lo).nodes) widest = std::max(widest, n.type.width());
    } catch (const ModelError& e) {
      ++rejected;
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind("layers[", 0), 0u) << "seed " << seed << ": " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      continue;
    }
    ++accepted;
    const std::string problem = check_model(model, set, seed, 12);
    if (!problem.empty()) {
      report_failure(seed, doc, std::string(set.name) + ": " + problem);
      return;
    }
    if (seed % 7 == 0) {
      FlowOptions o;
      o.pipeline = static_cast<int>(seed % 4);
      o.cmvm.effort = 0;
      try {
        (void)build_design(model, o);
        ++built;
      } catch (const std::exception& e) {
        report_failure(seed, doc, std::string("build_design threw: ") + e.what());
        return;
      }
    }
  }
  std::cout << "near the width limit: " << accepted << " accepted (" << built << " built), "
            << rejected << " rejected, widest accepted value " << widest << " bits\n";
  // Accepted models were checked, and some came near the limit (else the loop
  // checked nothing this test is for).
  EXPECT_GT(accepted, 0);
  EXPECT_GT(built, 0);
  EXPECT_GE(widest, kMaxWidth - 10) << "no accepted model came near the width limit";
}

// The whole driver (lower, check, self-check, schedule, emit, report) on a sample.
TEST(RandomModels, BuildDesignAtRandomPipelineDepths) {
  const std::uint64_t count = env_u64("DAGEN_RANDOM_MODELS", kDefaultModels) / 10;
  for (std::uint64_t seed = 100000; seed < 100000 + count; ++seed) {
    const nlohmann::json doc = testing::random_model(seed);
    FlowOptions o;
    o.pipeline = static_cast<int>(seed % 5);
    o.cmvm.effort = 0;
    o.cmvm.seed = seed;
    try {
      const Design d = build_design(parse_model(doc), o);
      const auto files = design_files(d, o);
      ASSERT_TRUE(files.count(d.top + ".v")) << "seed " << seed;
      ASSERT_EQ(d.schedule.latency, o.pipeline) << "seed " << seed;
    } catch (const std::exception& e) {
      report_failure(seed, doc, std::string("build_design threw: ") + e.what());
      return;
    }
  }
}

TEST(RandomModels, GeneratorIsDeterministic) {
  for (std::uint64_t seed : {1ull, 2ull, 977ull, 123456789ull})
    EXPECT_EQ(testing::random_model(seed).dump(), testing::random_model(seed).dump());
  EXPECT_NE(testing::random_model(1).dump(), testing::random_model(2).dump());
}

// Regression (fixed in src/core/reference.cpp): a zero-width input with a large
// frac_bits made the reference align the whole dense layer to 2^-200 and throw
// "fixed-point value too wide" (da-gen exit 4, internal error).
TEST(Regression, ZeroWidthInputWithLargeFracBits) {
  const auto doc = nlohmann::json::parse(R"({"name":"zw","input":{"size":2,"type":[
      {"signed":false,"int_bits":-200,"frac_bits":200},{"signed":true,"int_bits":3,"frac_bits":0}]},
      "layers":[{"type":"dense","weights":[[1],[1]],"bias":[0.5]},
                {"type":"dense","weights":[[0.25, 3]],"bias":[0, 1]}]})");
  const Model m = parse_model(doc);
  for (const OptionSet& set : kOptionSets) EXPECT_EQ(check_model(m, set, 1, 50), "") << set.name;
  EXPECT_NO_THROW(build_design(m, FlowOptions{}));
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

void expect_model_ok(const char* json_text) {
  const Model m = parse_model(nlohmann::json::parse(json_text));
  for (const OptionSet& set : kOptionSets) EXPECT_EQ(check_model(m, set, 1, 50), "") << set.name;
  for (int p : {0, 2}) {
    FlowOptions o;
    o.pipeline = p;
    EXPECT_NO_THROW(build_design(m, o)) << "pipeline " << p;
  }
}

// Regression (fixed in src/core/adder_graph.cpp): SAT_SYM saturates a signed
// type below at -max_code; interval inference used min_code, so a quantizer whose
// rounded input was always min_code got the interval [min, min] while its value
// is -max (interpreter: "value 0 is outside its inferred interval [-1, -1]").
TEST(Regression, SatSymIntervalBelowMinusMax) {
  expect_model_ok(R"({"input":{"size":1,"type":{"signed":true,"int_bits":0,"frac_bits":2}},
      "layers":[{"type":"dense","weights":[[1]],"bias":[-2]},
                {"type":"quantize","to":{"signed":true,"int_bits":5,"frac_bits":-5},"overflow":"SAT_SYM"},
                {"type":"dense","weights":[[1]],"bias":[1]}]})");
  expect_model_ok(R"({"input":{"size":1,"type":{"signed":true,"int_bits":3,"frac_bits":0}},
      "layers":[{"type":"dense","weights":[[1]],"bias":[-16]},
                {"type":"quantize","to":{"signed":true,"int_bits":3,"frac_bits":0},"overflow":"SAT_SYM"}]})");
}

// Regression (fixed in src/passes/check.cpp): duplicate columns make one node two
// inputs of the next layer; check_graph matched an operand to the first of them
// and reported "coefficient vector does not match its operands" on a correct graph.
TEST(Regression, DuplicateColumnsFeedTheNextLayer) {
  expect_model_ok(R"({"input":{"size":1,"type":{"signed":true,"int_bits":3,"frac_bits":0}},
      "layers":[{"type":"dense","weights":[[1,1,0.5]]},
                {"type":"dense","weights":[[0,3],[5,0],[6,1]]}]})");
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// Regression (fixed in src/core/fixed.cpp, found by UBSan on random models): a
// zero value on a very coarse grid (a zero-width input with frac_bits -400)
// quantized with SAT computed pow2(400), undefined behaviour.
TEST(Regression, QuantizeZeroWithHugeUpShift) {
  const FixedType to{true, 3, 0};
  for (Overflow o : {Overflow::WRAP, Overflow::SAT, Overflow::SAT_SYM})
    for (Rounding r : {Rounding::TRN, Rounding::RND}) EXPECT_EQ(quantize({0, -400}, to, r, o), 0);
  expect_model_ok(R"({"input":{"size":2,"type":[{"signed":false,"int_bits":400,"frac_bits":-400},
      {"signed":true,"int_bits":2,"frac_bits":1}]},
      "layers":[{"type":"quantize","to":{"signed":true,"int_bits":3,"frac_bits":0},"overflow":"SAT"}]})");
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// Regression (fixed in src/core/reference.cpp, found by libFuzzer): weight 2^40
// on a 100-bit value is a 60-bit value on a coarse grid; the reference computed
// it as a 140-bit code on grid 2^0 and threw "a sum exceeds 127 bits" (exit 4).
TEST(Regression, PowerOfTwoWeightOnAWideValue) {
  expect_model_ok(
      R"({"input": {"size": 1, "type": {"signed": false, "int_bits": 60, "frac_bits": 0}},
      "layers": [{"type":"dense","weights":[[1099511627776, 0]]},{"type":"dense","weights":[[1099511627776],[4]]}]})");
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// Regression (fixed in src/passes/lower.cpp, issue 21): folding a constant input
// into the bias multiplied the weight 2^47 by the input's code 2^111 (2^61 on grid
// 2^-50) in 128 bits unchecked; the exact product 2^108 fits easily.  The graph
// was wrong (self-check failure, exit 4); now it is the constant 2^108.
TEST(Regression, ConstantInputFoldedIntoTheBiasWithoutOverflow) {
  const char* text = R"({"input":{"size":1,"type":{"signed":false,"int_bits":1,"frac_bits":0}},
      "layers":[{"type":"dense","weights":[[0]],"bias":[2305843009213693952]},
        {"type":"quantize","to":{"signed":true,"int_bits":63,"frac_bits":50},"overflow":"SAT"},
        {"type":"dense","weights":[[140737488355328]]}]})";
  expect_model_ok(text);
  const Model m = parse_model(nlohmann::json::parse(text));
  const AdderGraph g = lower_model(m, {});
  for (i128 x : {0, 1}) {
    const auto y = interpret(g, {x});
    ASSERT_EQ(y.size(), 1u);
    EXPECT_EQ(compare(y[0], Fixed{1, -108}), 0) << fixed_str(y[0]);
  }
  // A product that needs more than 127 bits is the layer's limit error: the
  // constant 2^119 - 1 on grid 2^-109 times the weight 2^47 - 1 is 166 bits wide.
  const Model wide = parse_model(nlohmann::json::parse(
      R"({"input":{"size":1,"type":{"signed":false,"int_bits":1,"frac_bits":0}},
      "layers":[{"type":"dense","weights":[[0]],"bias":[2048]},
        {"type":"quantize","to":{"signed":false,"int_bits":10,"frac_bits":109},"overflow":"SAT"},
        {"type":"dense","weights":[[140737488355327]]}]})"));
  try {
    (void)lower_model(wide, {});
    ADD_FAILURE() << "no error";
  } catch (const ModelError& e) {
    EXPECT_STREQ(e.what(),
                 "layers[2]: a constant input times its weight needs 166 bits, more than the "
                 "limit of 120 bits");
  }
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// Extreme but valid models (issue 21): widths up to 120 bits, |int_bits| and
// |frac_bits| up to 512, weights of 48 bits on grids up to 2^-32, biases up to
// 2^62, constant inputs (zero-width inputs, all-zero weight columns with a bias
// then quantized) folded into the next layer's bias.  A model may be rejected,
// but only with a one-line ModelError naming a layer; an accepted one must be
// exact (reference == graph interpreter) and pass build_design's self-check.
nlohmann::json extreme_model(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const auto random_type = [&](int max_width) {
    const bool is_signed = pick(0, 1) == 1;
    const int width = static_cast<int>(pick(0, 4) == 0 ? pick(0, 2) : pick(1, max_width));
    // frac_bits anywhere in [-512, 512] with int_bits = width - sign - frac also in range.
    const int lo = std::max(-512, width - (is_signed ? 1 : 0) - 512);
    const int hi = std::min(512, width - (is_signed ? 1 : 0) + 512);
    const int frac = static_cast<int>(pick(0, 2) == 0 ? pick(lo, hi) : pick(-60, 90));
    const int f = std::clamp(frac, lo, hi);
    return nlohmann::json{
        {"signed", is_signed}, {"int_bits", width - (is_signed ? 1 : 0) - f}, {"frac_bits", f}};
  };
  const auto number = [&](std::int64_t code, int frac) -> nlohmann::json {
    if (frac == 0) return code;
    return std::ldexp(static_cast<double>(code), -frac);  // exact: |code| < 2^53
  };
  const auto big_code = [&](int max_bits) -> std::int64_t {
    // One pick per statement: the operands of * are unsequenced, so two picks in
    // one product drew different models from different compilers (release vs ASan).
    switch (pick(0, 3)) {
      case 0:
        return 0;
      case 1: {  // a power of two
        const std::int64_t s = pick(0, 1) ? 1 : -1;
        return s * (std::int64_t{1} << pick(0, max_bits - 1));
      }
      case 2: {  // all ones
        const std::int64_t s = pick(0, 1) ? 1 : -1;
        return s * ((std::int64_t{1} << pick(1, max_bits)) - 1);
      }
      default:
        return pick(-(std::int64_t{1} << (max_bits - 1)), std::int64_t{1} << (max_bits - 1));
    }
  };
  int size = static_cast<int>(pick(1, 3));
  nlohmann::json types = nlohmann::json::array();
  for (int i = 0; i < size; ++i) types.push_back(random_type(pick(0, 1) ? 120 : 40));
  nlohmann::json layers = nlohmann::json::array();
  const int n_layers = static_cast<int>(pick(1, 5));
  for (int k = 0; k < n_layers; ++k) {
    const int kind = static_cast<int>(pick(0, 5));
    if (kind <= 2) {  // dense
      const int n_out = static_cast<int>(pick(1, 3));
      const int frac = static_cast<int>(pick(0, 3) == 0 ? pick(0, 32) : 0);
      const bool constant = pick(0, 3) == 0;  // all-zero weights: the outputs are the bias
      nlohmann::json w = nlohmann::json::array(), b = nlohmann::json::array();
      for (int i = 0; i < size; ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (int j = 0; j < n_out; ++j)
          row.push_back(constant ? nlohmann::json(0) : number(big_code(frac ? 48 : 48), frac));
        w.push_back(row);
      }
      const int bfrac = static_cast<int>(pick(0, 1) ? 0 : pick(0, 32));
      for (int j = 0; j < n_out; ++j) b.push_back(number(big_code(bfrac ? 52 : 62), bfrac));
      layers.push_back({{"type", "dense"}, {"weights", w}, {"bias", b}});
      size = n_out;
    } else if (kind == 3) {
      layers.push_back({{"type", "relu"}});
    } else {
      nlohmann::json to = nlohmann::json::array();
      for (int i = 0; i < size; ++i) to.push_back(random_type(pick(0, 1) ? 120 : 64));
      static const char* const kOverflow[] = {"WRAP", "SAT", "SAT_SYM"};
      layers.push_back({{"type", "quantize"},
                        {"to", to},
                        {"rounding", pick(0, 1) ? "RND" : "TRN"},
                        {"overflow", kOverflow[pick(0, 2)]}});
    }
  }
  return {{"input", {{"size", types.size()}, {"type", types}}}, {"layers", layers}};
}

TEST(RandomModels, ExtremeButValid) {
  const std::uint64_t count = env_u64("DAGEN_RANDOM_MODELS", kDefaultModels);
  int rejected = 0, accepted = 0, failures = 0;
  for (std::uint64_t seed = 300000; seed < 300000 + count && failures < 3; ++seed) {
    const nlohmann::json doc = extreme_model(seed);
    Model model;
    try {
      model = parse_model(doc);
    } catch (const std::exception& e) {
      report_failure(seed, doc, std::string("generated model does not parse: ") + e.what());
      ++failures;
      continue;
    }
    const OptionSet& set = kOptionSets[seed % 6];
    LowerOptions lo;
    lo.cmvm.depth_slack = set.depth_slack;
    lo.cmvm.objective = set.objective;
    lo.cmvm.effort = set.effort;  // as check_model lowers it
    lo.cmvm.seed = seed;
    try {
      (void)lower_model(model, lo);
    } catch (const ModelError& e) {
      ++rejected;
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind("layers[", 0), 0u) << "seed " << seed << ": " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      continue;
    } catch (const std::exception& e) {
      report_failure(seed, doc, std::string("lower_model threw: ") + e.what());
      ++failures;
      continue;
    }
    ++accepted;
    if (const std::string problem = check_model(model, set, seed, 12); !problem.empty()) {
      report_failure(seed, doc, std::string(set.name) + ": " + problem);
      ++failures;
      continue;
    }
    FlowOptions o;
    o.pipeline = static_cast<int>(seed % 3);
    o.cmvm.effort = 0;
    try {
      (void)build_design(model, o);
    } catch (const ModelError& e) {
      // Other CMVM options give other intermediate widths: a limit error is fine.
      EXPECT_EQ(std::string(e.what()).rfind("layers[", 0), 0u)
          << "seed " << seed << ": " << e.what();
    } catch (const std::exception& e) {
      report_failure(seed, doc, std::string("build_design threw: ") + e.what());
      ++failures;
    }
  }
  std::cout << "extreme models: " << accepted << " accepted, " << rejected << " rejected\n";
  EXPECT_GT(accepted, static_cast<int>(count / 4))
      << "the generator should mostly make models that fit";
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// Regression (fixed in src/emit/verilog.cpp, found by RandomModels.ExtremeButValid):
// a quantizer whose target grid is 2^215 finer than its input's (s-44.63 -> u-167.168,
// s131.-47 -> s-38.46) made the emitter round the interval in 128 bits and throw
// "fixed-point value too wide" (exit 4, internal error); RND across 400 bits
// formed 1 << 399 for the rounding half (undefined behaviour).
TEST(Regression, QuantizeAcrossFarApartGrids) {
  expect_model_ok(R"({"input":{"size":3,"type":[{"frac_bits":-47,"int_bits":132,"signed":true},
      {"frac_bits":63,"int_bits":-44,"signed":true},{"frac_bits":20,"int_bits":94,"signed":true}]},
      "layers":[{"overflow":"WRAP","rounding":"RND","to":[{"frac_bits":46,"int_bits":-38,"signed":true},
        {"frac_bits":70,"int_bits":-16,"signed":true},{"frac_bits":-60,"int_bits":86,"signed":false}],"type":"quantize"},
       {"overflow":"WRAP","rounding":"TRN","to":[{"frac_bits":168,"int_bits":-167,"signed":false},
        {"frac_bits":-30,"int_bits":31,"signed":true},{"frac_bits":-24,"int_bits":25,"signed":false}],"type":"quantize"}]})");
  expect_model_ok(R"({"input":{"size":1,"type":{"signed":true,"int_bits":-390,"frac_bits":400}},
      "layers":[{"type":"quantize","to":{"signed":true,"int_bits":3,"frac_bits":0},"rounding":"RND","overflow":"SAT"}]})");
  expect_model_ok(R"({"input":{"size":1,"type":{"signed":true,"int_bits":5,"frac_bits":-2}},
      "layers":[{"type":"quantize","to":{"signed":true,"int_bits":-100,"frac_bits":200},"overflow":"SAT"}]})");
}

}  // namespace
}  // namespace dagen
