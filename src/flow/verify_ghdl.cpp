// --verify --hdl vhdl: the design, a port wrapper and sim/dagen_tb.vhd analysed,
// elaborated and run by GHDL (VHDL-2008) in a scratch directory, replaying the
// vector file the Verilator harness reads.
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/progress.hpp"
#include "dagen/vectors.hpp"
#include "sim_tools.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace sim {

void require_ghdl() {
  if (!on_path("ghdl"))
    throw ToolError("--verify with --hdl vhdl needs GHDL: 'ghdl' is not on PATH");
}

}  // namespace sim

namespace {

int port_width(const std::vector<PortElement>& elements) {
  int w = 1;
  for (const PortElement& e : elements) w = std::max(w, e.offset + e.width);
  return w;
}

// dagen_dut: every design behind the same ports, so that one testbench fits all
// (clk and x_valid unread where the design lacks them, y_valid 0).
std::string dut_wrapper(const GhdlBench& b) {
  std::string map;
  if (b.latency > 0) map += "clk => clk, ";
  if (b.valid) map += "x_valid => x_valid, y_valid => y_valid, ";
  return "library ieee;\nuse ieee.std_logic_1164.all;\n\nentity dagen_dut is\n  port (\n"
         "    clk, x_valid : in std_logic;\n    x : in std_logic_vector(" +
         std::to_string(b.x_width - 1) +
         " downto 0);\n    y_valid : out std_logic;\n"
         "    y : out std_logic_vector(" +
         std::to_string(b.y_width - 1) +
         " downto 0)\n  );\nend entity dagen_dut;\n\narchitecture wrap of dagen_dut is\nbegin\n"
         "  dut : entity work." +
         b.top + "\n    port map (" + map + "x => x, y => y);\n" +
         (b.valid ? "" : "  y_valid <= '0';\n") + "end architecture wrap;\n";
}

}  // namespace

VerifyResult run_ghdl_testbench(const std::vector<fs::path>& sources, const GhdlBench& bench,
                                const fs::path& work, const fs::path& vectors) {
  sim::require_ghdl();
  const fs::path tb = fs::absolute(sim::sim_source_dir()) / "dagen_tb.vhd";
  if (!fs::exists(tb))
    throw ToolError("verify: the GHDL testbench " + tb.string() + " is missing (DAGEN_SIM_DIR)");
  std::ofstream(work / "dagen_dut.vhd") << dut_wrapper(bench);
  const std::vector<std::string> std08 = {"--std=08", "--workdir=" + work.string()};
  std::vector<std::string> analyse = {"ghdl", "-a"};
  analyse.insert(analyse.end(), std08.begin(), std08.end());
  for (const fs::path& source : sources) analyse.push_back(fs::absolute(source).string());
  analyse.insert(analyse.end(), {(work / "dagen_dut.vhd").string(), tb.string()});
  const fs::path build_log = work / "build.log";
  if (sim::run(analyse, build_log) != 0)
    throw ToolError("verify: GHDL could not analyse the design:\n" + sim::tail(build_log, 20));
  std::vector<std::string> elaborate = {"ghdl", "-e"};
  elaborate.insert(elaborate.end(), std08.begin(), std08.end());
  elaborate.push_back("dagen_tb");
  if (sim::run(elaborate, build_log) != 0)
    throw ToolError("verify: GHDL could not elaborate the design:\n" + sim::tail(build_log, 20));

  std::vector<std::string> simulate = {"ghdl", "-r"};
  simulate.insert(simulate.end(), std08.begin(), std08.end());
  simulate.insert(
      simulate.end(),
      {"dagen_tb", "--ieee-asserts=disable-at-0", "-gXW=" + std::to_string(bench.x_width),
       "-gYW=" + std::to_string(bench.y_width), "-gLATENCY=" + std::to_string(bench.latency),
       "-gCOUNT=" + std::to_string(bench.vectors),
       std::string("-gVALID=") + (bench.valid ? "true" : "false"),
       "-gVECTORS=" + fs::absolute(vectors).string()});
  const fs::path sim_log = work / "sim.log";
  const int status = sim::run(simulate, sim_log);
  VerifyResult result;
  result.summary = sim::tail(sim_log, 12);
  const bool pass = result.summary.find("PASS: ") != std::string::npos;
  const bool fail = result.summary.find("FAIL: ") != std::string::npos;
  if (status != 0 || (!pass && !fail))
    throw ToolError("verify: the GHDL simulation failed:\n" + result.summary);
  result.passed = pass && !fail;
  return result;
}

VerifyResult verify_with_ghdl(const Model& model, const Design& design, const fs::path& dir,
                              int random_vectors, std::uint64_t seed, std::ostream& log) {
  sim::require_ghdl();
  InterruptGuard interrupts;  // an interrupt stops the child and removes the scratch directory
  sim::ScratchDir scratch;
  const auto inputs = make_input_vectors(model.input_types, random_vectors, seed);
  const fs::path vectors = scratch.path / "vectors.txt";
  write_vector_file(vectors.string(), model, inputs, design.emitted.inputs, design.emitted.outputs,
                    design.schedule.latency);
  log << "verify: simulating " << design.top << " with GHDL (" << inputs.size() << " vectors)\n";
  std::vector<fs::path> sources;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".vhd") sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  const GhdlBench bench{design.top,
                        design.schedule.latency,
                        design.report.value("valid", false),
                        port_width(design.emitted.inputs),
                        port_width(design.emitted.outputs),
                        inputs.size()};
  const progress::Task step("verify: simulating " + design.top + " with GHDL");
  const VerifyResult result = run_ghdl_testbench(sources, bench, scratch.path, vectors);
  if (std::getenv("DAGEN_KEEP_SIM"))
    log << "verify: kept the simulation in " << scratch.path.string() << "\n";
  return result;
}

}  // namespace dagen
