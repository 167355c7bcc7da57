// No injection: a user's strings reach generated files only escaped for each
// file's syntax.  The model name of issue 21 ends the Verilog header comment
// with a newline and adds a module that prints "pwned"; quotes in it broke the
// DOT file.  The real binary writes the files; Icarus compiles and runs the
// Verilog, Graphviz (when installed) parses the DOT.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "cli.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

const std::string kEvilName =
    "evil\nmodule injected; initial $display(\"pwned\"); endmodule\n//\\ */ \" \r\xe2\x80\xa8 end";

// Runs a shell command line; returns its exit code, output into `out`.
int shell(const std::string& command, std::string& out) {
  out.clear();
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The evil model, built; returns the output directory.
fs::path build_evil(const cli::Scratch& dir) {
  nlohmann::json model = nlohmann::json::parse(R"({
    "input": {"size": 2, "type": {"signed": true, "int_bits": 3, "frac_bits": 0}},
    "layers": [{"type": "dense", "weights": [[1], [2]]}]})");
  model["name"] = kEvilName;
  cli::write_file(dir.path / "m.json", model.dump());
  const auto r =
      cli::run(DAGEN_BIN, {"m.json", "-o", "out", "--dump-graph", "--pipeline", "1"}, dir.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir.path / "out";
}

std::string only_file(const fs::path& dir, const std::string& ext) {
  std::string found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(ext) && name != "dagen_delay.v" && name != "dagen_add3.v" &&
        !name.ends_with(".graph.json")) {
      EXPECT_EQ(found, "") << "two " << ext << " files";
      found = e.path().string();
    }
  }
  EXPECT_NE(found, "") << "no " << ext << " file in " << dir;
  return found;
}

TEST(Injection, ModelNameStaysInsideTheVerilogComment) {
  cli::Scratch dir("inject-v");
  const fs::path out = build_evil(dir);
  const std::string v = cli::slurp(only_file(out, ".v"));
  // The header is two comment lines; the only module is the design.
  EXPECT_EQ(v.find("\nmodule injected"), std::string::npos) << v.substr(0, 400);
  const std::regex module_line("^module ", std::regex::multiline);
  EXPECT_EQ(
      std::distance(std::sregex_iterator(v.begin(), v.end(), module_line), std::sregex_iterator()),
      1);
  const std::string first = v.substr(0, v.find('\n'));
  EXPECT_NE(first.find("from model 'evil\\nmodule injected; initial $display(\"pwned\"); "
                       "endmodule\\n//\\\\ */ \" \\x0d\\xe2\\x80\\xa8 end'."),
            std::string::npos)
      << first;
  for (char c : v) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << "byte " << int(c);
  std::string log;
  const std::string sim = (dir.path / "sim").string();
  ASSERT_EQ(
      shell(std::string(DAGEN_IVERILOG) + " -g2012 -o " + sim + " " + out.string() + "/*.v", log),
      0)
      << log;
  ASSERT_EQ(shell("vvp -n " + sim, log), 0) << log;
  EXPECT_EQ(log.find("pwned"), std::string::npos) << log;
}

TEST(Injection, ModelNameIsOneQuotedDotString) {
  cli::Scratch dir("inject-dot");
  const fs::path out = build_evil(dir);
  const std::string dot = cli::slurp(only_file(out, ".dot"));
  const std::string first = dot.substr(0, dot.find('\n'));
  EXPECT_EQ(first,
            "digraph \"evil\\nmodule injected; initial $display(\\\"pwned\\\"); endmodule\\n//\\\\ "
            "*/ \\\" \\\\x0d\xe2\x80\xa8 end\" {");
  // Every line has its quotes balanced (an escaped quote is not one).
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    int quotes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '"')
        ++quotes;
    }
    EXPECT_EQ(quotes % 2, 0) << line;
  }
  if (std::string(DAGEN_DOT).empty()) return;  // Graphviz not installed: the checks above
  std::string log;
  ASSERT_EQ(shell(std::string(DAGEN_DOT) + " -Tcanon " + only_file(out, ".dot"), log), 0) << log;
  EXPECT_NE(log.find("pwned"), std::string::npos);  // the name, inside the graph's name
  EXPECT_EQ(log.find("syntax error"), std::string::npos) << log;
}

TEST(Injection, ModelNameRoundTripsThroughTheJsonFiles) {
  cli::Scratch dir("inject-json");
  const fs::path out = build_evil(dir);
  const auto report = nlohmann::json::parse(cli::slurp(only_file(out, ".json")));
  EXPECT_EQ(report.at("model"), kEvilName);
  const std::string top = report.at("top");
  EXPECT_TRUE(std::regex_match(top, std::regex("[A-Za-z_][A-Za-z0-9_]*"))) << top;
  const auto graph = nlohmann::json::parse(cli::slurp(out / (top + ".graph.json")));
  EXPECT_EQ(graph.at("name"), kEvilName);
}

// Model names that are keywords (SystemVerilog's too: Icarus reads -g2012),
// paths or nothing still give a module Icarus compiles, named in the directory.
TEST(Injection, DerivedTopNamesAreIdentifiersInTheDirectory) {
  cli::Scratch dir("inject-top");
  const std::vector<std::string> names = {
      "",          "module",
      "assert",    "bind",
      "chandle",   "context",
      "cover",     "dist",
      "inside",    "local",
      "modport",   "rand",
      "ref",       "sequence",
      "solve",     "with",
      "always_ff", "dagen_delay",
      "/abs",      "../../etc/passwd",
      "9lives",    ".hidden",
      "a b",       std::string(300, 'a')};  // the last: <top>.graph.json fits a name
  for (const std::string& name : names) {
    nlohmann::json model = nlohmann::json::parse(R"({
      "input": {"size": 1, "type": {"signed": true, "int_bits": 3, "frac_bits": 0}},
      "layers": [{"type": "dense", "weights": [[3]]}]})");
    model["name"] = name;
    cli::write_file(dir.path / "m.json", model.dump());
    const auto r =
        cli::run(DAGEN_BIN, {"m.json", "-o", "out", "--force", "--dump-graph"}, dir.path);
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    const auto report = nlohmann::json::parse(cli::slurp(only_file(dir.path / "out", ".json")));
    const std::string top = report.at("top");
    EXPECT_TRUE(std::regex_match(top, std::regex("[A-Za-z_][A-Za-z0-9_]*"))) << top;
    EXPECT_TRUE(fs::exists(dir.path / "out" / (top + ".v"))) << name;
    std::string log;
    EXPECT_EQ(shell(std::string(DAGEN_IVERILOG) + " -g2012 -o " + (dir.path / "sim").string() +
                        " " + (dir.path / "out").string() + "/*.v",
                    log),
              0)
        << "model name '" << name << "', module " << top << ": " << log;
  }
}

}  // namespace
}  // namespace dagen
