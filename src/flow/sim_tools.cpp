#include "sim_tools.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>

#include "dagen/diag.hpp"
#include "dagen/interrupt.hpp"

extern char** environ;

namespace dagen::sim {

namespace fs = std::filesystem;

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

// Runs the jobs at the same time and returns their exit statuses.  They share one process group
// (led by the first), to which an interrupt is forwarded (see interrupt.hpp); after an interrupt
// this throws Interrupted once all have ended.
std::vector<int> run_all(const std::vector<Job>& jobs) {
  throw_if_interrupted();
  // Everything the children need is built before fork().
  std::vector<std::vector<char*>> argvs, envps;
  std::vector<std::vector<std::string>> envs;
  for (const Job& job : jobs) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      if (std::none_of(job.env.begin(), job.env.end(),
                       [&](const std::string& o) { return o.substr(0, o.find('=')) == name; }))
        env.push_back(entry);
    }
    env.insert(env.end(), job.env.begin(), job.env.end());
    envs.push_back(std::move(env));
  }
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    std::vector<char*> args, envp;
    for (const auto& a : jobs[k].argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : envs[k]) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    argvs.push_back(std::move(args));
    envps.push_back(std::move(envp));
  }
  for (const Job& job : jobs) {  // each log starts with its command (DAGEN_KEEP_SIM)
    std::ofstream log(job.log, std::ios::app);
    log << "$";
    for (const auto& a : job.argv) log << " " << a;
    log << "\n";
  }
  std::vector<int> status(jobs.size(), 128);
  std::map<pid_t, std::size_t> running;
  pid_t group = 0;
  bool forked_all = true;
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const pid_t pid = ::fork();
    if (pid < 0) {
      forked_all = false;
      if (group != 0) ::kill(-group, SIGTERM);
      break;
    }
    if (pid == 0) {
      ::setpgid(0, group);
      const int null = ::open("/dev/null", O_RDONLY);
      if (null >= 0) ::dup2(null, 0);  // a background process group must not read the terminal
      const int fd = ::open(jobs[k].log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      if (!jobs[k].cwd.empty() && ::chdir(jobs[k].cwd.c_str()) != 0) ::_exit(127);
      ::execvpe(argvs[k][0], argvs[k].data(), envps[k].data());
      ::_exit(127);
    }
    // The group's leader is not reaped before the last job has joined its group.
    ::setpgid(pid, group == 0 ? pid : group);
    if (group == 0) {
      group = pid;
      set_interrupt_child(group);
    }
    running[pid] = k;
  }
  while (!running.empty()) {
    int st = 0;
    const pid_t pid = ::waitpid(-group, &st, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (const auto it = running.find(pid); it != running.end()) {
      status[it->second] = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
      running.erase(it);
    }
  }
  set_interrupt_child(0);
  throw_if_interrupted();
  if (!forked_all) throw ToolError("verify: fork failed");
  return status;
}

int run(const std::vector<std::string>& argv, const fs::path& log_path) {
  return run_all({Job{argv, log_path}}).front();
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

ScratchDir::ScratchDir() {
  std::string tmpl = (fs::temp_directory_path() / "da-gen-verify-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw ToolError("cannot create a scratch directory");
  path = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(path, ec);
}

// The executable `name` runs as: itself if it has a slash, else the first match in
// $PATH; empty if there is none.
fs::path find_program(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos)
    return ::access(name.c_str(), X_OK) == 0 ? fs::path(name) : fs::path();
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path candidate = fs::path(end > start ? dirs.substr(start, end - start) : ".") / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

bool on_path(const std::string& name) { return !find_program(name).empty(); }

}  // namespace dagen::sim
