// The driver: a straight line of steps from model.json to a verified design.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "dagen/adder_graph.hpp"
#include "dagen/cmvm.hpp"
#include "dagen/model.hpp"
#include "dagen/schedule.hpp"
#include "dagen/verilog.hpp"
#include "dagen/vhdl.hpp"

namespace dagen {

inline constexpr const char* kVersion = "0.1.0";
// The largest --ii: far beyond any useful one (a frame needs at most kMaxWidth cycles).
inline constexpr int kMaxInitiationInterval = 1'000'000;

// Exit codes of the command line.
enum ExitCode { kExitOk = 0, kExitBadModel = 1, kExitUsage = 2, kExitMismatch = 3, kExitTool = 4 };

struct FlowOptions {
  int pipeline = 0;
  // With pipeline_given: every stage must meet it (fewest register bits at that
  // latency); otherwise it chooses the smallest latency that meets it.
  std::optional<double> clock_period_ns;
  bool pipeline_given = true;
  std::string top;  // empty: from the model name
  std::string target = "xcup";
  cmvm::Options cmvm;
  bool dump_graph = false;
  bool valid = false;  // x_valid / y_valid handshake
  // --ii K: a new input at most once every K cycles (1: every cycle).  K > 1
  // builds a digit-serial design (include/dagen/serial.hpp) with the valid handshake.
  int ii = 1;
  double stage_slack = 0.0;     // see schedule_pipeline()
  bool ternary = false;         // fuse adder pairs into dagen_add3 ternary adders (xcup only)
  std::string hdl = "verilog";  // or "vhdl": <top>.v or <top>.vhd, verified by Verilator or GHDL
  std::size_t exact_placement_work = kExactPlacementWork;  // see schedule_pipeline()
  // Vendor project files beside the design (include/dagen/vendor.hpp); empty: none.
  std::string vivado_part;     // --vivado: build_vivado.tcl, constraints.xdc
  std::string quartus_device;  // --quartus: <top>.qpf/.qsf/.sdc, build_quartus.tcl

  // Throws OptionError (naming the option as the command line spells it) for a
  // value out of range or a combination that cannot work or would do nothing.
  // build_design() calls it, so every caller gets the same errors.
  void validate() const;
};

struct Design {
  std::string hdl = "verilog";  // FlowOptions::hdl
  // The design takes a new input at most once every this many cycles (the
  // report's "initiation_interval"); x is sampled only in the x_valid cycle.
  int initiation_interval = 1;
  AdderGraph graph;
  Schedule schedule;
  EmittedDesign emitted;
  std::string top;
  nlohmann::json report;
};

// Lower, optimise, check (graph invariants and graph interpreter vs reference
// model on corner and random vectors), schedule and emit.  Throws ModelError
// or ToolError.
Design build_design(const Model& model, const FlowOptions& options);

// All files of the output directory, by name.
std::map<std::string, std::string> design_files(const Design& design, const FlowOptions& options);

// The directory -o names: `shown` (absolute) for messages, `real` with
// symlinks followed (files go there; a symlinked -o stays a symlink).
struct OutputDir {
  std::filesystem::path shown, real;
};

// Resolves -o and refuses (ToolError) the root directory, the home and working
// directories, the model file's directory, and any parent of these.
OutputDir resolve_output_dir(const std::string& option, const std::filesystem::path& model_file);

// Runs on the complete staging directory before the commit (--verify); returns
// files of the design to rewrite there (e.g. the report with "verified").
using OutputCheck = std::function<std::map<std::string, std::string>(const std::filesystem::path&)>;

// Writes `files` into `dir` (created if missing, locked against concurrent
// runs): replaces exactly the files da-gen wrote there before (listed in its
// manifest .da-gen-output, removing those not written again) and never
// touches or replaces any other file.  A non-empty directory without a
// manifest needs `force`.  Staged inside `dir` and committed by renames that
// are rolled back on any failure or interrupt.  Throws ToolError, Interrupted.
void write_output_dir(const OutputDir& dir, const std::map<std::string, std::string>& files,
                      bool force, const OutputCheck& check);

// Throws ToolError (one line) unless the tools --verify runs for `hdl` are installed
// (Verilator and a C++ compiler; GHDL for "vhdl"); verify_design() checks it too, the CLI
// before the long work.
void require_simulation_tools(const std::string& hdl = "verilog");

struct VerifyResult {
  bool passed = false;
  std::string summary;  // the harness's PASS/FAIL line and first mismatches
};

// Verilates the design in `dir`, replays corner + random vectors and compares
// every output with the reference model.  Throws ToolError if the build fails.
VerifyResult verify_with_verilator(const Model& model, const Design& design,
                                   const std::filesystem::path& dir, int random_vectors,
                                   std::uint64_t seed, std::ostream& log);

// The same check of a VHDL design (Design::hdl "vhdl") with GHDL: the testbench
// sim/dagen_tb.vhd streams the same vector file through it.
VerifyResult verify_with_ghdl(const Model& model, const Design& design,
                              const std::filesystem::path& dir, int random_vectors,
                              std::uint64_t seed, std::ostream& log);

// A design for the GHDL testbench sim/dagen_tb.vhd: its top entity and ports, and
// the number of vectors in its vector file (write_vector_file's format).
struct GhdlBench {
  std::string top;
  int latency = 0;
  bool valid = false;
  int x_width = 1, y_width = 1;  // of the ports (at least 1)
  std::size_t vectors = 0;
};

// What verify_with_ghdl() runs: `sources` (the design's .vhd files), a wrapper and
// the testbench analysed into the directory `work`, elaborated and run on the vector
// file `vectors`.  Throws ToolError if GHDL fails before the comparison.
VerifyResult run_ghdl_testbench(const std::vector<std::filesystem::path>& sources,
                                const GhdlBench& bench, const std::filesystem::path& work,
                                const std::filesystem::path& vectors);

// verify_with_verilator() or verify_with_ghdl(), by the design's HDL.
VerifyResult verify_design(const Model& model, const Design& design,
                           const std::filesystem::path& dir, int random_vectors, std::uint64_t seed,
                           std::ostream& log);

}  // namespace dagen
