// The VHDL side of the emitters: identifier rules, the --hdl option, and the
// file set and ports of an emitted design (GHDL runs it in tests/vhdl/).
#include "dagen/vhdl.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

// A VHDL basic identifier (IEEE 1076-2008, 15.4.2).
bool is_basic_identifier(const std::string& id) {
  return std::regex_match(id, std::regex("[A-Za-z](_?[A-Za-z0-9])*"));
}

TEST(VhdlIdentifier, MadeLegal) {
  EXPECT_EQ(vhdl_identifier("jsc_cernbox_acc75.16"), "jsc_cernbox_acc75_16");
  EXPECT_EQ(vhdl_identifier("../../etc/passwd"), "etc_passwd");
  EXPECT_EQ(vhdl_identifier("a__b___c"), "a_b_c");
  EXPECT_EQ(vhdl_identifier("model_"), "model");
  EXPECT_EQ(vhdl_identifier("_x1"), "x1");
  EXPECT_EQ(vhdl_identifier("3layer"), "m_3layer");
  EXPECT_EQ(vhdl_identifier(""), "m");
  EXPECT_EQ(vhdl_identifier("___"), "m");
  EXPECT_EQ(vhdl_identifier("tiny_mlp"), "tiny_mlp");
  for (const std::string& name :
       {std::string("a b-c"), std::string("__"), std::string("9"), std::string("x.y."),
        std::string("-_-"), std::string("über"), std::string(300, 'a')})
    EXPECT_TRUE(is_basic_identifier(vhdl_identifier(name))) << name;
  EXPECT_LE(vhdl_identifier(std::string(300, 'a')).size(), 128u);
  // A cut at 128 characters must not leave a trailing underscore.
  EXPECT_TRUE(is_basic_identifier(vhdl_identifier(std::string(127, 'a') + "_b")));
}

TEST(VhdlIdentifier, ReservedWordsInAnyCase) {
  EXPECT_EQ(vhdl_identifier("entity"), "entity_top");
  EXPECT_EQ(vhdl_identifier("Entity"), "Entity_top");  // VHDL is case-insensitive
  EXPECT_EQ(vhdl_identifier("SIGNAL"), "SIGNAL_top");
  EXPECT_EQ(vhdl_identifier("unsigned"), "unsigned_top");  // numeric_std's type
  EXPECT_EQ(vhdl_identifier("X"), "X_top");                // the design's port
  EXPECT_EQ(vhdl_identifier("Dagen_TB"), "Dagen_TB_top");  // the testbench
  EXPECT_EQ(vhdl_identifier("module"), "module");          // a Verilog keyword only
}

TEST(VhdlOptions, HdlAndTopAreChecked) {
  FlowOptions o;
  o.hdl = "systemc";
  try {
    o.validate();
    ADD_FAILURE() << "no error";
  } catch (const OptionError& e) {
    EXPECT_STREQ(e.what(), "--hdl must be verilog or vhdl, not 'systemc'");
  }
  o.hdl = "vhdl";
  o.top = "my__top";
  EXPECT_THROW(o.validate(), OptionError);
  o.top = "Process";
  EXPECT_THROW(o.validate(), OptionError);
  o.top = "my_top";
  EXPECT_NO_THROW(o.validate());
}

TEST(VhdlDesign, OneFileWithTheVerilogPorts) {
  const Model m = read_model_file(std::string(DAGEN_EXAMPLES) + "/tiny.json");
  FlowOptions o;
  o.pipeline = 2;
  o.valid = true;
  const Design v = build_design(m, o);
  o.hdl = "vhdl";
  const Design d = build_design(m, o);
  const auto files = design_files(d, o);
  ASSERT_EQ(files.size(), 2u);
  const std::string& text = files.at(d.top + ".vhd");
  EXPECT_EQ(d.report["hdl"], "vhdl");
  EXPECT_EQ(v.report["hdl"], "verilog");
  EXPECT_NE(text.find("    clk : in std_logic;\n    x_valid : in std_logic;\n"), std::string::npos);
  EXPECT_NE(text.find("    x : in std_logic_vector(" +
                      std::to_string(v.report["x_width"].get<int>() - 1) + " downto 0);"),
            std::string::npos);
  EXPECT_EQ(text.find("ieee.std_logic_arith"), std::string::npos);
  // The same ports and schedule as the Verilog design.
  auto ports = [](const Design& x) {
    return x.report.at("inputs").dump() + x.report.at("outputs").dump();
  };
  EXPECT_EQ(ports(d), ports(v));
  EXPECT_EQ(d.schedule.stage, v.schedule.stage);
}

}  // namespace
}  // namespace dagen
