// FlowOptions::validate: the option rules in the library, so the command line
// and any other caller refuse the same things with the same words.
#include <cmath>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/target.hpp"
#include "dagen/vendor.hpp"
#include "dagen/verilog.hpp"

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
  // The top module names the files <top>.v and <top>.json: a name the user
  // chose is used as given or refused, never silently changed.
  if (!top.empty() && verilog_identifier(top) != top)
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
  }
}

}  // namespace dagen
