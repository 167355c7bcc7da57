// What the --verify back ends (Verilator, GHDL) share: finding the sim/ resources
// and programs, running commands with their output in a log, a scratch directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dagen::sim {

// The harness directory: $DAGEN_SIM_DIR, else next to an installed binary
// (<prefix>/share/da-gen/sim), else the source tree this binary was built from.
std::filesystem::path sim_source_dir();

// One command: its arguments, the file its stdout and stderr are appended to, NAME=value
// entries added to (or replacing in) its environment, and its working directory (empty: ours).
struct Job {
  std::vector<std::string> argv;
  std::filesystem::path log;
  std::vector<std::string> env = {};
  std::filesystem::path cwd = {};
};

// Runs the jobs at the same time and returns their exit statuses.  They share one process group
// (led by the first), to which an interrupt is forwarded (see interrupt.hpp); after an interrupt
// this throws Interrupted once all have ended.
std::vector<int> run_all(const std::vector<Job>& jobs);
int run(const std::vector<std::string>& argv, const std::filesystem::path& log_path);

// The last `lines` lines of a file.
std::string tail(const std::filesystem::path& path, int lines);

// A fresh directory under the temporary directory, removed at the end unless
// DAGEN_KEEP_SIM is set.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

// The executable `name` runs as: itself if it has a slash, else the first match in
// $PATH; empty if there is none.
std::filesystem::path find_program(const std::string& name);
bool on_path(const std::string& name);

// Throws ToolError (one line) unless GHDL is on PATH (verify_ghdl.cpp).
void require_ghdl();

}  // namespace dagen::sim
