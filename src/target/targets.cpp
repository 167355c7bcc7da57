// The table of targets (include/dagen/target.hpp) and the device option rules.
#include <array>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/target.hpp"
#include "ternary_fusion.hpp"

namespace dagen {
namespace {

constexpr std::array<std::string_view, 4> kXcupCells{"dagen_delay", "dagen_add3", "dagen_sadd",
                                                     "dagen_load"};
constexpr std::array<std::string_view, 3> kIce40Cells{"dagen_delay", "dagen_sadd", "dagen_load"};

const std::array<Target, 2> kTargets{
    // UltraScale+ -2.  LUT6 0.15 ns; an adder's LUT2, carry entry and exit 0.29 ns in all (lut +
    // carry); CARRY8 ripple 0.041 ns per 8 bits; flip-flop 0.15 ns plus the net into it: Vivado
    // timing-report figures as FloPoCo's VirtexUltrascalePlus target records them.  The route,
    // 0.17 ns, is fitted (benchmarks/delay_calibration.py) to the da4ml paper's 76.5 % JSC net at
    // one adder per stage, 736 MHz in Vivado with global retiming: within 1.2 % on the two HGQ2
    // jet classifiers rebuilt at that setting (benchmarks/delay_calibration.md).
    Target({"xcup",
            {.route_ns = 0.17,
             .lut_ns = 0.15,
             .carry_ns = 0.14,
             .carry_per_bit_ns = 0.005,
             .register_ns = 0.32,
             .lut_inputs = 6},
            "Xilinx LUT6_2 + CARRY8",
            kXcupCells}),
    // iCE40 HX8K: fitted to nextpnr-ice40 post-route timing of 8x8 layers
    // (benchmarks/fmax_ice40.py): route 0.55 ns, LUT4 0.35 ns, SB_CARRY 0.12 ns/bit.
    Target({"ice40",
            {.route_ns = 0.55,
             .lut_ns = 0.35,
             .carry_per_bit_ns = 0.12,
             .register_ns = 0.90,
             .lut_inputs = 4},
            "",
            kIce40Cells}),
};

// "a", "a or b", "a, b or c".
std::string alternatives(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (k > 0) out += k + 1 == names.size() ? " or " : ", ";
    out += names[k];
  }
  return out;
}

}  // namespace

std::span<const Target> all_targets() { return kTargets; }

const Target& find_target(std::string_view name) {
  std::vector<std::string_view> names;
  for (const Target& t : kTargets) {
    if (t.name() == name) return t;
    names.push_back(t.name());
  }
  throw ToolError("unknown target '" + std::string(name) + "' (" + alternatives(names) + ")");
}

GraphStats Target::graph_stats(const AdderGraph& g) const {
  return dagen::graph_stats(g, adder_luts(g));
}

std::vector<std::pair<int, int>> Target::ternary_pairs(const AdderGraph& g,
                                                       const std::vector<int>& stage) const {
  if (!has_ternary_adders()) return {};
  return target_detail::ternary_pairs(g, stage);
}

void Target::validate(const FlowOptions& options) const {
  if (options.ternary && !has_ternary_adders()) {
    std::vector<std::string_view> names;
    std::string_view cells;
    for (const Target& t : kTargets)
      if (t.has_ternary_adders()) {
        names.push_back(t.name());
        cells = t.spec_.ternary_adders;
      }
    throw OptionError("--ternary needs --target " + alternatives(names) + ": ternary adders are " +
                      std::string(cells));
  }
}

}  // namespace dagen
