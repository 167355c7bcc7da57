// --verify: builds sim/ (the generic harness + verilate()) against the design
// in a scratch directory, writes reference vectors and replays them.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/vectors.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace {

// The harness: $DAGEN_SIM_DIR, else next to an installed binary
// (<prefix>/share/da-gen/sim), else the source tree this binary was built from.
fs::path sim_source_dir() {
  if (const char* env = std::getenv("DAGEN_SIM_DIR")) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "da-gen" / "sim");
  candidates.push_back(fs::path(DAGEN_SOURCE_DIR) / "sim");
  candidates.push_back(fs::path(DAGEN_INSTALL_DATA_DIR) / "sim");
  for (const fs::path& p : candidates)
    if (fs::exists(p / "harness.cpp")) return p;
  throw ToolError("cannot find the simulation harness (sim/); set DAGEN_SIM_DIR");
}

// Runs argv with stdout and stderr appended to `log_path`; returns the exit
// status.  The child leads its own process group, to which an interrupt is
// forwarded (see interrupt.hpp); after an interrupt this throws Interrupted.
int run(const std::vector<std::string>& argv, const fs::path& log_path) {
  throw_if_interrupted();
  const pid_t pid = ::fork();
  if (pid < 0) throw ToolError("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);  // a background process group must not read the terminal
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  set_interrupt_child(pid);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  set_interrupt_child(0);
  throw_if_interrupted();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string tail(const fs::path& path, int lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (std::size_t k = all.size() > static_cast<std::size_t>(lines) ? all.size() - lines : 0;
       k < all.size(); ++k)
    out += all[k] + "\n";
  return out;
}

struct ScratchDir {
  fs::path path;
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "da-gen-verify-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw ToolError("cannot create a scratch directory");
    path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(path, ec);
  }
};

// Whether `name` is an executable file in a directory of $PATH.
bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    if (::access((fs::path(dir) / name).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

// One line up front instead of a CMake log: the tools the simulation build needs.
void require_simulation_tools() {
  const char* root = std::getenv("VERILATOR_ROOT");
  const bool rooted =
      root && *root && ::access((fs::path(root) / "bin" / "verilator").c_str(), X_OK) == 0;
  if (!rooted && !on_path("verilator"))
    throw ToolError("--verify needs Verilator: 'verilator' is not on PATH (or set VERILATOR_ROOT)");
  if (!on_path("cmake")) throw ToolError("--verify needs CMake: 'cmake' is not on PATH");
}

VerifyResult verify_with_verilator(const Model& model, const Design& design, const fs::path& dir,
                                   int random_vectors, std::uint64_t seed, std::ostream& log) {
  require_simulation_tools();
  InterruptGuard interrupts;  // an interrupt stops the child and removes the scratch directory
  ScratchDir scratch;
  const fs::path build = scratch.path / "build", build_log = scratch.path / "build.log";
  const auto inputs = make_input_vectors(model.input_types, random_vectors, seed);
  write_vector_file((scratch.path / "vectors.txt").string(), model, inputs, design.emitted.inputs,
                    design.emitted.outputs, design.schedule.latency);
  log << "verify: verilating " << design.top << " (" << inputs.size() << " vectors)\n";
  const std::vector<std::string> configure = {"cmake",
                                              "-S",
                                              sim_source_dir().string(),
                                              "-B",
                                              build.string(),
                                              "-DDAGEN_RTL_DIR=" + fs::absolute(dir).string(),
                                              "-DDAGEN_TOP=" + design.top,
                                              "-DCMAKE_BUILD_TYPE="};
  if (run(configure, build_log) != 0)
    throw ToolError("verify: configuring the simulation failed:\n" + tail(build_log, 20));
  if (run({"cmake", "--build", build.string(), "-j", "2"}, build_log) != 0)
    throw ToolError("verify: building the simulation failed:\n" + tail(build_log, 30));
  const fs::path sim_log = scratch.path / "sim.log";
  const int status =
      run({(build / "dagen_sim").string(), (scratch.path / "vectors.txt").string()}, sim_log);
  VerifyResult result;
  result.summary = tail(sim_log, 12);
  result.passed = status == 0 && result.summary.find("PASS") != std::string::npos;
  if (status != 0 && status != 1)
    throw ToolError("verify: the simulation crashed:\n" + result.summary);
  return result;
}

}  // namespace dagen
