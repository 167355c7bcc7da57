// Property test of the digit-serial designs (--ii K > 1) in hardware: random graphs
// of every node kind and a two-layer network with saturating quantizers, planned at K = 2, 3, an
// intermediate K, the bit-serial extreme and a K far above it, on both targets, all simulated in
// one Icarus Verilog run.  The testbench follows the --ii interface to the letter:
// a new x with x_valid high at most once every `ii` cycles (exactly every ii
// cycles, with some longer gaps), random bits on x in every other cycle; y_valid
// must be high exactly latency cycles after each input and low in every other
// cycle, and y then equal interpret() of that input.  Negative controls: a carry
// reset to the wrong value, a digit mask removed and x sampled one cycle late must
// each fail.  With Verilator, every design must also lint clean under -Wall.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "dagen/interpret.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/serial.hpp"
#include "dagen/target.hpp"
#include "dagen/vectors.hpp"
#include "dagen/verilog.hpp"
#include "ii_bench.hpp"
#include "random_kinds.hpp"
#include "sim_support.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;
using test::have;
using test::IiCase;
using test::RandomKinds;
using test::simulate;

IiCase make_case(const AdderGraph& g, int k, const Target& target, const std::string& top,
                 std::uint64_t seed) {
  const SerialPlan p = plan_serial(g, k, target);
  const EmittedDesign e = emit_serial_verilog(g, p, target, top, "");
  IiCase c;
  c.top = top;
  c.verilog = e.files.at(top + ".v");
  c.latency = p.latency;
  c.ii = p.ii;
  for (const auto& port : e.inputs) c.x_width = std::max(c.x_width, port.offset + port.width);
  for (const auto& port : e.outputs) c.y_width = std::max(c.y_width, port.offset + port.width);
  for (const auto& in : make_input_vectors(g.input_types, 24, seed)) {
    const std::vector<Fixed> out = interpret(g, in);
    std::vector<i128> codes;
    for (std::size_t j = 0; j < out.size(); ++j) codes.push_back(output_code(out[j], e.outputs[j]));
    c.x.push_back(pack_hex(in, e.inputs));
    c.y.push_back(pack_hex(codes, e.outputs));
  }
  return c;
}

AdderGraph model_graph(const std::string& path) {
  AdderGraph g = lower_model(read_model_file(path), {});
  remove_dead_nodes(g);
  return g;
}

TEST(SerialPlan, DigitSizeFrameAndInitiationInterval) {
  const AdderGraph g = model_graph(DAGEN_SHIPPED_MODELS "/jsc_cernbox_acc75.16.json");
  const Target& xcup = find_target("xcup");
  const int widest = plan_serial(g, 1000, xcup).frame;  // one-bit digits
  EXPECT_EQ(plan_serial(g, 1000, xcup).digit, 1);
  for (int k : {2, 3, 5, widest - 1, widest, widest + 3, 4 * widest}) {
    const SerialPlan p = plan_serial(g, k, xcup);
    EXPECT_EQ(p.digit, (widest + k - 1) / k) << "K " << k;  // the fewest bits that fit K cycles
    EXPECT_GE(p.digit * p.frame, widest) << "K " << k;
    EXPECT_LE(p.frame, k) << "K " << k;
    EXPECT_EQ(k % p.ii, 0) << "K " << k;    // the II built divides K...
    EXPECT_GE(p.ii, p.frame) << "K " << k;  // ...and leaves a frame's cycles per input
    EXPECT_GT(p.latency, p.frame) << "K " << k;
  }
  // Fewer LUTs and a faster clock the slower the design.
  const SerialPlan two = plan_serial(g, 2, xcup), serial = plan_serial(g, widest, xcup);
  EXPECT_LT(serial.luts, two.luts);
  EXPECT_LE(serial.period_ns, two.period_ns);
}

TEST(SerialSimulation, RandomGraphsAndNetworksMatchTheInterpreter) {
  if (!have(DAGEN_IVERILOG) || !have(DAGEN_VVP)) GTEST_SKIP() << "Icarus Verilog not installed";
  const char* seed = std::getenv("DAGEN_SERIAL_SEED");
  RandomKinds random(seed ? std::stoull(seed) : 20261203);
  std::vector<IiCase> cases;
  std::map<std::string, std::string> library;
  auto keep = [&](const Target& t) {
    library["dagen_delay.v"] = std::string(t.rtl_cell("dagen_delay"));
    library["dagen_sadd.v"] = std::string(t.rtl_cell("dagen_sadd"));
  };
  keep(find_target("xcup"));
  for (int k = 0; k < 24; ++k) {
    const AdderGraph g = random.graph();
    ASSERT_EQ(check_graph(g), "") << "graph " << k;
    const Target& target = find_target(k % 3 == 2 ? "ice40" : "xcup");
    const int widest = plan_serial(g, 4096, target).frame;
    const int choices[] = {2, 3, std::max(2, widest / 2), std::max(2, widest), widest + 5};
    cases.push_back(make_case(g, choices[k % 5], target, "serial" + std::to_string(k),
                              static_cast<std::uint64_t>(k) + 1));
  }
  // A real network's worth of layers (the shipped jet classifiers at several K run
  // through the Verilator harness and the Icarus stream check: tests/e2e, tests/stream).
  const AdderGraph mlp = model_graph(DAGEN_TEST_MODELS "/saturation.json");
  cases.push_back(make_case(mlp, 4, find_target("xcup"), "saturation_k4", 6));
  const std::size_t intact = cases.size();

  // Negative controls on that network: each mutation must make some output or valid wrong.
  for (const char* top : {"mut_carry", "mut_mask", "mut_late"}) {
    IiCase c = make_case(mlp, 4, find_target("xcup"), top, 6);
    cases.push_back(c);
  }
  {  // every adder's carry reset to 1: each sum one too large
    std::string& v = cases[intact].verilog;
    const std::string before = v;
    v = std::regex_replace(v, std::regex(R"((    s\d+_c <= .* \? 1'b)0( : ))"), "$011$02");
    ASSERT_NE(v, before);
  }
  ASSERT_TRUE(test::mutate(cases[intact + 1].verilog,
                           std::regex(R"((.*\.zb\()\{\d+\{w\d+_\d+\}\}(\).*))"),
                           [](const std::smatch& m) { return m[1].str() + "4'd0" + m[2].str(); }));
  ASSERT_TRUE(
      test::mutate(cases[intact + 2].verilog,
                   std::regex(R"((  always @\(posedge clk\) p\d+ <= )x_valid( \?.*))"),
                   [](const std::smatch& m) { return m[1].str() + "ctl_t[0]" + m[2].str(); }));

  test::expect_intact_pass_mutants_fail(cases, intact, library, "serial-sim");
}

}  // namespace
}  // namespace dagen
