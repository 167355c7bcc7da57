// The Tcl / XDC / QSF / SDC files of --vivado and --quartus: key lines, quoting, clock.
#include <gtest/gtest.h>

#include "dagen/diag.hpp"
#include "dagen/vendor.hpp"

namespace dagen::vendor {
namespace {

ProjectInput design(bool clocked, bool valid = false) {
  ProjectInput in;
  in.top = "net";
  in.files = {"net.v", "dagen_delay.v", "net.json", "net.dot", "dagen_add3.v"};
  in.clocked = clocked;
  in.valid = valid;
  in.period_ns = 3.25;
  in.period_source = "--clock-period";
  return in;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(VendorProject, VivadoScriptReadsTheHdlFilesTopLast) {
  const auto files = vivado_files(design(true), "xcvu9p-flga2104-2L-e");
  ASSERT_EQ(files.size(), 2u);
  const std::string& tcl = files.at("build_vivado.tcl");
  const auto a = tcl.find("read_verilog [file join $here \"dagen_add3.v\"]");
  const auto b = tcl.find("read_verilog [file join $here \"dagen_delay.v\"]");
  const auto c = tcl.find("read_verilog [file join $here \"net.v\"]");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(tcl.find("net.json"), std::string::npos);
  EXPECT_TRUE(has_line(tcl, "read_xdc -mode out_of_context [file join $here constraints.xdc]"));
  EXPECT_TRUE(has_line(
      tcl, "synth_design -top \"net\" -part \"xcvu9p-flga2104-2L-e\" -mode out_of_context"));
  for (const char* step : {"opt_design", "place_design", "route_design",
                           "report_utilization -file [file join $reports utilization.rpt]",
                           "report_timing_summary -file [file join $reports timing_summary.rpt]"})
    EXPECT_TRUE(has_line(tcl, step)) << step;
  // Each step after the one before it.
  EXPECT_LT(tcl.find("synth_design"), tcl.find("opt_design"));
  EXPECT_LT(tcl.find("opt_design"), tcl.find("place_design"));
  EXPECT_LT(tcl.find("place_design"), tcl.find("route_design"));
  EXPECT_LT(tcl.find("route_design"), tcl.find("report_utilization"));
}

TEST(VendorProject, VhdlFilesAreReadAsVhdl2008) {
  ProjectInput in = design(true);
  in.files = {"net.vhd", "dagen_delay.vhd", "net.json"};
  const std::string tcl = vivado_files(in, "xc7a35tcpg236-1").at("build_vivado.tcl");
  EXPECT_LT(tcl.find("read_vhdl -vhdl2008 [file join $here \"dagen_delay.vhd\"]"),
            tcl.find("read_vhdl -vhdl2008 [file join $here \"net.vhd\"]"));
  EXPECT_EQ(tcl.find("read_verilog"), std::string::npos);
  const std::string qsf = quartus_files(in, "5CSEMA5F31C6").at("net.qsf");
  EXPECT_TRUE(
      has_line(qsf, "set_global_assignment -name VHDL_FILE \"net.vhd\" -hdl_version VHDL_2008"));
}

TEST(VendorProject, ClockedXdcConstrainsClkAndThePorts) {
  const std::string xdc = vivado_files(design(true), "xcku040-ffva1156-2-e").at("constraints.xdc");
  EXPECT_TRUE(has_line(xdc, "create_clock -name clk -period 3.250 [get_ports clk]"));
  EXPECT_TRUE(has_line(xdc, "set_input_delay -clock [get_clocks clk] 0.000 [get_ports {x[*]}]"));
  EXPECT_TRUE(has_line(xdc, "set_output_delay -clock [get_clocks clk] 0.000 [get_ports {y[*]}]"));
}

TEST(VendorProject, CombinationalDesignIsTimedByAVirtualClock) {
  const std::string xdc =
      vivado_files(design(false, true), "xcku040-ffva1156-2-e").at("constraints.xdc");
  EXPECT_TRUE(has_line(xdc, "create_clock -name vclk -period 3.250"));
  EXPECT_EQ(xdc.find("get_ports clk"), std::string::npos);
  EXPECT_TRUE(
      has_line(xdc, "set_input_delay -clock [get_clocks vclk] 0.000 [get_ports {x[*] x_valid}]"));
  EXPECT_TRUE(
      has_line(xdc, "set_output_delay -clock [get_clocks vclk] 0.000 [get_ports {y[*] y_valid}]"));
}

TEST(VendorProject, QuartusProject) {
  const auto files = quartus_files(design(true), "5CSEMA5F31C6");
  ASSERT_EQ(files.size(), 4u);
  const std::string& qsf = files.at("net.qsf");
  EXPECT_TRUE(has_line(qsf, "set_global_assignment -name FAMILY \"Cyclone V\""));
  EXPECT_TRUE(has_line(qsf, "set_global_assignment -name DEVICE \"5CSEMA5F31C6\""));
  EXPECT_TRUE(has_line(qsf, "set_global_assignment -name TOP_LEVEL_ENTITY \"net\""));
  EXPECT_TRUE(has_line(qsf, "set_global_assignment -name VERILOG_FILE \"net.v\""));
  EXPECT_TRUE(has_line(qsf, "set_global_assignment -name SDC_FILE \"net.sdc\""));
  EXPECT_LT(qsf.find("\"dagen_delay.v\""), qsf.find("\"net.v\""));
  const std::string& sdc = files.at("net.sdc");
  EXPECT_TRUE(has_line(sdc, "create_clock -name clk -period 3.250 [get_ports clk]"));
  EXPECT_TRUE(has_line(sdc, "derive_clock_uncertainty"));
  EXPECT_TRUE(has_line(files.at("net.qpf"), "PROJECT_REVISION = \"net\""));
  const std::string& tcl = files.at("build_quartus.tcl");
  EXPECT_TRUE(has_line(tcl, "load_package flow"));
  EXPECT_TRUE(has_line(tcl, "project_open -revision \"net\" \"net\""));
  EXPECT_TRUE(has_line(tcl, "execute_flow -compile"));
}

TEST(VendorProject, QuartusFamilies) {
  EXPECT_EQ(quartus_family("5CSEMA5F31C6"), "Cyclone V");
  EXPECT_EQ(quartus_family("10M50DAF484C7G"), "MAX 10");
  EXPECT_EQ(quartus_family("10CL025YU256C8G"), "Cyclone 10 LP");
  EXPECT_EQ(quartus_family("5AGZME1H2F35C3"), "Arria V GZ");
  EXPECT_EQ(quartus_family("5AGXFB3H4F35C5"), "Arria V");
  EXPECT_EQ(quartus_family("ep4ce22f17c6"), "Cyclone IV E");
  EXPECT_EQ(quartus_family("AGFB014R24B2E2V"), "Agilex 7");
  EXPECT_THROW(quartus_family("XC7A35T"), OptionError);
}

TEST(VendorProject, PartNamesThatTclWouldSplitOrSubstituteAreRefused) {
  EXPECT_NO_THROW(check_part_name("--vivado", "xcvu9p-flga2104-2L-e"));
  EXPECT_NO_THROW(check_part_name("--vivado", "xc7z020clg400-1"));
  for (const char* bad : {"xc7 a35t", "xc\"7", "xc[exec rm]", "xc$x", "a;b", "a{b", "a}b", "a\\b",
                          "-help", "", "a\nb"}) {
    try {
      check_part_name("--vivado", bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const OptionError& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind("--vivado", 0), 0u) << m;
      EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
  }
  EXPECT_THROW(check_part_name("--quartus", std::string(65, 'a')), OptionError);
}

TEST(VendorProject, TclQuotingSubstitutesNothing) {
  EXPECT_EQ(tcl_quote("net"), "\"net\"");
  EXPECT_EQ(tcl_quote("a b"), "\"a b\"");
  EXPECT_EQ(tcl_quote("[exec rm -rf ~]"), "\"\\[exec rm -rf ~\\]\"");
  EXPECT_EQ(tcl_quote("$env(HOME)"), "\"\\$env(HOME)\"");
  EXPECT_EQ(tcl_quote("a\"b\\c{d}"), "\"a\\\"b\\\\c\\{d\\}\"");
  EXPECT_EQ(tcl_quote("a\nb\x01"), "\"a\\nb\\x01\"");
}

TEST(VendorProject, TopNamesThatAreNotIdentifiersAreRefused) {
  for (const char* top : {"", "a b", "../x", "9lives", "x\n#"}) {
    ProjectInput in = design(true);
    in.top = top;
    EXPECT_THROW(vivado_files(in, "xc7a35t"), InternalError) << top;
    EXPECT_THROW(quartus_files(in, "5CSEMA5F31C6"), InternalError) << top;
  }
}

TEST(VendorProject, ClockPeriodDefaultsToTheEstimate) {
  EXPECT_DOUBLE_EQ(project_period(std::nullopt, 6.9749), 6.975);
  EXPECT_DOUBLE_EQ(project_period(std::nullopt, 0.2), kMinPeriodNs);
  EXPECT_DOUBLE_EQ(project_period(2.5, 6.97), 2.5);
}

}  // namespace
}  // namespace dagen::vendor
