// Progress through the real binary: on a terminal (a pseudo-terminal) a long step
// shows it; with stderr piped the same run writes not a byte of it.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

const std::string kBin = DAGEN_BIN;
// Large enough that building its simulation takes well over half a second.
const std::string kModel = std::string(DAGEN_SOURCE_DIR) + "/models/jsc_cernbox_acc75.16.json";
const std::vector<std::string> kArgs = {kModel, "-o",       "out",       "--pipeline",
                                        "2",    "--verify", "--vectors", "10"};
// Without ccache the compile takes its full time, whatever the cache holds.
const std::vector<std::string> kEnv = {"CCACHE_DISABLE=1"};

// Runs da-gen with stdout and stderr on a pseudo-terminal; returns (exit code, output).
std::pair<int, std::string> run_on_pty(const fs::path& cwd) {
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    for (const auto& kv : kEnv) ::putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> argv{const_cast<char*>(kBin.c_str())};
    for (const auto& a : kArgs) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kBin.c_str(), argv.data());
    ::_exit(127);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child has closed the terminal
    out.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

TEST(ProgressCli, ShownOnATerminalSilentWhenPiped) {
  cli::Scratch s("progress");
  const auto [code, tty] = run_on_pty(s.path);
  ASSERT_EQ(code, 0) << tty;
  EXPECT_NE(tty.find("\rda-gen: verify: building the simulation of jsc_cernbox_acc75_16"),
            std::string::npos)
      << tty;
  // Erased before the next message: blanks and a \r, then "da-gen: wrote".
  const auto wrote = tty.find("da-gen: wrote");
  ASSERT_NE(wrote, std::string::npos) << tty;
  EXPECT_EQ(tty.substr(wrote - 2, 2), " \r") << tty;

  const cli::Result piped = cli::run(kBin, kArgs, s.path, kEnv);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find('\r'), std::string::npos) << piped.err;
  EXPECT_EQ(piped.err.find("building the simulation"), std::string::npos) << piped.err;
  EXPECT_EQ(piped.err, "verify: verilating jsc_cernbox_acc75_16 (47 vectors)\n");
}

}  // namespace
}  // namespace dagen
