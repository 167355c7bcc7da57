// --vivado / --quartus and `da-gen report` through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace dagen {
namespace {

using cli::Result;
namespace fs = std::filesystem;

const std::string kBin = DAGEN_BIN;
const std::string kTiny = std::string(DAGEN_SOURCE_DIR) + "/examples/tiny.json";
const std::string kSamples = VENDOR_SAMPLES;

Result dagen(const std::vector<std::string>& args, const fs::path& cwd) {
  return cli::run(kBin, args, cwd);
}

bool one_line(const std::string& s) {
  return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

TEST(VendorCli, ProjectFilesAreWrittenAndListedInTheManifest) {
  cli::Scratch s("vendor");
  const Result r =
      dagen({kTiny, "-o", "out", "--vivado", "xcvu9p-flga2104-2L-e", "--quartus", "5CSEMA5F31C6"},
            s.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto files = cli::listing(s.path / "out");
  for (const char* f : {"build_vivado.tcl", "constraints.xdc", "tiny_mlp.qpf", "tiny_mlp.qsf",
                        "tiny_mlp.sdc", "build_quartus.tcl"}) {
    ASSERT_TRUE(files.contains(f)) << f;
    EXPECT_NE(files.at(".da-gen-output").find(std::string(" ") + f + "\n"), std::string::npos) << f;
  }
  // Combinational: the virtual clock at the report's estimated period.
  const auto report = nlohmann::json::parse(files.at("tiny_mlp.json"));
  char period[32];
  std::snprintf(period, sizeof period, "%.3f",
                report["pipeline"]["estimated_period_ns"].get<double>());
  EXPECT_NE(files.at("constraints.xdc")
                .find("create_clock -name vclk -period " + std::string(period) + "\n"),
            std::string::npos)
      << files.at("constraints.xdc");
  EXPECT_NE(files.at("tiny_mlp.sdc")
                .find("create_clock -name vclk -period " + std::string(period) + "\n"),
            std::string::npos);
  // Without the options, none of them.
  const Result again = dagen({kTiny, "-o", "out"}, s.path);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(fs::exists(s.path / "out" / "build_vivado.tcl"));
  EXPECT_FALSE(fs::exists(s.path / "out" / "tiny_mlp.qsf"));
}

TEST(VendorCli, ClockPeriodGoesIntoTheConstraints) {
  cli::Scratch s("vendor-clk");
  const Result r = dagen(
      {kTiny, "-o", "out", "--pipeline", "2", "--clock-period", "8", "--vivado", "xc7a35tcpg236-1"},
      s.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(cli::slurp(s.path / "out" / "constraints.xdc")
                .find("create_clock -name clk -period 8.000 [get_ports clk]\n"),
            std::string::npos);
}

TEST(VendorCli, BadPartsAreOneLineUsageErrorsAndWriteNothing) {
  cli::Scratch s("vendor-bad");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--vivado", "xc7 a35t"}, "da-gen: usage: --vivado: 'xc7 a35t' has the character ' '"},
      {{"--vivado", "xc7[a]"}, "da-gen: usage: --vivado: 'xc7[a]' has the character '['"},
      {{"--quartus", "5CSEMA5F31C6;x"},
       "da-gen: usage: --quartus: '5CSEMA5F31C6;x' has the character ';'"},
      {{"--quartus", "XC7A35T"},
       "da-gen: usage: --quartus: cannot tell the family of device 'XC7A35T'"},
      {{"--quartus", "5CSEMA5F31C6", "--ternary"},
       "da-gen: usage: --quartus cannot build --ternary"},
      {{"--quartus", "5CSEMA5F31C6", "--ii", "8"},
       "da-gen: usage: --quartus cannot build --ii designs for --target xcup"},
      {{"--vivado", ""}, "da-gen: usage: --vivado needs a part name"},
  };
  for (const auto& [extra, start] : cases) {
    std::vector<std::string> args = {kTiny, "-o", "out"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Result r = dagen(args, s.path);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind(start, 0), 0u) << r.err;
    EXPECT_TRUE(one_line(r.err)) << r.err;
    EXPECT_FALSE(fs::exists(s.path / "out"));
  }
  const Result e = dagen({kTiny, "--eval", "x.json", "--vivado", "xc7a35t"}, s.path);
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_EQ(e.err,
            "da-gen: usage: --vivado does nothing with --eval: it evaluates the model and writes "
            "nothing\n");
}

TEST(VendorCli, ReportReadsTheVivadoReports) {
  cli::Scratch s("vendor-report");
  // The layout build_vivado.tcl leaves: DIR/vivado/*.rpt.
  fs::create_directories(s.path / "net" / "vivado");
  for (const char* f : {"utilization.rpt", "timing_summary.rpt"})
    fs::copy_file(kSamples + "/vivado_ok/" + f, s.path / "net" / "vivado" / f);
  for (const std::string dir : {"net", "net/vivado"}) {
    const Result r = dagen({"report", dir}, s.path);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["design"], "net");
    EXPECT_EQ(j["lut"], 6812);
    EXPECT_DOUBLE_EQ(j["fmax_mhz"].get<double>(), 134.916);
  }
  const Result md = dagen({"report", "net", "--format", "markdown"}, s.path);
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out,
            "| top | LUT | FF | CARRY | SRL | DSP | WNS ns | Fmax MHz |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            "| jsc_cernbox_acc75_16 | 6812 | 865 | 1187 | 0 | 0 | -0.412 | 134.9 |\n");
}

TEST(VendorCli, ReportReadsTheQuartusReports) {
  cli::Scratch s("vendor-quartus");
  fs::create_directories(s.path / "net" / "quartus");
  for (const char* f : {"tiny_mlp.fit.summary", "tiny_mlp.sta.summary"})
    fs::copy_file(kSamples + "/quartus_ok/" + f, s.path / "net" / "quartus" / f);
  fs::copy_file(kSamples + "/quartus_ok/tiny_mlp.sdc", s.path / "net" / "tiny_mlp.sdc");
  const Result r = dagen({"report", "net", "--format=json"}, s.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["lut"], 1112);
  EXPECT_DOUBLE_EQ(j["period_ns"].get<double>(), 6.0);  // from net/tiny_mlp.sdc
  EXPECT_DOUBLE_EQ(j["fmax_mhz"].get<double>(), 195.084);
}

TEST(VendorCli, ReportErrors) {
  cli::Scratch s("vendor-report-err");
  fs::create_directories(s.path / "empty");
  fs::create_directories(s.path / "half" / "vivado");
  fs::copy_file(kSamples + "/vivado_ok/utilization.rpt",
                s.path / "half" / "vivado" / "utilization.rpt");
  const Result none = dagen({"report", "empty"}, s.path);
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_EQ(none.err.rfind("da-gen: error: empty: no Vivado reports", 0), 0u) << none.err;
  const Result half = dagen({"report", "half"}, s.path);
  EXPECT_EQ(half.exit_code, 4);
  EXPECT_NE(half.err.find("half/vivado/timing_summary.rpt: missing"), std::string::npos)
      << half.err;
  const Result bad = dagen({"report", kSamples + "/malformed/vivado_bad_lut"}, s.path);
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_NE(bad.err.find("vivado_bad_lut/utilization.rpt:37: 'CLB LUTs' has Used '68x2'"),
            std::string::npos)
      << bad.err;
  for (const Result& r : {none, half, bad}) EXPECT_TRUE(one_line(r.err)) << r.err;
  const Result usage = dagen({"report", "empty", "--format", "csv"}, s.path);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err, "da-gen: usage: --format must be json or markdown, not 'csv'\n");
  EXPECT_EQ(dagen({"report"}, s.path).exit_code, 2);
  EXPECT_EQ(dagen({"report", "a", "b"}, s.path).exit_code, 2);
  EXPECT_EQ(dagen({"report", "empty", "--top", "x"}, s.path).exit_code, 2);
}

// Every message of docs/errors.md's "Vendor project files" table, exactly.
TEST(VendorCli, ErrorsAreDocumented) {
  cli::Scratch s("vendor-doc");
  fs::create_directories(s.path / "empty");
  fs::create_directories(s.path / "half" / "vivado");
  fs::copy_file(kSamples + "/vivado_ok/utilization.rpt",
                s.path / "half" / "vivado" / "utilization.rpt");
  fs::copy_file(kSamples + "/malformed/vivado_bad_lut/utilization.rpt", s.path / "u.rpt");
  const std::string doc = cli::slurp(fs::path(DAGEN_SOURCE_DIR) / "docs" / "errors.md");
  const std::string dir = fs::canonical(s.path).string();
  struct Case {
    const char* name;
    std::vector<std::string> args;
    int exit;
    std::string message;  // stderr, exactly
    std::string in_doc;   // what the table shows, if not the message
  };
  const std::string long_part(65, 'a');
  const std::vector<Case> cases = {
      {"part-character",
       {kTiny, "--vivado", "xc7[a]"},
       2,
       "da-gen: usage: --vivado: 'xc7[a]' has the character '['; a part name has only letters, "
       "digits, '-', '_' and '.'",
       ""},
      {"part-space",
       {kTiny, "--vivado", "xc7 a"},
       2,
       "da-gen: usage: --vivado: 'xc7 a' has the character ' '; a part name has only letters, "
       "digits, '-', '_' and '.'",
       ""},
      {"part-option",
       {kTiny, "--vivado", "-x"},
       2,
       "da-gen: usage: --vivado: '-x' starts with '-' (it would read as an option)",
       ""},
      {"part-empty", {kTiny, "--vivado", ""}, 2, "da-gen: usage: --vivado needs a part name", ""},
      {"part-long",
       {kTiny, "--vivado", long_part},
       2,
       "da-gen: usage: --vivado: '" + long_part + "' is longer than 64 characters",
       "is longer than 64 characters"},
      {"quartus-family",
       {kTiny, "--quartus", "XC7A35T"},
       2,
       "da-gen: usage: --quartus: cannot tell the family of device 'XC7A35T' (known: Cyclone "
       "IV/V/10, MAX 10, Arria V/10, Stratix V/10, Agilex 3/5/7; docs/vendor.md)",
       ""},
      {"quartus-ternary",
       {kTiny, "--quartus", "5CSEMA5F31C6", "--ternary"},
       2,
       "da-gen: usage: --quartus cannot build --ternary designs: dagen_add3 instantiates Xilinx "
       "primitives (LUT6_2, CARRY8)",
       ""},
      {"quartus-ii",
       {kTiny, "--quartus", "5CSEMA5F31C6", "--ii", "8"},
       2,
       "da-gen: usage: --quartus cannot build --ii designs for --target xcup: dagen_sadd and "
       "dagen_load instantiate Xilinx primitives (LUT6_2, CARRY8); --target ice40 builds them "
       "from plain arithmetic",
       ""},
      {"vendor-with-eval",
       {kTiny, "--eval", "v.json", "--vivado", "xc7a35t"},
       2,
       "da-gen: usage: --vivado does nothing with --eval: it evaluates the model and writes "
       "nothing",
       ""},
      {"report-none",
       {"report", "empty"},
       4,
       "da-gen: error: empty: no Vivado reports (utilization.rpt, timing_summary.rpt) or Quartus "
       "reports (<top>.fit.summary) here or in its vivado/ or quartus/",
       ""},
      {"report-missing",
       {"report", "half"},
       4,
       "da-gen: error: " + dir +
           "/half/vivado/timing_summary.rpt: missing (build_vivado.tcl "
           "writes it after route_design)",
       "da-gen: error: DIR/half/vivado/timing_summary.rpt: missing (build_vivado.tcl writes it "
       "after route_design)"},
      {"report-not-dir", {"report", "nothing"}, 4, "da-gen: error: nothing: not a directory", ""},
      {"report-malformed", {"report", "half/vivado"}, 4, "", ""},  // see ReportErrors
      {"report-format",
       {"report", "empty", "--format", "csv"},
       2,
       "da-gen: usage: --format must be json or markdown, not 'csv'",
       ""},
      {"report-no-dir",
       {"report"},
       2,
       "da-gen: usage: no directory given (da-gen report DIR [--format json\\|markdown])",
       ""},
      {"report-extra",
       {"report", "a", "b"},
       2,
       "da-gen: usage: unexpected argument 'b' (da-gen report DIR [--format json\\|markdown])",
       ""},
      {"report-option",
       {"report", "empty", "--top", "x"},
       2,
       "da-gen: usage: unknown option '--top' for report (da-gen report DIR [--format "
       "json\\|markdown])",
       ""},
  };
  for (const Case& c : cases) {
    EXPECT_NE(doc.find("| `" + std::string(c.name) + "` |"), std::string::npos) << c.name;
    if (c.message.empty()) continue;
    const Result r = dagen(c.args, s.path);
    EXPECT_EQ(r.exit_code, c.exit) << c.name;
    std::string shown = c.message;  // as the Markdown table escapes it
    std::string err = r.err;
    for (std::size_t p = 0; (p = err.find('|', p)) != std::string::npos; p += 2)
      err.replace(p, 1, "\\|");
    EXPECT_EQ(err, shown + "\n") << c.name;
    EXPECT_NE(doc.find(c.in_doc.empty() ? shown : c.in_doc), std::string::npos) << c.name;
    EXPECT_FALSE(fs::exists(s.path / "out")) << c.name;
  }
  EXPECT_NE(doc.find("`da-gen: error: FILE:37: 'CLB LUTs' has Used '68x2', not a count`"),
            std::string::npos);
}

}  // namespace
}  // namespace dagen
