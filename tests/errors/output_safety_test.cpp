// Output safety of the real binary: byte-identical output for identical input
// and flags; staging directory + rename (no partial directory after a failure,
// a previous output kept intact); refusal to replace a non-empty directory
// da-gen did not write unless --force.
#include <gtest/gtest.h>

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

TEST(OutputSafety, RefusesForeignDirectoryUnlessForced) {
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
  EXPECT_FALSE(fs::exists(dir.path / "mine" / "notes.txt"));
  EXPECT_TRUE(fs::exists(dir.path / "mine" / ".da-gen-output"));
  EXPECT_TRUE(fs::exists(dir.path / "mine" / "tiny_mlp.v"));
}

TEST(OutputSafety, EmptyAndOwnDirectoriesAreReplacedWithoutForce) {
  cli::Scratch dir("own");
  const std::string model = (kSource / "examples/tiny.json").string();
  fs::create_directory(dir.path / "empty");
  EXPECT_EQ(gen(dir.path, {model, "-o", "empty"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir.path / "empty" / "tiny_mlp.v"));
  // da-gen's own output is replaced as a whole: files of the previous run disappear.
  ASSERT_EQ(gen(dir.path, {model, "-o", "own", "--dump-graph"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir.path / "own" / "tiny_mlp.dot"));
  ASSERT_EQ(gen(dir.path, {model, "-o", "own"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir.path / "own" / "tiny_mlp.dot"));
  // Only the output directories exist next to each other: no staging leftovers.
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path)) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"empty", "own"}));
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
