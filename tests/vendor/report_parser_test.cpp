// The Vivado / Quartus report reader on hand-written reports in the documented
// formats (tests/vendor/README.md), and on broken and arbitrary text.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "dagen/diag.hpp"
#include "dagen/vendor_report.hpp"

namespace dagen::vendor {
namespace {

const std::string kSamples = VENDOR_SAMPLES;

ReportFile load(const std::string& rel) {
  std::ifstream in(kSamples + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  return {rel, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

// The one-line message of the ToolError `f` throws.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ToolError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(VendorReport, VivadoUltraScalePlus) {
  const Row r =
      parse_vivado(load("vivado_ok/utilization.rpt"), load("vivado_ok/timing_summary.rpt"));
  EXPECT_EQ(r["top"], "jsc_cernbox_acc75_16");
  EXPECT_EQ(r["lut"], 6812);
  EXPECT_EQ(r["ff"], 865);
  EXPECT_EQ(r["carry"], 1187);
  EXPECT_EQ(r["carry_bits"], 8 * 1187);
  EXPECT_EQ(r["muxf"], 4);
  EXPECT_EQ(r["srl"], 0);
  EXPECT_EQ(r["dsp"], 0);
  EXPECT_EQ(r["bram"], 0);
  EXPECT_EQ(r["part"], "xcvu9p-flga2104-2L-e");
  EXPECT_EQ(r["clock"], "clk");
  EXPECT_DOUBLE_EQ(r["period_ns"].get<double>(), 7.0);
  EXPECT_DOUBLE_EQ(r["wns_ns"].get<double>(), -0.412);
  EXPECT_DOUBLE_EQ(r["fmax_mhz"].get<double>(), 134.916);  // 1000 / (7 + 0.412)
  // tools/yosys_report.py's keys, in its order, then the vendor's.
  std::vector<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.push_back(k);
  const std::vector<std::string> yosys = {"design", "top",   "flow",      "lut",  "ff",
                                          "carry",  "srl",   "dsp",       "muxf", "bram",
                                          "latch",  "other", "carry_bits"};
  ASSERT_GE(keys.size(), yosys.size());
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + yosys.size()), yosys);
}

TEST(VendorReport, Vivado7SeriesNamesAndPostSynthesisStars) {
  const std::string util =
      "| Design       : top7\n"
      "+-------------------------+------+-------+-----------+-------+\n"
      "|        Site Type        | Used | Fixed | Available | Util% |\n"
      "+-------------------------+------+-------+-----------+-------+\n"
      "| Slice LUTs*             |  120 |     0 |     20800 |  0.58 |\n"
      "|   LUT as Shift Register |    2 |     0 |           |       |\n"
      "| Slice Registers         |   64 |     0 |     41600 |  0.15 |\n"
      "| Block RAM Tile          |  0.5 |     0 |        50 |  1.00 |\n"
      "| CARRY4                  |   30 |     0 |           |       |\n";
  const std::string timing =
      "    WNS(ns)      TNS(ns)\n    -------      -------\n      1.500        0.000\n"
      "Clock  Waveform(ns)       Period(ns)      Frequency(MHz)\n"
      "-----  ------------       ----------      --------------\n"
      "vclk   {0.000 2.500}      5.000           200.000\n";
  const Row r = parse_vivado({"u", util}, {"t", timing});
  EXPECT_EQ(r["top"], "top7");
  EXPECT_EQ(r["lut"], 120);
  EXPECT_EQ(r["srl"], 2);
  EXPECT_EQ(r["ff"], 64);
  EXPECT_DOUBLE_EQ(r["bram"].get<double>(), 0.5);
  EXPECT_EQ(r["carry"], 30);
  EXPECT_EQ(r["carry_bits"], 120);
  EXPECT_EQ(r["clock"], "vclk");
  EXPECT_DOUBLE_EQ(r["fmax_mhz"].get<double>(), 285.714);  // 1000 / (5 - 1.5)
}

TEST(VendorReport, QuartusCycloneV) {
  const Row r = parse_quartus(load("quartus_ok/tiny_mlp.fit.summary"),
                              load("quartus_ok/tiny_mlp.sta.summary"),
                              load("quartus_ok/tiny_mlp.sta.rpt"), 6.0);
  EXPECT_EQ(r["top"], "tiny_mlp");
  EXPECT_EQ(r["lut"], 1112);
  EXPECT_EQ(r["lut_unit"], "ALM");
  EXPECT_EQ(r["ff"], 215);
  EXPECT_EQ(r["dsp"], 0);
  EXPECT_EQ(r["bram"], 0);
  EXPECT_TRUE(r["carry"].is_null());
  EXPECT_EQ(r["part"], "5CSEMA5F31C6");
  EXPECT_EQ(r["family"], "Cyclone V");
  EXPECT_EQ(r["clock"], "clk");
  EXPECT_DOUBLE_EQ(r["wns_ns"].get<double>(), 0.874);     // the worst setup slack
  EXPECT_DOUBLE_EQ(r["fmax_mhz"].get<double>(), 195.16);  // the slowest corner's
  // Without the .sta.rpt: from the .sdc's period and the slack.
  const Row s = parse_quartus(load("quartus_ok/tiny_mlp.fit.summary"),
                              load("quartus_ok/tiny_mlp.sta.summary"), std::nullopt, 6.0);
  EXPECT_DOUBLE_EQ(s["fmax_mhz"].get<double>(), 195.084);  // 1000 / (6 - 0.874)
}

TEST(VendorReport, MarkdownRowHasYosysReportsColumns) {
  const Row r =
      parse_vivado(load("vivado_ok/utilization.rpt"), load("vivado_ok/timing_summary.rpt"));
  EXPECT_EQ(markdown_header(),
            "| top | LUT | FF | CARRY | SRL | DSP | WNS ns | Fmax MHz |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|");
  EXPECT_EQ(markdown_row(r),
            "| jsc_cernbox_acc75_16 | 6812 | 865 | 1187 | 0 | 0 | -0.412 | 134.9 |");
}

TEST(VendorReport, MalformedFilesNameTheFileAndLine) {
  EXPECT_EQ(error_of([] {
              parse_vivado(load("malformed/vivado_bad_lut/utilization.rpt"),
                           load("malformed/vivado_bad_lut/timing_summary.rpt"));
            }),
            "malformed/vivado_bad_lut/utilization.rpt:37: 'CLB LUTs' has Used '68x2', not a count");
  EXPECT_EQ(error_of([] {
              parse_vivado(load("malformed/vivado_no_clock/utilization.rpt"),
                           load("malformed/vivado_no_clock/timing_summary.rpt"));
            }),
            "malformed/vivado_no_clock/timing_summary.rpt: no Clock Summary (a 'Clock ... "
            "Period(ns)' table)");
  EXPECT_EQ(error_of([] {
              parse_quartus(load("malformed/quartus_bad_slack/tiny_mlp.fit.summary"),
                            load("malformed/quartus_bad_slack/tiny_mlp.sta.summary"), std::nullopt,
                            std::nullopt);
            }),
            "malformed/quartus_bad_slack/tiny_mlp.sta.summary:6: Slack 'n/a' is not a number");
  // The reports swapped, or empty.
  EXPECT_EQ(error_of([] {
              parse_vivado(load("vivado_ok/timing_summary.rpt"),
                           load("vivado_ok/timing_summary.rpt"));
            }),
            "vivado_ok/timing_summary.rpt: no 'CLB LUTs' or 'Slice LUTs' row: not a "
            "report_utilization report");
  EXPECT_EQ(
      error_of([] {
        parse_vivado(load("vivado_ok/utilization.rpt"), {"t.rpt", ""});
      }),
      "t.rpt: no Design Timing Summary (a 'WNS(ns)' table): not a report_timing_summary report");
  EXPECT_EQ(error_of([] {
              parse_quartus({"f", ""}, load("quartus_ok/tiny_mlp.sta.summary"), std::nullopt, 1.0);
            }),
            "f: no 'Logic utilization (in ALMs)' or 'Total logic elements' line: not a Quartus fit "
            "summary");
  EXPECT_EQ(error_of([] {
              parse_vivado(load("vivado_ok/utilization.rpt"),
                           {"t", "WNS(ns)\n-------\ninf\nClock Period(ns) x\n"});
            }),
            "t:3: WNS is 'inf': no path was timed (no clock?)");
}

// Arbitrary bytes and truncations of real reports: read or refused, never a crash.
TEST(VendorReport, ArbitraryTextIsReadOrRefused) {
  std::vector<std::string> texts;
  for (const char* f : {"vivado_ok/utilization.rpt", "vivado_ok/timing_summary.rpt",
                        "quartus_ok/tiny_mlp.fit.summary", "quartus_ok/tiny_mlp.sta.summary",
                        "quartus_ok/tiny_mlp.sta.rpt"}) {
    const std::string t = load(f).text;
    for (std::size_t cut = 0; cut < t.size(); cut += 97) texts.push_back(t.substr(0, cut));
  }
  std::mt19937_64 rng(7);
  const std::string alphabet = "|;:{}-+ \n\t0123456789.,'*WNSClockPeriod(ns)SlackType Setup MHz";
  for (int k = 0; k < 300; ++k) {
    std::string t;
    for (int n = static_cast<int>(rng() % 400); n-- > 0;) t += alphabet[rng() % alphabet.size()];
    texts.push_back(t);
  }
  for (const std::string& t : texts) {
    for (int which = 0; which < 2; ++which) {
      try {
        if (which == 0)
          parse_vivado({"u", t}, {"t", t});
        else
          parse_quartus({"f", t}, {"s", t}, ReportFile{"r", t}, 5.0);
      } catch (const ToolError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace dagen::vendor
