// What the simulation property tests share: scratch directories, file reading,
// the simulator paths CMake found, a Verilator lint of many designs, and
// line mutations for negative controls.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace dagen::test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline fs::path scratch_dir(const std::string& name) {
  return fs::temp_directory_path() /
         ("dagen-" + name + "-" + std::to_string(static_cast<long long>(::getpid())));
}

// Whether a tool path CMake found (DAGEN_IVERILOG, ...) exists.
inline bool have(const char* tool) { return std::string(tool).size() > 0 && fs::exists(tool); }

// Lints the Verilog files (names in dir) in one Verilator run (many top modules:
// MULTITOP waived); "" when clean, else the log.
inline std::string lint_files(const char* verilator, const std::vector<std::string>& files,
                              const fs::path& dir) {
  std::string command =
      "cd '" + dir.string() + "' && '" + verilator + "' --lint-only -Wall -Wno-MULTITOP";
  for (const auto& f : files) command += " " + f;
  command += " > lint.log 2>&1";
  const int status = std::system(command.c_str());
  const std::string log = slurp(dir / "lint.log");
  return status == 0 ? log : "exit " + std::to_string(status) + "\n" + log;
}

// Applies `edit` to the first line matching `pattern`; false if none does.
inline bool mutate(std::string& verilog, const std::regex& pattern,
                   const std::function<std::string(const std::smatch&)>& edit) {
  std::istringstream in(verilog);
  std::string out, line;
  bool done = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!done && std::regex_match(line, m, pattern)) {
      line = edit(m);
      done = true;
    }
    out += line + "\n";
  }
  verilog = out;
  return done;
}

}  // namespace dagen::test
