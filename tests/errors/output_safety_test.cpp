// Output safety of the real binary: byte-identical output for identical input
// and flags; da-gen replaces exactly the files its manifest lists and never a
// file it did not write (--force included); -o never names a directory that
// holds other work; a failed, concurrent or interrupted run leaves the previous
// state exactly; a --verify mismatch keeps the new design marked unverified.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "cli.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = DAGEN_SOURCE_DIR;

cli::Result gen(const fs::path& cwd, std::vector<std::string> args,
                const std::vector<std::string>& env = {}) {
  return cli::run(DAGEN_BIN, args, cwd, env);
}

TEST(OutputSafety, IdenticalInputGivesByteIdenticalOutput) {
  cli::Scratch dir("determinism");
  for (const char* model :
       {"examples/tiny.json", "tests/fuzz/corpus/rand_5.json", "tests/fuzz/corpus/rand_12.json"}) {
    SCOPED_TRACE(model);
    const std::string path = (kSource / model).string();
    for (const auto& flags : std::vector<std::vector<std::string>>{
             {"--pipeline", "2", "--dump-graph"},
             {"--clock-period", "6", "--objective", "bits", "--dc", "1"}}) {
      std::vector<std::string> a = {path, "-o", "a"}, b = {path, "-o", "b"};
      a.insert(a.end(), flags.begin(), flags.end());
      b.insert(b.end(), flags.begin(), flags.end());
      const auto ra = gen(dir.path, a), rb = gen(dir.path, b);
      ASSERT_EQ(ra.exit_code, 0) << ra.err;
      ASSERT_EQ(rb.exit_code, 0) << rb.err;
      const auto la = cli::listing(dir.path / "a"), lb = cli::listing(dir.path / "b");
      EXPECT_GE(la.size(), 3u);
      EXPECT_EQ(la, lb);
      // Again into the same directory (replacing da-gen's own output): still identical.
      const auto rc = gen(dir.path, a);
      ASSERT_EQ(rc.exit_code, 0) << rc.err;
      EXPECT_EQ(cli::listing(dir.path / "a"), lb);
      fs::remove_all(dir.path / "a");
      fs::remove_all(dir.path / "b");
    }
  }
}

TEST(OutputSafety, FailedVerifyLeavesNoDirectory) {
  cli::Scratch dir("verify-fail");
  const std::string model = (kSource / "examples/tiny.json").string();
  const auto before = cli::listing(dir.path);
  // A harness directory that does not exist: the simulation cannot be configured.
  const auto r =
      gen(dir.path, {model, "-o", "out", "--verify"}, {"DAGEN_SIM_DIR=/nonexistent-dagen-sim"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("da-gen: error: verify:"), std::string::npos) << r.err;
  EXPECT_EQ(cli::listing(dir.path), before) << "a partial or staging directory was left behind";
}

TEST(OutputSafety, FailedRunKeepsThePreviousOutput) {
  cli::Scratch dir("keep-previous");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1"}).exit_code, 0);
  const auto before = cli::listing(dir.path);
  const auto r = gen(dir.path, {model, "-o", "out", "--pipeline", "3", "--verify"},
                     {"DAGEN_SIM_DIR=/nonexistent-dagen-sim"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(cli::listing(dir.path), before);
  // A model error on a second run: the old output stays too.
  cli::write_file(dir.path / "bad.json", "{");
  const auto before2 = cli::listing(dir.path);
  EXPECT_EQ(gen(dir.path, {"bad.json", "-o", "out"}).exit_code, 1);
  EXPECT_EQ(cli::listing(dir.path), before2);
}

// The listing of `dir` restricted to one subdirectory's names (no contents).
std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

TEST(OutputSafety, ForcedIntoAForeignDirectoryKeepsItsFiles) {
  cli::Scratch dir("force");
  const std::string model = (kSource / "examples/tiny.json").string();
  fs::create_directory(dir.path / "mine");
  cli::write_file(dir.path / "mine" / "notes.txt", "keep me\n");
  const auto before = cli::listing(dir.path);
  const auto r = gen(dir.path, {model, "-o", "mine"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(cli::listing(dir.path), before);
  const auto f = gen(dir.path, {model, "-o", "mine", "--force"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(cli::slurp(dir.path / "mine" / "notes.txt"), "keep me\n");
  EXPECT_TRUE(fs::exists(dir.path / "mine" / "tiny_mlp.v"));
  // The manifest lists da-gen's files only; a re-run (now without --force) keeps the notes.
  EXPECT_EQ(cli::slurp(dir.path / "mine" / ".da-gen-output").find("notes.txt"), std::string::npos);
  ASSERT_EQ(gen(dir.path, {model, "-o", "mine", "--pipeline", "2"}).exit_code, 0);
  EXPECT_EQ(cli::slurp(dir.path / "mine" / "notes.txt"), "keep me\n");
  EXPECT_EQ(names_in(dir.path / "mine"),
            (std::set<std::string>{".da-gen-output", "dagen_delay.v", "notes.txt", "tiny_mlp.json",
                                   "tiny_mlp.v"}));
}

TEST(OutputSafety, UserFilesInAnOutputDirectorySurviveReRuns) {
  cli::Scratch dir("user-files");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1"}).exit_code, 0);
  // The user's model copy, testbench and notes, and a directory of their own.
  fs::copy_file(model, dir.path / "out" / "tiny.json");
  cli::write_file(dir.path / "out" / "tb.v", "module tb; endmodule\n");
  cli::write_file(dir.path / "out" / ".notes", "hidden notes\n");
  fs::create_directory(dir.path / "out" / "sim");
  cli::write_file(dir.path / "out" / "sim" / "run.sh", "#!/bin/sh\n");
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--force"}}) {
    std::vector<std::string> args = {model, "-o", "out", "--pipeline", "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = gen(dir.path, args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(cli::slurp(dir.path / "out" / "tiny.json"), cli::slurp(model));
    EXPECT_EQ(cli::slurp(dir.path / "out" / "tb.v"), "module tb; endmodule\n");
    EXPECT_EQ(cli::slurp(dir.path / "out" / ".notes"), "hidden notes\n");
    EXPECT_EQ(cli::slurp(dir.path / "out" / "sim" / "run.sh"), "#!/bin/sh\n");
    EXPECT_NE(cli::slurp(dir.path / "out" / "tiny_mlp.json").find("\"latency_cycles\": 3"),
              std::string::npos);
  }
  EXPECT_EQ(names_in(dir.path), (std::set<std::string>{"out"})) << "a sibling was left behind";
}

TEST(OutputSafety, OldOwnFilesNotWrittenAgainDisappear) {
  cli::Scratch dir("own");
  const std::string model = (kSource / "examples/tiny.json").string();
  fs::create_directory(dir.path / "empty");
  EXPECT_EQ(gen(dir.path, {model, "-o", "empty"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir.path / "empty" / "tiny_mlp.v"));
  ASSERT_EQ(gen(dir.path, {model, "-o", "own", "--dump-graph", "--pipeline", "2"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir.path / "own" / "tiny_mlp.dot"));
  EXPECT_TRUE(fs::exists(dir.path / "own" / "dagen_delay.v"));
  ASSERT_EQ(gen(dir.path, {model, "-o", "own"}).exit_code, 0);
  EXPECT_EQ(names_in(dir.path / "own"),
            (std::set<std::string>{".da-gen-output", "tiny_mlp.json", "tiny_mlp.v"}));
  // Each name with the fingerprint (FNV-1a 64) of the content da-gen wrote.
  const auto print = [&](const char* name) {
    std::uint64_t h = 14695981039346656037ull;
    for (const unsigned char c : cli::slurp(dir.path / "own" / name))
      h = (h ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string(hex) + " " + name + "\n";
  };
  EXPECT_EQ(
      cli::slurp(dir.path / "own" / ".da-gen-output"),
      "# da-gen manifest 1: da-gen wrote the files below; its next run replaces only these\n" +
          print("tiny_mlp.json") + print("tiny_mlp.v"));
  // Only the output directories exist next to each other: no staging leftovers.
  EXPECT_EQ(names_in(dir.path), (std::set<std::string>{"empty", "own"}));
}

TEST(OutputSafety, FileEditedSinceDaGenWroteItIsNeverReplaced) {
  cli::Scratch dir("edited");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--dump-graph"}).exit_code, 0);
  // The user adds a debug line to the generated Verilog and annotates the graph.
  cli::write_file(dir.path / "out" / "tiny_mlp.v",
                  cli::slurp(dir.path / "out" / "tiny_mlp.v") + "// my debug notes\n");
  cli::write_file(dir.path / "out" / "tiny_mlp.dot", "digraph mine {}\n");
  const auto before = cli::listing(dir.path);
  for (const bool force : {false, true}) {
    std::vector<std::string> args{model, "-o", "out", "--pipeline", "1"};
    if (force) args.push_back("--force");
    const auto r = gen(dir.path, args);
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_EQ(r.err, "da-gen: error: " + (dir.path / "out" / "tiny_mlp.v").string() +
                         " was changed since da-gen wrote it; da-gen never replaces it, even with "
                         "--force (move it away to regenerate it)\n");
    EXPECT_EQ(cli::listing(dir.path), before);
  }
  // Moved away, the design is regenerated; the edited graph, not written again, stays.
  fs::rename(dir.path / "out" / "tiny_mlp.v", dir.path / "mine.v");
  ASSERT_EQ(gen(dir.path, {model, "-o", "out"}).exit_code, 0);
  EXPECT_EQ(cli::slurp(dir.path / "out" / "tiny_mlp.dot"), "digraph mine {}\n");
  EXPECT_TRUE(fs::exists(dir.path / "out" / "tiny_mlp.v"));
  // It is the user's now: no longer listed, so a run that writes it again refuses.
  EXPECT_EQ(cli::slurp(dir.path / "out" / ".da-gen-output").find("tiny_mlp.dot"),
            std::string::npos);
  EXPECT_EQ(gen(dir.path, {model, "-o", "out", "--dump-graph"}).exit_code, 4);
}

TEST(OutputSafety, DeletedWorkingDirectoryIsAToolErrorNotAnInternalOne) {
  cli::Scratch dir("gone");
  const std::string model = (kSource / "examples/tiny.json").string();
  const std::string err = (dir.path / "err").string();
  const std::string script = "mkdir '" + (dir.path / "cwd").string() + "' && cd '" +
                             (dir.path / "cwd").string() + "' && rmdir ../cwd && exec '" +
                             DAGEN_BIN + "' '" + model + "' -o out 2>'" + err + "'";
  const int status = std::system(script.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4);
  EXPECT_EQ(cli::slurp(err),
            "da-gen: error: -o out: cannot resolve the path: No such file or directory\n");
}

TEST(OutputSafety, ForeignFileWithADaGenNameIsNeverReplaced) {
  cli::Scratch dir("foreign-name");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out"}).exit_code, 0);
  // Files the next run would write but da-gen did not: the user's own graph, a
  // symlink, and a directory where an own file was.
  cli::write_file(dir.path / "out" / "tiny_mlp.dot", "digraph mine {}\n");
  fs::create_symlink("tiny_mlp.v", dir.path / "out" / "tiny_mlp.graph.json");
  const auto before = cli::listing(dir.path);
  for (const char* force : {"", "--force"}) {
    std::vector<std::string> args = {model, "-o", "out", "--dump-graph"};
    if (*force) args.push_back(force);
    const auto r = gen(dir.path, args);
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_EQ(r.err, "da-gen: error: " + (dir.path / "out" / "tiny_mlp.dot").string() +
                         " exists and was not written by da-gen; da-gen never replaces it, even "
                         "with --force\n");
    EXPECT_EQ(cli::listing(dir.path), before);
  }
  fs::remove(dir.path / "out" / "tiny_mlp.dot");
  fs::remove(dir.path / "out" / "tiny_mlp.json");
  fs::create_directory(dir.path / "out" / "tiny_mlp.json");
  cli::write_file(dir.path / "out" / "tiny_mlp.json" / "mine", "x\n");
  const auto r = gen(dir.path, {model, "-o", "out", "--force"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("tiny_mlp.json exists and was not written by da-gen"), std::string::npos);
  EXPECT_EQ(cli::slurp(dir.path / "out" / "tiny_mlp.json" / "mine"), "x\n");
}

TEST(OutputSafety, RefusesDirectoriesHoldingOtherWork) {
  cli::Scratch dir("refuse");
  const fs::path work = dir.path / "work";
  fs::create_directories(work / "models" / "deep");
  fs::create_directories(dir.path / "home" / "user");
  fs::create_directories(dir.path / "store");
  const std::string tiny = cli::slurp(kSource / "examples/tiny.json");
  cli::write_file(work / "models" / "m.json", tiny);
  cli::write_file(work / "models" / "deep" / "d.json", tiny);
  cli::write_file(dir.path / "store" / "s.json", tiny);
  fs::create_symlink(dir.path / "store" / "s.json", work / "linked.json");
  fs::create_symlink(".", work / "here");
  const std::string home = "HOME=" + (dir.path / "home" / "user").string();
  struct Refusal {
    std::string model, option, what;
  };
  const std::vector<Refusal> refusals = {
      {"models/m.json", ".", "the working directory"},
      {"models/m.json", "./", "the working directory"},
      {"models/m.json", "here", "the working directory"},
      {"models/m.json", "..", "a parent of the working directory"},
      {"models/m.json", "/", "the root directory"},
      {"models/m.json", "../home/user", "the home directory"},
      {"models/m.json", "../home", "a parent of the home directory"},
      {"models/m.json", "models", "the model's directory"},
      {"models/deep/d.json", "models", "a parent of the model's directory"},
      {"linked.json", "../store", "the model's directory"},
  };
  const auto before = cli::listing(dir.path);
  for (const auto& c : refusals)
    for (const char* force : {"", "--force"}) {
      SCOPED_TRACE(c.option + " " + force);
      std::vector<std::string> args = {c.model, "-o", c.option};
      if (*force) args.push_back(force);
      const auto r = gen(work, args, {home});
      EXPECT_EQ(r.exit_code, 4);
      EXPECT_EQ(r.err,
                "da-gen: error: -o " + c.option + ": refusing to write into " + c.what + "\n");
      EXPECT_EQ(cli::listing(dir.path), before);
    }
  // A directory beside them is fine.
  const auto ok = gen(work, {"models/m.json", "-o", "rtl"}, {home});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(OutputSafety, SymlinkedOutputStaysASymlink) {
  cli::Scratch dir("symlink");
  const std::string model = (kSource / "examples/tiny.json").string();
  fs::create_directory(dir.path / "real");
  fs::create_directory_symlink("real", dir.path / "link");
  for (const char* p : {"1", "3"}) {
    const auto r = gen(dir.path, {model, "-o", "link", "--pipeline", p});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::is_symlink(dir.path / "link"));
    EXPECT_EQ(fs::read_symlink(dir.path / "link"), "real");
    EXPECT_TRUE(fs::exists(dir.path / "real" / "tiny_mlp.v"));
  }
  EXPECT_EQ(names_in(dir.path), (std::set<std::string>{"link", "real"}));
  // A dangling symlink: the directory it names is created, the link stays.
  fs::create_directory_symlink("later", dir.path / "dangling");
  ASSERT_EQ(gen(dir.path, {model, "-o", "dangling"}).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(dir.path / "dangling"));
  EXPECT_TRUE(fs::exists(dir.path / "later" / "tiny_mlp.v"));
}

// Starts da-gen asynchronously (or as `uid`), stdout/stderr into `log_dir`.
pid_t spawn(const fs::path& cwd, const std::vector<std::string>& args,
            const std::vector<std::string>& env, const fs::path& log_dir, int uid = -1,
            const std::string& bin = DAGEN_BIN) {
  const std::string out = (log_dir / "out").string(), err = (log_dir / "err").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (uid >= 0 && (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0))
      ::_exit(125);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    for (const auto& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

cli::Result finish(pid_t pid, const fs::path& log_dir) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  cli::Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = cli::slurp(log_dir / "out");
  r.err = cli::slurp(log_dir / "err");
  return r;
}

TEST(OutputSafety, ReadOnlyDirectoryLeavesTheStateExactly) {
  cli::Scratch dir("read-only"), logs("read-only-logs");
  // The model inside the scratch directory, so that any user can read it.
  fs::copy_file(kSource / "examples/tiny.json", dir.path / "tiny.json");
  const std::string model = "tiny.json";
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1"}).exit_code, 0);
  // Root ignores permission bits: then run da-gen as nobody on a directory
  // nobody cannot write (root's, 0755); otherwise our own directory made 0555.
  const bool root = ::geteuid() == 0;
  fs::permissions(dir.path, fs::perms(0755));
  fs::permissions(dir.path / "out", fs::perms(root ? 0755 : 0555));
  // As nobody, a copy of the binary in a directory anyone can enter: the build tree
  // may sit below a directory only root can (CI clones into a private directory).
  fs::permissions(logs.path, fs::perms(0755));
  const fs::path bin = logs.path / "da-gen";
  fs::copy_file(DAGEN_BIN, bin);
  const auto before = cli::listing(dir.path);
  const auto r = finish(spawn(dir.path, {model, "-o", "out", "--pipeline", "3"}, {}, logs.path,
                              root ? 65534 : -1, bin.string()),
                        logs.path);
  fs::permissions(dir.path / "out", fs::perms(0755));
  if (r.exit_code == 125 || r.exit_code == 127)
    GTEST_SKIP() << "cannot run da-gen as uid 65534 (exit " << r.exit_code << ")";
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "da-gen: error: cannot write into " + (dir.path / "out").string() +
                       ": Permission denied\n");
  EXPECT_EQ(cli::listing(dir.path), before);
}

TEST(OutputSafety, ConcurrentRunIsRefused) {
  cli::Scratch dir("concurrent");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out"}).exit_code, 0);
  const auto before = cli::listing(dir.path);
  // Another run holds the directory's lock.
  const int fd = ::open((dir.path / "out").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const auto r = gen(dir.path, {model, "-o", "out", "--pipeline", "2"});
  ::close(fd);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "da-gen: error: " + (dir.path / "out").string() +
                       " is being written by another da-gen run\n");
  EXPECT_EQ(cli::listing(dir.path), before);
}

TEST(OutputSafety, StagingDirectoryOfAKilledRunIsRemoved) {
  cli::Scratch dir("stale");
  const std::string model = (kSource / "examples/tiny.json").string();
  ASSERT_EQ(gen(dir.path, {model, "-o", "out"}).exit_code, 0);
  fs::create_directories(dir.path / "out" / ".da-gen-staging-999999" / ".old");
  cli::write_file(dir.path / "out" / ".da-gen-staging-999999" / "tiny_mlp.v", "half\n");
  cli::write_file(dir.path / "out" / ".da-gen-staging-x", "not da-gen's name\n");
  ASSERT_EQ(gen(dir.path, {model, "-o", "out"}).exit_code, 0);
  EXPECT_EQ(names_in(dir.path / "out"),
            (std::set<std::string>{".da-gen-output", ".da-gen-staging-x", "tiny_mlp.json",
                                   "tiny_mlp.v"}));
}

// A harness directory for DAGEN_SIM_DIR whose "simulation" is `script`
// (no Verilator: configuring it only copies the script).
fs::path fake_sim(const fs::path& dir, const std::string& script) {
  fs::create_directories(dir);
  cli::write_file(dir / "CMakeLists.txt",
                  "cmake_minimum_required(VERSION 3.16)\nproject(fake_harness NONE)\n"
                  "file(COPY ${CMAKE_CURRENT_SOURCE_DIR}/dagen_sim DESTINATION "
                  "${CMAKE_BINARY_DIR})\n");
  cli::write_file(dir / "dagen_sim", "#!/bin/sh\n" + script);
  fs::permissions(dir / "dagen_sim", fs::perms(0755));
  return dir;
}

TEST(OutputSafety, VerifyMismatchKeepsTheNewDesignMarkedUnverified) {
  cli::Scratch dir("verify-mismatch"), sims("verify-mismatch-sims");
  const std::string model = (kSource / "examples/tiny.json").string();
  const fs::path fail =
      fake_sim(sims.path / "fail", "echo 'FAIL: 1 of 1 vectors mismatched'\nexit 1\n");
  const fs::path pass = fake_sim(sims.path / "pass", "echo 'PASS: 1 vectors, latency 3'\n");
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1"}).exit_code, 0);
  EXPECT_NE(cli::slurp(dir.path / "out" / "tiny_mlp.json").find("\"verified\": null"),
            std::string::npos);
  const auto r = gen(dir.path, {model, "-o", "out", "--pipeline", "3", "--verify"},
                     {"DAGEN_SIM_DIR=" + fail.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("FAIL: 1 of 1 vectors mismatched"), std::string::npos) << r.out;
  const std::string report = cli::slurp(dir.path / "out" / "tiny_mlp.json");
  EXPECT_NE(report.find("\"verified\": false"), std::string::npos) << report;
  EXPECT_NE(report.find("\"latency_cycles\": 3"), std::string::npos) << "not the new design";
  EXPECT_TRUE(fs::exists(dir.path / "out" / "dagen_delay.v"));
  const auto p = gen(dir.path, {model, "-o", "out", "--pipeline", "3", "--verify"},
                     {"DAGEN_SIM_DIR=" + pass.string()});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(cli::slurp(dir.path / "out" / "tiny_mlp.json").find("\"verified\": true"),
            std::string::npos);
  EXPECT_EQ(names_in(dir.path), (std::set<std::string>{"out"}));
}

TEST(OutputSafety, CommitThatFailsPartWayRollsBack) {
  cli::Scratch dir("rollback"), sims("rollback-sims");
  const std::string model = (kSource / "examples/tiny.json").string();
  // While this "simulation" runs, the user creates a file the commit would
  // move into place after some others (alphabetically after dagen_delay.v).
  const fs::path sim =
      fake_sim(sims.path / "sneaky", "echo mine > \"$SNEAKY_FILE\"\necho 'PASS: 1 vectors'\n");
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1", "--dump-graph"}).exit_code, 0);
  fs::remove(dir.path / "out" / "tiny_mlp.dot");  // no longer da-gen's file: not in its way
  const auto before = cli::listing(dir.path);
  const fs::path sneaky = dir.path / "out" / "tiny_mlp.dot";
  const auto r = gen(dir.path, {model, "-o", "out", "--pipeline", "3", "--dump-graph", "--verify"},
                     {"DAGEN_SIM_DIR=" + sim.string(), "SNEAKY_FILE=" + sneaky.string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_TRUE(r.err.ends_with("da-gen: error: " + sneaky.string() +
                              " exists and was not written by da-gen; da-gen never replaces it, "
                              "even with --force\n"))
      << r.err;
  EXPECT_EQ(cli::slurp(sneaky), "mine\n");
  fs::remove(sneaky);
  EXPECT_EQ(cli::listing(dir.path), before) << "the commit was not rolled back";
}

TEST(OutputSafety, InterruptDuringVerifyLeavesThePreviousState) {
  cli::Scratch dir("interrupt"), sims("interrupt-sims"), logs("interrupt-logs");
  const std::string model = (kSource / "examples/tiny.json").string();
  // The simulation says it runs (beside the vectors, in the scratch directory) and waits.
  const fs::path slow =
      fake_sim(sims.path / "slow", "touch \"$(dirname \"$1\")/sim-running\"\nexec sleep 60\n");
  ASSERT_EQ(gen(dir.path, {model, "-o", "out", "--pipeline", "1"}).exit_code, 0);
  fs::create_directory(dir.path / "tmp");
  const auto before = cli::listing(dir.path);
  for (const int sig : {SIGINT, SIGTERM}) {
    for (const char* out : {"out", "new"}) {  // a previous output, and none
      SCOPED_TRACE(std::string(out) + " " + std::to_string(sig));
      const pid_t pid = spawn(
          dir.path, {model, "-o", out, "--pipeline", "3", "--verify"},
          {"DAGEN_SIM_DIR=" + slow.string(), "TMPDIR=" + (dir.path / "tmp").string()}, logs.path);
      bool running = false;
      for (int k = 0; k < 600 && !running; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (fs::exists(dir.path / "tmp"))
          for (const auto& e : fs::directory_iterator(dir.path / "tmp"))
            running |= fs::exists(e.path() / "sim-running");
      }
      ASSERT_TRUE(running) << "the simulation never started";
      ::kill(pid, sig);
      const auto r = finish(pid, logs.path);
      EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
      EXPECT_TRUE(r.err.ends_with("\nda-gen: interrupted\n")) << r.err;
      EXPECT_TRUE(fs::is_empty(dir.path / "tmp")) << "the verify scratch directory was left";
      EXPECT_EQ(cli::listing(dir.path), before) << "a staging directory or new files were left";
    }
  }
}

TEST(OutputSafety, EvalWritesNothing) {
  cli::Scratch dir("eval");
  cli::write_file(dir.path / "v.json", R"({"inputs": [[0.5, -1, 2, 7.9375], [0, 0, 0, 0]]})");
  const auto before = cli::listing(dir.path);
  const auto r = gen(dir.path, {(kSource / "examples/tiny.json").string(), "--eval", "v.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"outputs\""), std::string::npos);
  EXPECT_EQ(cli::listing(dir.path), before);
}

}  // namespace
}  // namespace dagen
