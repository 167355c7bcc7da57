// Device knowledge behind one interface: a Target is one FPGA family da-gen
// estimates and emits for (an explicit table of two, src/target/targets.cpp):
// its delay model, its LUT cost model, whether it has ternary adders and which
// adder pairs it fuses, the RTL cells (rtl_lib/) a design for it may use, and the
// options it accepts.
//
// The layering: src/core/ (the IR, its analyses, the interpreter) knows no device.
// graph_stats() takes the LUT count from its caller (Target::graph_stats() passes
// adder_luts()); a ternary mark (Node::ternary_inner) and what it computes
// (ternary.hpp) are IR; which pairs to mark is the target's (ternary_pairs()).
// The scheduler, the emitter and the flow reach the device only through a Target.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dagen/adder_graph.hpp"

namespace dagen {

struct FlowOptions;

// First-order timing of one device (src/target/delay_model.cpp).
struct DelayModel {
  double route_ns = 0;          // one net between two cells
  double lut_ns = 0;            // one LUT level
  double carry_ns = 0;          // into and out of a carry chain, beyond the LUT that feeds it
  double carry_per_bit_ns = 0;  // ripple through the carry chain, per bit
  double register_ns = 0;       // clock-to-out plus setup of a flip-flop
  int lut_inputs = 6;           // inputs of one LUT
};

class Target {
 public:
  struct Spec {
    std::string_view name;
    DelayModel delays;
    // What implements a ternary adder on this device; empty: it has none.
    std::string_view ternary_adders;
    // The rtl_lib cells (module names) a design for this device may instantiate.
    std::span<const std::string_view> rtl_cells;
  };
  explicit constexpr Target(const Spec& spec) : spec_(spec) {}

  std::string_view name() const { return spec_.name; }
  const DelayModel& delays() const { return spec_.delays; }

  // Estimated combinational delay of one node (ns); 0 for inputs and constants.
  double node_delay(const AdderGraph& g, const Node& n) const;

  // LUTs the add/sub, negation and comparison nodes take beside their carry chains:
  // one per distinct propagate signal (a XOR b of two bits) that is neither a wire nor
  // a constant; plus the muxes (one LUT per distinct select of two different bits) and
  // the lookups (a LUT6 per output bit that varies, 2^(index bits - 6) of them above
  // six index bits), counting only bits some output depends on; a fused pair is one
  // LUT per bit of its chain (src/target/lut_cost.cpp).
  int adder_luts(const AdderGraph& g) const;

  // The IR's statistics with this device's LUT count.
  GraphStats graph_stats(const AdderGraph& g) const;

  bool has_ternary_adders() const { return !spec_.ternary_adders.empty(); }

  // The adder pairs of a graph placed in `stage` (per node) that fuse: an Add whose only
  // reader is another Add of the same pipeline stage (no register between them) and
  // neither has a constant operand.  Each node joins at most one pair; the pairs are a
  // maximum-weight matching on the forest of such edges (weight: the LUTs the fusion
  // saves by ternary_chain() against the two adders' carry-chain bits).  As {inner,
  // outer}, by increasing outer; the graph's own marks are ignored.  None on a device
  // without ternary adders.
  std::vector<std::pair<int, int>> ternary_pairs(const AdderGraph& g,
                                                 const std::vector<int>& stage) const;

  // The Verilog source of rtl_lib cell `module` (InternalError if this device has none).
  std::string_view rtl_cell(std::string_view module) const;

  // The option rules that depend on the device (OptionError, as FlowOptions::validate()).
  void validate(const FlowOptions& options) const;

 private:
  Spec spec_;
};

// Every target, in the order of the table.
std::span<const Target> all_targets();

// "xcup" (Xilinx UltraScale+, -2) or "ice40" (Lattice iCE40 HX); throws ToolError otherwise.
const Target& find_target(std::string_view name);

}  // namespace dagen
