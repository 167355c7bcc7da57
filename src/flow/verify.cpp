// --verify: verilates the design, compiles it with the generic harness (sim/harness.cpp) in a
// scratch directory, writes reference vectors and replays them.
//
// The build needs no CMake: `verilator --cc`, then the generated C++ and the harness compiled as
// one or two unity translation units at -O0 (the generated files share one set of headers, so
// this is a fraction of compiling them one by one) and linked with the Verilator runtime.
// The runtime (verilated.cpp, verilated_threads.cpp, ...) and a precompiled verilated.h come
// prebuilt from a build tree when there is one for this Verilator and compiler: the directory
// $DAGEN_SIM_RUNTIME, else the sim-runtime/ of the build tree this binary was built in
// (sim/SimRuntime.cmake writes its runtime.txt).  Otherwise (an installed binary on another
// machine, DAGEN_SIM_RUNTIME=none) the runtime is compiled here too, through ccache where ccache
// has a cache directory.
// A DAGEN_SIM_DIR without harness.cpp is a CMake project of its own that builds `dagen_sim`;
// it is configured and built with CMake.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/progress.hpp"
#include "dagen/vectors.hpp"
#include "sim_tools.hpp"

extern char** environ;

namespace dagen {

namespace fs = std::filesystem;

namespace {

using sim::find_program;
using sim::Job;
using sim::on_path;
using sim::require_ghdl;
using sim::run;
using sim::run_all;
using sim::ScratchDir;
using sim::sim_source_dir;
using sim::tail;

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The Verilator to run: $VERILATOR_ROOT/bin/verilator if there is one, else `verilator`.
std::string verilator_program() {
  const char* root = std::getenv("VERILATOR_ROOT");
  if (root && *root && ::access((fs::path(root) / "bin" / "verilator").c_str(), X_OK) == 0)
    return (fs::path(root) / "bin" / "verilator").string();
  return "verilator";
}

// The compiler $CXX names (its words: a program and options), else the first of c++, g++ and
// clang++ on PATH; empty if none.
std::vector<std::string> default_compiler() {
  if (const char* cxx = std::getenv("CXX"); cxx && *cxx) return words(cxx);
  for (const char* name : {"c++", "g++", "clang++"})
    if (on_path(name)) return {name};
  return {};
}

// Whether two program names run the same file.
bool same_program(const std::string& a, const std::string& b) {
  const fs::path pa = find_program(a), pb = find_program(b);
  if (pa.empty() || pb.empty()) return false;
  std::error_code ea, eb;
  const fs::path ca = fs::canonical(pa, ea), cb = fs::canonical(pb, eb);
  return !ea && !eb && ca == cb;
}

// VERILATOR_VERSION of the headers in `root`/include ("" if unreadable).
std::string verilator_version(const fs::path& root) {
  std::ifstream in(root / "include" / "verilated_config.h");
  const std::string key = "#define VERILATOR_VERSION \"";
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(key))
      return line.substr(key.size(), line.find('"', key.size()) - key.size());
  return "";
}

// The variables of Verilator's make fragments (V<top>.mk, V<top>_classes.mk): NAME = / += words,
// with backslash continuation lines.
std::map<std::string, std::vector<std::string>> read_make_vars(const std::vector<fs::path>& files) {
  std::map<std::string, std::vector<std::string>> vars;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string name;  // of the variable a continuation line adds to
    for (std::string line; std::getline(in, line);) {
      std::string value;
      if (!name.empty()) {
        value = line;
      } else {
        const std::size_t eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos || eq == 0) continue;
        std::size_t end = eq;
        if (line[end - 1] == '+' || line[end - 1] == '?' || line[end - 1] == ':') --end;
        const auto key = words(line.substr(0, end));
        if (key.size() != 1) continue;
        name = key[0];
        value = line.substr(eq + 1);
      }
      const bool more = !value.empty() && value.back() == '\\';
      if (more) value.pop_back();
      for (std::string& w : words(value)) vars[name].push_back(std::move(w));
      if (!more) name.clear();
    }
  }
  return vars;
}

// A prebuilt runtime (DIR/runtime.txt, written by sim/SimRuntime.cmake): the Verilator and the
// compiler it was built with, the flags (used for the design too, so that the precompiled header
// applies), its objects and the precompiled header.
struct Runtime {
  fs::path dir;
  int format = 0;
  fs::path verilator_root;
  std::string verilator_version;
  std::string cxx;
  std::vector<std::string> flags;
  std::map<std::string, fs::path> objects;  // runtime source name (verilated, ...) -> object
  fs::path pch;                             // a header with its .gch beside it
};

std::optional<Runtime> read_runtime(const fs::path& dir) {
  std::ifstream in(dir / "runtime.txt");
  if (!in) return std::nullopt;
  Runtime rt;
  rt.dir = dir;
  for (std::string line; std::getline(in, line);) {
    const std::size_t sp = line.find(' ');
    const std::string key = line.substr(0, sp),
                      value = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (key == "dagen-sim-runtime") rt.format = std::atoi(value.c_str());
    if (key == "verilator_root") rt.verilator_root = value;
    if (key == "verilator_version") rt.verilator_version = value;
    if (key == "cxx") rt.cxx = value;
    if (key == "flag") rt.flags.push_back(value);
    if (key == "pch") rt.pch = value;
    if (key == "object") {
      const std::size_t at = value.find(' ');
      if (at != std::string::npos) rt.objects[value.substr(0, at)] = value.substr(at + 1);
    }
  }
  return rt;
}

// Where a prebuilt runtime may be: $DAGEN_SIM_RUNTIME ("" or "none": nowhere), else this build
// tree's, if it was built.
std::optional<Runtime> find_runtime() {
  if (const char* env = std::getenv("DAGEN_SIM_RUNTIME")) {
    const std::string dir = env;
    if (dir.empty() || dir == "none") return std::nullopt;
    auto rt = read_runtime(dir);
    if (!rt)
      throw ToolError("verify: DAGEN_SIM_RUNTIME=" + dir +
                      " holds no runtime.txt (a build tree's sim-runtime/, or 'none')");
    return rt;
  }
#ifdef DAGEN_SIM_RUNTIME_DIR
  return read_runtime(DAGEN_SIM_RUNTIME_DIR);
#else
  return std::nullopt;
#endif
}

// Why `rt` cannot be linked with what Verilator generated from `root` by `cxx` ("" if it can).
std::string runtime_mismatch(const Runtime& rt, const fs::path& root,
                             const std::vector<std::string>& cxx) {
  if (rt.format != 1) return "an unknown runtime.txt format";
  std::error_code e1, e2;
  if (fs::weakly_canonical(rt.verilator_root, e1) != fs::weakly_canonical(root, e2))
    return "it was built from the Verilator in " + rt.verilator_root.string() + ", not " +
           root.string();
  if (rt.verilator_version != verilator_version(root))
    return "it was built for Verilator " + rt.verilator_version + ", not " +
           verilator_version(root);
  if (cxx.size() != 1 || !same_program(cxx[0], rt.cxx))
    return "it was built with " + rt.cxx + ", not " + cxx[0];
  for (const auto& [name, object] : rt.objects)
    if (!fs::exists(object)) return object.string() + " is missing";
  return "";
}

// Where ccache can cache (a cache directory it would use), ccache itself, else empty.
std::string usable_ccache() {
  if (!std::getenv("CCACHE_DIR") && !std::getenv("XDG_CACHE_HOME") && !std::getenv("HOME"))
    return "";
  return find_program("ccache").string();
}

// Generated sources above this many bytes are compiled as two translation units (in parallel).
constexpr std::uintmax_t kSplitBytes = 2'000'000;

// verilator --cc, then the unity translation units and any runtime source not prebuilt,
// compiled in parallel, then the link.  Returns the simulation executable.
fs::path build_simulation(const fs::path& sim_dir, const fs::path& rtl_dir, const std::string& top,
                          const fs::path& scratch, std::ostream& log) {
  const fs::path obj = scratch / "obj", build_log = scratch / "build.log";
  const std::string prefix = "V" + top;
  std::vector<std::string> cxx = default_compiler();
  const bool explicit_cxx = std::getenv("CXX") && *std::getenv("CXX");

  // Verilator writes the paths of the Verilog files into its output: they are copied to
  // scratch/rtl and named relative to the scratch directory, so that the generated code of the
  // same design is the same on every run (and a ccache hit).
  std::vector<std::string> verilate = {
      verilator_program(), "--cc", "--prefix", prefix, "--Mdir", "obj", "--top-module", top};
  std::vector<fs::path> rtl;
  for (const auto& e : fs::directory_iterator(rtl_dir))
    if (e.path().extension() == ".v") rtl.push_back(e.path());
  std::sort(rtl.begin(), rtl.end());
  fs::create_directory(scratch / "rtl");
  for (const fs::path& v : rtl) {
    fs::copy_file(v, scratch / "rtl" / v.filename());
    verilate.push_back((fs::path("rtl") / v.filename()).string());
  }
  if (run_all({Job{verilate, build_log, {}, scratch}}).front() != 0)
    throw ToolError("verify: verilating the design failed:\n" + tail(build_log, 20));

  auto vars = read_make_vars({obj / (prefix + ".mk"), obj / (prefix + "_classes.mk")});
  if (vars["VERILATOR_ROOT"].size() != 1)
    throw ToolError("verify: Verilator wrote no VERILATOR_ROOT into " +
                    (obj / (prefix + ".mk")).string());
  const fs::path root = vars["VERILATOR_ROOT"][0];

  // The prebuilt runtime, if it fits this Verilator (and $CXX, if set; else its compiler is used).
  std::optional<Runtime> rt = find_runtime();
  if (rt) {
    std::vector<std::string> want = explicit_cxx ? cxx : std::vector<std::string>{rt->cxx};
    if (const std::string why = runtime_mismatch(*rt, root, want); !why.empty()) {
      log << "verify: not using the prebuilt Verilator runtime in " << rt->dir.string() << " ("
          << why << "); compiling it here\n";
      rt.reset();
    } else {
      cxx = want;
    }
  }
  if (cxx.empty())
    throw ToolError(
        "--verify needs a C++ compiler: none of c++, g++, clang++ is on PATH (or set CXX)");
  const std::vector<std::string> flags =
      rt ? rt->flags
         : std::vector<std::string>{"-std=gnu++20",
                                    "-O0",
                                    "-DVM_COVERAGE=0",
                                    "-DVM_SC=0",
                                    "-DVM_TRACE=0",
                                    "-DVM_TRACE_FST=0",
                                    "-DVM_TRACE_VCD=0",
                                    "-I" + (root / "include").string(),
                                    "-I" + (root / "include" / "vltstd").string()};

  // The generated sources, in one or two unity files (the harness in the first).
  std::vector<std::pair<std::uintmax_t, std::string>> sources;
  std::uintmax_t total = 0;
  for (const char* var :
       {"VM_CLASSES_FAST", "VM_CLASSES_SLOW", "VM_SUPPORT_FAST", "VM_SUPPORT_SLOW"})
    for (const std::string& name : vars[var]) {
      std::error_code ec;
      const std::uintmax_t size = fs::file_size(obj / (name + ".cpp"), ec);
      if (ec) throw ToolError("verify: Verilator listed " + name + ".cpp but did not write it");
      sources.emplace_back(size, name + ".cpp");
      total += size;
    }
  if (sources.empty())
    throw ToolError("verify: Verilator listed no sources in " +
                    (obj / (prefix + "_classes.mk")).string());
  const std::size_t units = total > kSplitBytes ? 2 : 1;
  std::sort(sources.rbegin(), sources.rend());
  std::vector<std::string> unit_text(units);
  std::vector<std::uintmax_t> unit_size(units, 0);
  for (const auto& [size, file] : sources) {
    const std::size_t k = static_cast<std::size_t>(
        std::min_element(unit_size.begin(), unit_size.end()) - unit_size.begin());
    unit_text[k] += "#include \"" + file + "\"\n";
    unit_size[k] += size;
  }
  unit_text[0] += "#define DAGEN_TOP_CLASS " + prefix + "\n#define DAGEN_TOP_HEADER \"" + prefix +
                  ".h\"\n#include \"harness.cpp\"\n";

  // Every compile goes through ccache where it can cache: a rerun of the same design (and the
  // runtime, when not prebuilt) is a cache hit; a miss costs about 3 %.  The compiles run in the
  // scratch directory, whose path ccache then rewrites away (CCACHE_BASEDIR); the precompiled
  // header needs the two sloppiness settings.
  std::vector<std::string> launcher, launcher_env;
  if (const std::string ccache = usable_ccache();
      !ccache.empty() && fs::path(cxx[0]).filename() != "ccache") {
    launcher = {ccache};
    const char* sloppiness = std::getenv("CCACHE_SLOPPINESS");
    launcher_env = {
        "CCACHE_BASEDIR=" + scratch.string(),
        "CCACHE_SLOPPINESS=" + (sloppiness && *sloppiness ? std::string(sloppiness) + "," : "") +
            "pch_defines,time_macros"};
  }
  std::vector<Job> jobs;
  std::vector<std::string> objects;
  for (std::size_t k = 0; k < units; ++k) {
    const fs::path unit = obj / ("dagen_sim_" + std::to_string(k) + ".cpp");
    std::ofstream(unit) << "// da-gen --verify: the harness and Verilator's output in one unit\n"
                        << unit_text[k];
    Job job{launcher, scratch / ("compile_" + std::to_string(k) + ".log"), launcher_env, scratch};
    job.argv.insert(job.argv.end(), cxx.begin(), cxx.end());
    job.argv.insert(job.argv.end(), flags.begin(), flags.end());
    if (rt && !rt->pch.empty())
      job.argv.insert(job.argv.end(), {"-Winvalid-pch", "-include", rt->pch.string()});
    const std::string o = (obj / ("dagen_sim_" + std::to_string(k) + ".o")).string();
    job.argv.insert(job.argv.end(), {"-iquote", sim_dir.string(), "-I", obj.string(), "-c",
                                     unit.string(), "-o", o});
    jobs.push_back(std::move(job));
    objects.push_back(o);
  }
  // The runtime sources Verilator asks for that are not prebuilt.
  std::vector<std::string> globals = vars["VM_GLOBAL_FAST"];
  globals.insert(globals.end(), vars["VM_GLOBAL_SLOW"].begin(), vars["VM_GLOBAL_SLOW"].end());
  for (const std::string& name : globals) {
    if (rt && rt->objects.count(name)) {
      objects.push_back(rt->objects.at(name).string());
      continue;
    }
    Job job{launcher, scratch / ("compile_" + name + ".log"), launcher_env, scratch};
    job.argv.insert(job.argv.end(), cxx.begin(), cxx.end());
    job.argv.insert(job.argv.end(), flags.begin(), flags.end());
    const std::string o = (scratch / (name + ".o")).string();
    job.argv.insert(job.argv.end(), {"-c", (root / "include" / (name + ".cpp")).string(), "-o", o});
    jobs.push_back(std::move(job));
    objects.push_back(o);
  }
  const std::vector<int> status = run_all(jobs);
  for (std::size_t k = 0; k < jobs.size(); ++k)
    if (status[k] != 0)
      throw ToolError("verify: building the simulation failed:\n" + tail(jobs[k].log, 30));

  const fs::path exe = scratch / "dagen_sim";
  std::vector<std::string> link = cxx;
  link.insert(link.end(), objects.begin(), objects.end());
  // The thread libraries this Verilator was configured with (verilated.mk), e.g. -latomic.
  std::vector<std::string> libs =
      read_make_vars({root / "include" / "verilated.mk"})["CFG_LDLIBS_THREADS"];
  if (libs.empty()) libs = {"-pthread"};
  link.insert(link.end(), libs.begin(), libs.end());
  link.insert(link.end(), {"-o", exe.string()});
  if (run(link, build_log) != 0)
    throw ToolError("verify: linking the simulation failed:\n" + tail(build_log, 30));
  return exe;
}

// A harness directory of one's own: a CMake project building `dagen_sim`.
fs::path build_simulation_with_cmake(const fs::path& sim_dir, const fs::path& rtl_dir,
                                     const std::string& top, const fs::path& scratch) {
  if (!on_path("cmake"))
    throw ToolError("--verify needs CMake for the harness in " + sim_dir.string() +
                    ": 'cmake' is not on PATH");
  const fs::path build = scratch / "build", build_log = scratch / "build.log";
  const std::vector<std::string> configure = {"cmake",
                                              "-S",
                                              sim_dir.string(),
                                              "-B",
                                              build.string(),
                                              "-DDAGEN_RTL_DIR=" + fs::absolute(rtl_dir).string(),
                                              "-DDAGEN_TOP=" + top,
                                              "-DCMAKE_BUILD_TYPE="};
  if (run(configure, build_log) != 0)
    throw ToolError("verify: configuring the simulation failed:\n" + tail(build_log, 20));
  if (run({"cmake", "--build", build.string(), "-j", "2"}, build_log) != 0)
    throw ToolError("verify: building the simulation failed:\n" + tail(build_log, 30));
  return build / "dagen_sim";
}

}  // namespace

// One line up front instead of a build log: the tools the simulation build needs.
void require_simulation_tools(const std::string& hdl) {
  if (hdl == "vhdl") {
    require_ghdl();
    return;
  }
  const char* root = std::getenv("VERILATOR_ROOT");
  const bool rooted =
      root && *root && ::access((fs::path(root) / "bin" / "verilator").c_str(), X_OK) == 0;
  if (!rooted && !on_path("verilator"))
    throw ToolError("--verify needs Verilator: 'verilator' is not on PATH (or set VERILATOR_ROOT)");
  const std::vector<std::string> cxx = default_compiler();
  if (cxx.empty() || !on_path(cxx[0]))
    throw ToolError(
        cxx.empty() ? "--verify needs a C++ compiler: none of c++, g++, clang++ is on PATH (or set "
                      "CXX)"
                    : "--verify needs a C++ compiler: CXX=" + std::string(std::getenv("CXX")) +
                          " is not on PATH");
}

VerifyResult verify_design(const Model& model, const Design& design, const fs::path& dir,
                           int random_vectors, std::uint64_t seed, std::ostream& log) {
  if (design.hdl == "vhdl") return verify_with_ghdl(model, design, dir, random_vectors, seed, log);
  return verify_with_verilator(model, design, dir, random_vectors, seed, log);
}

VerifyResult verify_with_verilator(const Model& model, const Design& design, const fs::path& dir,
                                   int random_vectors, std::uint64_t seed, std::ostream& log) {
  require_simulation_tools();
  InterruptGuard interrupts;  // an interrupt stops the child and removes the scratch directory
  ScratchDir scratch;
  const auto inputs = make_input_vectors(model.input_types, random_vectors, seed);
  write_vector_file((scratch.path / "vectors.txt").string(), model, inputs, design.emitted.inputs,
                    design.emitted.outputs, design.schedule.latency);
  log << "verify: verilating " << design.top << " (" << inputs.size() << " vectors)\n";
  const fs::path sim_dir = fs::absolute(sim_source_dir());
  fs::path exe;
  std::optional<progress::Task> step(std::in_place,
                                     "verify: building the simulation of " + design.top);
  if (fs::exists(sim_dir / "harness.cpp"))
    exe = build_simulation(sim_dir, dir, design.top, scratch.path, log);
  else if (fs::exists(sim_dir / "CMakeLists.txt"))
    exe = build_simulation_with_cmake(sim_dir, dir, design.top, scratch.path);
  else
    throw ToolError("verify: the harness directory " + sim_dir.string() +
                    " holds neither harness.cpp nor a CMakeLists.txt (DAGEN_SIM_DIR)");
  step.emplace("verify: simulating " + std::to_string(inputs.size()) + " vectors");
  const fs::path sim_log = scratch.path / "sim.log";
  // The harness presents a vector at most once every initiation_interval cycles (sim/harness.cpp).
  const int status = run({exe.string(), (scratch.path / "vectors.txt").string(),
                          std::to_string(design.initiation_interval)},
                         sim_log);
  VerifyResult result;
  result.summary = tail(sim_log, 12);
  result.passed = status == 0 && result.summary.find("PASS") != std::string::npos;
  if (status != 0 && status != 1)
    throw ToolError("verify: the simulation crashed:\n" + result.summary);
  return result;
}

}  // namespace dagen
