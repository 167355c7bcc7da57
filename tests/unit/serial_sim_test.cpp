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
#include "random_kinds.hpp"
#include "sim_support.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;
using test::have;
using test::RandomKinds;

struct SerialCase {
  std::string top, verilog;
  int latency = 0, ii = 1;
  int x_width = 1, y_width = 1;
  std::vector<std::string> x, y;
};

SerialCase make_case(const AdderGraph& g, int k, const Target& target, const std::string& top,
                     std::uint64_t seed) {
  const SerialPlan p = plan_serial(g, k, target);
  const EmittedDesign e = emit_serial_verilog(g, p, target, top, "");
  SerialCase c;
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

// Each case in its own loop over cycles: input j at cycle t_j, t_{j+1} = t_j + ii
// (+ 1 after every fifth input, + ii after every seventh); garbage on x otherwise.
std::string testbench(const std::vector<SerialCase>& cases, const fs::path& dir) {
  std::ostringstream tb;
  tb << "`timescale 1ns/1ps\nmodule tb;\n";
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const SerialCase& c = cases[k];
    const std::string i = std::to_string(k), n = std::to_string(c.x.size());
    tb << "  reg clk" << i << " = 0;\n  reg xv" << i << " = 0;\n"
       << "  reg [" << c.x_width - 1 << ":0] x" << i << " = 0;\n"
       << "  wire yv" << i << ";\n  wire [" << c.y_width - 1 << ":0] y" << i << ";\n"
       << "  " << c.top << " u" << i << " (.clk(clk" << i << "), .x_valid(xv" << i << "), .x(x" << i
       << "), .y_valid(yv" << i << "), .y(y" << i << "));\n"
       << "  reg [" << c.x_width - 1 << ":0] xs" << i << " [0:" << n << "-1];\n"
       << "  reg [" << c.y_width - 1 << ":0] ys" << i << " [0:" << n << "-1];\n"
       << "  integer tin" << i << " [0:" << n << "-1];\n"
       << "  integer c" << i << ", ni" << i << ", tn" << i << ", no" << i << ", e" << i
       << ";\n  reg expect" << i << ";\n"
       << "  initial begin\n"
       << "    $readmemh(\"" << (dir / (c.top + ".x.hex")).string() << "\", xs" << i << ");\n"
       << "    $readmemh(\"" << (dir / (c.top + ".y.hex")).string() << "\", ys" << i << ");\n"
       << "    ni" << i << " = 0; no" << i << " = 0; e" << i << " = 0; tn" << i << " = 2;\n"
       << "    for (c" << i << " = 0; no" << i << " < " << n << " && c" << i << " < 100000; c" << i
       << " = c" << i << " + 1) begin\n"
       << "      if (ni" << i << " < " << n << " && c" << i << " == tn" << i << ") begin\n"
       << "        x" << i << " = xs" << i << "[ni" << i << "]; xv" << i << " = 1; tin" << i
       << "[ni" << i << "] = c" << i << "; ni" << i << " = ni" << i << " + 1;\n"
       << "        tn" << i << " = c" << i << " + " << c.ii << " + (ni" << i << " % 5 == 0 ? 1 : 0)"
       << " + (ni" << i << " % 7 == 0 ? " << c.ii << " : 0);\n"
       << "      end else begin\n"
       << "        x" << i << " = {" << (c.x_width + 31) / 32 << "{$random}}; xv" << i << " = 0;\n"
       << "      end\n"
       << "      #1;\n"
       << "      expect" << i << " = no" << i << " < ni" << i << " && tin" << i << "[no" << i
       << "] + " << c.latency << " == c" << i << ";\n"
       << "      if (yv" << i << " !== expect" << i << ") begin\n        e" << i << " = e" << i
       << " + 1;\n        if (e" << i << " <= 2) $display(\"case " << i
       << " cycle %0d: y_valid %b, expected %b\", c" << i << ", yv" << i << ", expect" << i
       << ");\n      end\n"
       << "      if (expect" << i << ") begin\n"
       << "        if (y" << i << " !== ys" << i << "[no" << i << "]) begin\n          e" << i
       << " = e" << i << " + 1;\n          if (e" << i << " <= 2) $display(\"case " << i
       << " vector %0d: y %h, expected %h\", no" << i << ", y" << i << ", ys" << i << "[no" << i
       << "]);\n        end\n        no" << i << " = no" << i << " + 1;\n      end\n"
       << "      clk" << i << " = 1; #1; clk" << i << " = 0; #1;\n"
       << "    end\n"
       << "    if (no" << i << " < " << n << ") e" << i << " = e" << i << " + 1;\n"
       << "    $display(\"CASE " << i << " ERRORS %0d\", e" << i << ");\n"
       << "  end\n";
  }
  tb << "endmodule\n";
  return tb.str();
}

// Writes everything into dir, runs one Icarus simulation; errors per case (-1: none).
std::vector<int> simulate(const std::vector<SerialCase>& cases,
                          const std::map<std::string, std::string>& library, const fs::path& dir,
                          std::string& log) {
  fs::create_directories(dir);
  std::string files;
  for (const auto& [name, text] : library) {
    std::ofstream(dir / name) << text;
    files += " " + name;
  }
  for (const SerialCase& c : cases) {
    std::ofstream(dir / (c.top + ".v")) << c.verilog;
    std::ofstream x(dir / (c.top + ".x.hex")), y(dir / (c.top + ".y.hex"));
    for (const auto& h : c.x) x << h << "\n";
    for (const auto& h : c.y) y << h << "\n";
    files += " " + c.top + ".v";
  }
  std::ofstream(dir / "tb.v") << testbench(cases, dir);
  const std::string command = "cd '" + dir.string() +
                              "' && '" DAGEN_IVERILOG "' -g2012 -s tb -o tb.vvp tb.v" + files +
                              " > sim.log 2>&1 && '" DAGEN_VVP "' -n tb.vvp >> sim.log 2>&1";
  std::vector<int> errors(cases.size(), -1);
  const int status = std::system(command.c_str());
  log = test::slurp(dir / "sim.log");
  if (status != 0) return errors;
  std::istringstream lines(log);
  std::string line;
  const std::regex result(R"(^CASE (\d+) ERRORS (\d+)$)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, result))
      errors.at(static_cast<std::size_t>(std::stoi(m[1]))) = std::stoi(m[2]);
  }
  return errors;
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
  std::vector<SerialCase> cases;
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
    SerialCase c = make_case(mlp, 4, find_target("xcup"), top, 6);
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

  const fs::path dir = test::scratch_dir("serial-sim");
  fs::remove_all(dir);
  std::string log;
  const std::vector<int> errors = simulate(cases, library, dir, log);
  for (std::size_t k = 0; k < intact; ++k)
    EXPECT_EQ(errors[k], 0) << cases[k].top << " (ii " << cases[k].ii << ", latency "
                            << cases[k].latency << ") in " << dir << "\n"
                            << log;
  for (std::size_t k = intact; k < cases.size(); ++k)
    EXPECT_GT(errors[k], 0) << "the mutated design " << cases[k].top << " passed\n" << log;

  if (have(DAGEN_VERILATOR)) {
    std::vector<std::string> files{"dagen_delay.v", "dagen_sadd.v"};
    for (std::size_t k = 0; k < intact; ++k) files.push_back(cases[k].top + ".v");
    EXPECT_EQ(test::lint_files(DAGEN_VERILATOR, files, dir), "");
  }
  if (!HasFailure() && !std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(dir);
}

}  // namespace
}  // namespace dagen
