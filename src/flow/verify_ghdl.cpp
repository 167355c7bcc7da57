// --verify --hdl vhdl: the design, a port wrapper and sim/dagen_tb.vhd analysed,
// elaborated and run by GHDL (VHDL-2008) in a scratch directory, replaying the
// vector file the Verilator harness reads.
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
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
std::string dut_wrapper(const Design& d, int xw, int yw) {
  const bool clocked = d.schedule.latency > 0, valid = d.report.value("valid", false);
  std::string map;
  if (clocked) map += "clk => clk, ";
  if (valid) map += "x_valid => x_valid, y_valid => y_valid, ";
  return "library ieee;\nuse ieee.std_logic_1164.all;\n\nentity dagen_dut is\n  port (\n"
         "    clk, x_valid : in std_logic;\n    x : in std_logic_vector(" +
         std::to_string(xw - 1) +
         " downto 0);\n    y_valid : out std_logic;\n"
         "    y : out std_logic_vector(" +
         std::to_string(yw - 1) +
         " downto 0)\n  );\nend entity dagen_dut;\n\narchitecture wrap of dagen_dut is\nbegin\n"
         "  dut : entity work." +
         d.top + "\n    port map (" + map + "x => x, y => y);\n" +
         (valid ? "" : "  y_valid <= '0';\n") + "end architecture wrap;\n";
}

}  // namespace

VerifyResult verify_with_ghdl(const Model& model, const Design& design, const fs::path& dir,
                              int random_vectors, std::uint64_t seed, std::ostream& log) {
  sim::require_ghdl();
  const fs::path tb = fs::absolute(sim::sim_source_dir()) / "dagen_tb.vhd";
  if (!fs::exists(tb))
    throw ToolError("verify: the GHDL testbench " + tb.string() + " is missing (DAGEN_SIM_DIR)");
  InterruptGuard interrupts;  // an interrupt stops the child and removes the scratch directory
  sim::ScratchDir scratch;
  const fs::path& work = scratch.path;
  const auto inputs = make_input_vectors(model.input_types, random_vectors, seed);
  write_vector_file((work / "vectors.txt").string(), model, inputs, design.emitted.inputs,
                    design.emitted.outputs, design.schedule.latency);
  const int xw = port_width(design.emitted.inputs), yw = port_width(design.emitted.outputs);
  std::ofstream(work / "dagen_dut.vhd") << dut_wrapper(design, xw, yw);
  log << "verify: simulating " << design.top << " with GHDL (" << inputs.size() << " vectors)\n";

  std::vector<std::string> sources;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".vhd") sources.push_back(fs::absolute(e.path()).string());
  std::sort(sources.begin(), sources.end());
  const std::vector<std::string> std08 = {"--std=08", "--workdir=" + work.string()};
  std::vector<std::string> analyse = {"ghdl", "-a"};
  analyse.insert(analyse.end(), std08.begin(), std08.end());
  analyse.insert(analyse.end(), sources.begin(), sources.end());
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
      {"dagen_tb", "--ieee-asserts=disable-at-0", "-gXW=" + std::to_string(xw),
       "-gYW=" + std::to_string(yw), "-gLATENCY=" + std::to_string(design.schedule.latency),
       "-gCOUNT=" + std::to_string(inputs.size()),
       std::string("-gVALID=") + (design.report.value("valid", false) ? "true" : "false"),
       "-gVECTORS=" + (work / "vectors.txt").string()});
  const fs::path sim_log = work / "sim.log";
  const int status = sim::run(simulate, sim_log);
  if (std::getenv("DAGEN_KEEP_SIM"))
    log << "verify: kept the simulation in " << work.string() << "\n";
  VerifyResult result;
  result.summary = sim::tail(sim_log, 12);
  const bool pass = result.summary.find("PASS: ") != std::string::npos;
  const bool fail = result.summary.find("FAIL: ") != std::string::npos;
  if (status != 0 || (!pass && !fail))
    throw ToolError("verify: the GHDL simulation failed:\n" + result.summary);
  result.passed = pass && !fail;
  return result;
}

}  // namespace dagen
