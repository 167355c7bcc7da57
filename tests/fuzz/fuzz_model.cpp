// libFuzzer target: arbitrary bytes -> read_model_text (strict JSON + model rules) -> (small
// models) build_design (lower, dead-node removal, invariants, graph interpreter vs reference
// self-check, schedule, emit) plus an extra interpreter/reference comparison.  A rejected model
// must be rejected with ModelError; anything else that escapes (ToolError = internal error,
// std::exception, a sanitizer report, a mismatch) is a crash.
//
// Built with libFuzzer only when DAGEN_FUZZ=ON (tools/fuzz.sh).  Without it the
// same function is linked into fuzz_replay, which replays corpus and regression
// files in normal ctest runs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interpret.hpp"
#include "dagen/model_json.hpp"
#include "dagen/reference.hpp"
#include "dagen/vectors.hpp"

namespace {

// Size limits that keep one execution in the millisecond range.
constexpr std::size_t kMaxBytes = 1 << 14;
constexpr int kMaxElements = 32;  // per layer
constexpr int kMaxLayers = 8;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_model: %s\n", what.c_str());
  std::abort();
}

bool small_enough(const dagen::Model& m) {
  if (m.input_types.size() > kMaxElements || m.nodes.size() > kMaxLayers) return false;
  for (const auto& node : m.nodes)
    if (dagen::element_count(node.shape) > kMaxElements) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxBytes) return 0;
  dagen::Model model;
  try {  // the reader da-gen itself uses: strict JSON (duplicate keys, exact numbers), then the
         // model
    model = dagen::read_model_text(std::string(reinterpret_cast<const char*>(data), size),
                                   "fuzz input");
  } catch (const dagen::ModelError& e) {
    const std::string msg = e.what();
    if (msg.find('\n') != std::string::npos) fail("multi-line ModelError: " + msg);
    return 0;
  }
  if (!small_enough(model)) return 0;
  // Option bits from the input's last byte: depth slack, objective, pipeline.
  const std::uint8_t knob = size ? data[size - 1] : 0;
  dagen::FlowOptions o;
  o.pipeline = knob % 4;
  if (knob & 4) o.cmvm.depth_slack = (knob >> 4) % 3;
  o.cmvm.objective =
      (knob & 8) ? dagen::cmvm::Objective::AdderBits : dagen::cmvm::Objective::Adders;
  o.cmvm.effort = 0;
  dagen::Design design;
  try {
    design = dagen::build_design(model, o);
  } catch (const dagen::ModelError& e) {
    const std::string msg = e.what();
    if (msg.find('\n') != std::string::npos) fail("multi-line ModelError: " + msg);
    return 0;  // e.g. a layer whose values exceed the width limit
  } catch (const std::exception& e) {
    fail(std::string("build_design: ") + e.what());
  }
  // Independent check on a few more random vectors than the self-check's seed.
  for (const auto& x : dagen::make_input_vectors(model.input_types, 8, size)) {
    const auto want = dagen::evaluate_reference(model, x);
    const auto got = dagen::interpret(design.graph, x);
    for (std::size_t k = 0; k < want.size(); ++k)
      if (dagen::compare(want[k], got[k]) != 0)
        fail("reference and graph differ on output " + std::to_string(k));
    // Every output value must be representable in its port element.
    for (std::size_t k = 0; k < want.size(); ++k)
      (void)dagen::output_code(want[k], design.emitted.outputs[k]);
  }
  return 0;
}
