// FlowOptions::validate: the option rules in the library, so the command line
// and any other caller refuse the same things with the same words.
#include <cmath>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/target.hpp"
#include "dagen/vendor.hpp"
#include "dagen/verilog.hpp"
#include "dagen/vhdl.hpp"

namespace dagen {

void FlowOptions::validate() const {
  if (pipeline < 0 || pipeline > 1000) throw OptionError("--pipeline must be in [0, 1000]");
  if (clock_period_ns && !(*clock_period_ns > 0))
    throw OptionError("--clock-period must be positive");
  if (clock_period_ns && !std::isfinite(*clock_period_ns))
    throw OptionError("--clock-period must be finite");
  if (!(stage_slack >= 0 && stage_slack <= 10))
    throw OptionError("--stage-slack must be in [0, 10]");
  if (stage_slack != 0 && clock_period_ns)
    throw OptionError("give --stage-slack or --clock-period, not both: each sets the stage delay");
  if (stage_slack != 0 && pipeline == 0)
    throw OptionError(
        "--stage-slack needs --pipeline N (N > 0): it balances the delays of pipeline stages");
  if (ii < 1 || ii > kMaxInitiationInterval)
    throw OptionError("--ii must be in [1, " + std::to_string(kMaxInitiationInterval) + "]");
  if (ii > 1 && pipeline != 0)
    throw OptionError(
        "--pipeline cannot be combined with --ii K > 1: a digit-serial design's latency follows "
        "from its digit size (the report's latency_cycles); --clock-period bounds its clock");
  if (ii > 1 && ternary)
    throw OptionError("--ternary cannot be combined with --ii K > 1: serial adders are two-input");
  if (ii > 1 && hdl == "vhdl")
    throw OptionError("--ii K > 1 is emitted as Verilog only (give --hdl verilog)");
  if (hdl != "verilog" && hdl != "vhdl")
    throw OptionError("--hdl must be verilog or vhdl, not '" + hdl + "'");
  // The top module names the files <top>.v and <top>.json: a name the user
  // chose is used as given or refused, never silently changed.
  if (!top.empty() && hdl == "vhdl" && vhdl_identifier(top) != top)
    throw OptionError("--top '" + top +
                      "' is not a usable VHDL entity name (a letter first, then letters, digits "
                      "and single _, not ending in _, not a VHDL reserved word); '" +
                      vhdl_identifier(top) + "' would be");
  if (!top.empty() && hdl == "verilog" && verilog_identifier(top) != top)
    throw OptionError("--top '" + top +
                      "' is not a usable module name (letters, digits and _, not starting with a "
                      "digit, not a Verilog keyword); '" +
                      verilog_identifier(top) + "' would be");
  const Target* device = nullptr;
  try {
    device = &find_target(target);
  } catch (const ToolError& e) {
    throw OptionError(std::string("--target: ") + e.what());
  }
  if (cmvm.depth_slack && *cmvm.depth_slack < 0) throw OptionError("--dc must be >= 0");
  device->validate(*this);  // the device's own rules (--ternary)
  if (!vivado_part.empty()) vendor::check_part_name("--vivado", vivado_part);
  if (!quartus_device.empty()) {
    vendor::check_part_name("--quartus", quartus_device);
    vendor::quartus_family(quartus_device);
    if (ternary)
      throw OptionError(
          "--quartus cannot build --ternary designs: dagen_add3 instantiates Xilinx primitives "
          "(LUT6_2, CARRY8)");
    if (ii > 1 && device->has_ternary_adders())
      throw OptionError("--quartus cannot build --ii designs for --target " + target +
                        ": dagen_sadd and dagen_load instantiate Xilinx primitives (LUT6_2, "
                        "CARRY8); --target ice40 builds them from plain arithmetic");
  }
}

}  // namespace dagen
