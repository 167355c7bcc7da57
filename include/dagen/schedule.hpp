// Register placement: the pipeline scheduler, timed by a Target's delay model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dagen/adder_graph.hpp"
#include "dagen/target.hpp"

namespace dagen {

// Where a graph's registers go: a side table beside the AdderGraph (the graph holds
// no stages), so placements can be tried without copying the graph.
struct Schedule {
  int latency = 0;
  std::vector<int> stage;  // per node: the pipeline segment (0 .. latency) computing it
  // Placed for ternary adders (--ternary): apply_ternary_fusion() marks the pairs of
  // each stage in the graph, as the stage delays and register bits below assume.
  bool ternary = false;
  std::vector<double> stage_delay_ns;  // per combinational segment, register overhead included
  double period_ns = 0;                // the worst of them
  int register_bits = 0;
  // Of those, bits that copy another register's (the low bits an adder passes
  // through from an operand registered across the same ranks): synthesis keeps
  // one flip-flop for both.  The placement minimises register_bits; reports
  // give flip_flops().
  int copied_register_bits = 0;
  int flip_flops() const { return register_bits - copied_register_bits; }
  // True when register_bits is the proven minimum for this latency and stage
  // delay (always for latency 0); false when the graph was too large and a
  // heuristic placed them.
  bool exact_registers = true;
};

// The exact register placement's work budget (node visits while finding the
// slow paths); a larger graph is placed by the heuristic instead.
inline constexpr std::size_t kExactPlacementWork = 20'000'000;

// Every node in stage 0 of a combinational design (latency 0, no delays estimated).
Schedule combinational_schedule(const AdderGraph& g);

// Place `latency` register ranks to minimise the worst stage delay, then, at
// that delay, move nodes to later stages where it saves register bits.
// `stage_slack` > 0 lets stages be up to (1 + stage_slack) times the least
// worst-stage delay, trading clock rate for fewer register bits.
// With `period_ns`, stages may take up to that period instead (ToolError if
// `latency` cannot meet it).  Returns every node's stage; the graph is not changed
// (its ternary marks are ignored).
// With `ternary` (a target with ternary adders), the pairs it fuses (Target::ternary_pairs) are
// kept in one stage and timed as one adder with an extra LUT level, when the exact placement can do
// so; apply_ternary_fusion() then marks them in the graph. `exact_work` bounds the exact placement
// (0 always uses the heuristic: tests).
Schedule schedule_pipeline(const AdderGraph& g, int latency, const Target& target,
                           double stage_slack = 0.0, std::optional<double> period_ns = std::nullopt,
                           bool ternary = false, std::size_t exact_work = kExactPlacementWork);

// The step after schedule_pipeline(): marks the adder pairs the schedule fuses
// (Node::ternary_inner, by target.ternary_pairs(); none unless s.ternary), which the
// emitter, demanded_bits() and Target::adder_luts() read.  Returns the number of pairs.
int apply_ternary_fusion(AdderGraph& g, const Schedule& s, const Target& target);

// The least estimated period `latency` ranks allow (register overhead included
// when latency > 0), without placing registers.
double least_period(const AdderGraph& g, int latency, const Target& target);

// The smallest latency whose stages all meet `period_ns` by the model (-1 if
// even one node alone is slower).
int latency_for_period(const AdderGraph& g, double period_ns, const Target& target);

// The least period any latency allows: the slowest operator between registers.
double slowest_operator_period(const AdderGraph& g, const Target& target);

// The one-line error for --pipeline `latency` missing a `period_ns` clock: `least` is
// the least period that latency allows, `needed` the least latency that meets the
// clock (-1: none does, and `slowest` = slowest_operator_period says why).
std::string period_miss_message(int latency, double period_ns, const Target& target, double least,
                                int needed, double slowest);

// Register bits a schedule needs: each value's demanded bits (demanded_bits.hpp)
// times the ranks it crosses.  The emitted delay lines carry whole values;
// synthesis removes the flip-flops of bits no output depends on.
int register_bits(const AdderGraph& g, const Schedule& s);

}  // namespace dagen
