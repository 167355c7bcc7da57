// Pipeline register placement.
//
// 1. Binary search on the stage delay T: an as-soon-as-possible pass cuts a
//    path with a register rank whenever adding the next node would exceed T;
//    the least T that fits in latency + 1 segments is the optimum for this
//    cut rule (nodes are atomic).
// 2. At that T (or the user's clock period), the fewest register bits: exactly,
//    as a min-cost-flow problem (min_registers.cpp), and as a fallback for
//    graphs too large for it, a heuristic that moves nodes to later stages
//    whenever that keeps every stage within T and lowers the register bits.
// Constants never need registers; every output is taken at the last stage.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "dagen/demanded_bits.hpp"
#include "dagen/diag.hpp"
#include "dagen/schedule.hpp"
#include "graph_walk.hpp"
#include "min_registers.hpp"

namespace dagen {

namespace {

using sched::is_const;
using Stages = std::vector<int>;  // per node

// Finish times for a given stage assignment; operands from earlier stages arrive at 0.
std::vector<double> finish_times(const AdderGraph& g, const Stages& stage,
                                 const std::vector<double>& delay) {
  std::vector<double> finish(g.nodes.size(), 0);
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    double t = 0;
    for_each_operand(n, [&](const Operand& operand) {
      const auto o = static_cast<std::size_t>(operand.node);
      if (!is_const(g.nodes[o]) && stage[o] == stage[id]) t = std::max(t, finish[o]);
    });
    finish[id] = t + delay[id];
  }
  return finish;
}

// ASAP stages for stage delay T; returns the number of the last stage used.
int asap(const AdderGraph& g, Stages& stage, const std::vector<double>& delay, double t_max) {
  std::vector<double> finish(g.nodes.size(), 0);
  int last = 0;
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    int s = 0;
    for_each_operand(n, [&](const Operand& operand) {
      const auto o = static_cast<std::size_t>(operand.node);
      if (!is_const(g.nodes[o])) s = std::max(s, stage[o]);
    });
    double t = 0;
    for_each_operand(n, [&](const Operand& operand) {
      const auto o = static_cast<std::size_t>(operand.node);
      if (!is_const(g.nodes[o]) && stage[o] == s) t = std::max(t, finish[o]);
    });
    if (t + delay[id] > t_max && t > 0) {
      ++s;
      t = 0;
    }
    stage[id] = is_const(n) ? 0 : s;
    finish[id] = t + delay[id];
    last = std::max(last, stage[id]);
  }
  return last;
}

// As-late-as-possible stages for stage delay T, filling stages from the
// outputs backwards (inputs stay in stage 0 and are carried by registers).
// Returns false when some node would need a stage before 0.
bool alap(const AdderGraph& g, int latency, Stages& out, const std::vector<double>& delay,
          double t_max) {
  const std::size_t n = g.nodes.size();
  std::vector<int> stage(n, latency);
  std::vector<double> tail(n, 0);  // delay from the node's input to its stage's end
  const auto users = sched::node_users(g);
  for (std::size_t id = n; id-- > 0;) {
    const Node& node = g.nodes[id];
    if (is_const(node)) {
      out[id] = 0;
      continue;
    }
    int s = latency;
    for (int u : users[id])
      if (!is_const(g.at(u))) s = std::min(s, stage[static_cast<std::size_t>(u)]);
    double t = 0;
    for (int u : users[id])
      if (!is_const(g.at(u)) && stage[static_cast<std::size_t>(u)] == s)
        t = std::max(t, tail[static_cast<std::size_t>(u)]);
    if (node.kind == NodeKind::Input) {
      stage[id] = 0;
      out[id] = 0;
      continue;
    }
    if (t + delay[id] > t_max && t > 0) {
      --s;
      t = 0;
    }
    if (s < 0) return false;
    stage[id] = s;
    tail[id] = t + delay[id];
    out[id] = s;
  }
  return true;
}

std::vector<double> node_delays(const AdderGraph& g, const Target& target) {
  std::vector<double> d;
  for (const Node& n : g.nodes) d.push_back(target.node_delay(g, n));
  return d;
}

// Latest stage each node's value is needed at (its own stage if unused).
std::vector<int> last_use(const AdderGraph& g, const Stages& stage, int latency) {
  std::vector<int> use = stage;
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    for_each_operand(g.nodes[id], [&](const Operand& operand) {
      auto& u = use[static_cast<std::size_t>(operand.node)];
      u = std::max(u, stage[id]);
    });
  for (const Operand& o : g.outputs) use[static_cast<std::size_t>(o.node)] = latency;
  return use;
}

double worst_stage(const AdderGraph& g, const Stages& stage, const std::vector<double>& delay) {
  const auto finish = finish_times(g, stage, delay);
  return finish.empty() ? 0 : *std::max_element(finish.begin(), finish.end());
}

// Bits of an adder's registers that copy its operand's: the low bits it passes
// through are that operand's wires, and where the operand is registered across
// the same ranks synthesis keeps one flip-flop for both.
int shared_register_bits(const AdderGraph& g, const Stages& stage, const std::vector<int>& use,
                         const std::vector<BitSpan>& live, std::size_t id) {
  const Node& n = g.nodes[id];
  const int k = passed_through_bits(g, n);
  if (k <= 0) return 0;
  const Operand& low = operand_offset(g, n, n.a()) == 0 ? n.a() : n.b();
  const auto p = static_cast<std::size_t>(low.node);
  const int ranks = std::min(use[id], use[p]) - stage[id];
  const int lo = std::max(live[id].low, live[p].low);
  const int hi = std::min({k, live[id].top, live[p].top, g.nodes[p].type.width()});
  return ranks > 0 && hi > lo ? ranks * (hi - lo) : 0;
}

int count_register_bits(const AdderGraph& g, const Stages& stage, int latency) {
  const auto use = last_use(g, stage, latency);
  const auto live = demanded_bits(g);
  int bits = 0;
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    if (is_const(g.nodes[id])) continue;
    bits += live[id].width() * (use[id] - stage[id]);
  }
  return bits;
}

// Of those, the bits that copy another register's (shared_register_bits).
int count_copied_register_bits(const AdderGraph& g, const Stages& stage, int latency) {
  const auto use = last_use(g, stage, latency);
  const auto live = demanded_bits(g);
  int bits = 0;
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    bits += shared_register_bits(g, stage, use, live, id);
  return bits;
}

// Moves nodes one stage later while that saves register bits and every stage
// still meets t_max.  Each candidate move is checked locally: the register
// change touches only the node and its operands, the timing change only the
// node's fan-out cone inside its new stage.
void reduce_register_bits(const AdderGraph& g, int latency, Stages& stage,
                          const std::vector<double>& delay, double t_max) {
  const std::size_t n_nodes = g.nodes.size();
  const auto users = sched::node_users(g);
  std::vector<int> use = last_use(g, stage, latency);
  std::vector<double> finish = finish_times(g, stage, delay);
  const auto live = demanded_bits(g);
  const auto bits = [&](int id) { return live[static_cast<std::size_t>(id)].width(); };
  const auto stage_of = [&](int id) { return stage[static_cast<std::size_t>(id)]; };
  std::map<int, double> changed;  // tentative finish times of the moved node's cone

  for (int sweep = 0; sweep < 8; ++sweep) {
    bool moved = false;
    for (std::size_t id = n_nodes; id-- > 0;) {
      const Node& n = g.nodes[id];
      if (n.kind == NodeKind::Input || is_const(n)) continue;
      int limit = latency;
      for (int u : users[id])
        if (!is_const(g.at(u))) limit = std::min(limit, stage_of(u));  // known values read nothing
      const int s = stage[id];
      if (s >= limit) continue;
      int delta = -bits(static_cast<int>(id));
      std::vector<int> operands;
      for_each_operand(n, [&](const Operand& operand) {
        const int o = operand.node;
        if (!is_const(g.at(o)) && std::find(operands.begin(), operands.end(), o) == operands.end())
          operands.push_back(o);
      });
      for (int o : operands)
        delta += bits(o) * (std::max(use[static_cast<std::size_t>(o)], s + 1) -
                            use[static_cast<std::size_t>(o)]);
      if (delta >= 0) continue;

      // Timing of stage s + 1 with the node moved in (its operands now all arrive registered).
      changed.clear();
      changed[static_cast<int>(id)] = delay[id];
      bool fits = delay[id] <= t_max + 1e-9;
      for (auto it = changed.begin(); fits && it != changed.end(); ++it) {
        for (int v : users[static_cast<std::size_t>(it->first)]) {
          const Node& vn = g.at(v);
          if (stage_of(v) != s + 1) continue;
          double t = 0;
          for_each_operand(vn, [&](const Operand& operand) {
            const int o = operand.node;
            const Node& on = g.at(o);
            const bool in_stage =
                (o == static_cast<int>(id)) || (!is_const(on) && stage_of(o) == s + 1);
            if (!in_stage) return;
            const auto c = changed.find(o);
            t = std::max(t, c != changed.end() ? c->second : finish[static_cast<std::size_t>(o)]);
          });
          const double f = t + delay[static_cast<std::size_t>(v)];
          if (f > t_max + 1e-9) {
            fits = false;
            break;
          }
          if (f > finish[static_cast<std::size_t>(v)] + 1e-12) changed[v] = f;
        }
      }
      if (!fits) continue;
      stage[id] = s + 1;
      for (const auto& [v, f] : changed) finish[static_cast<std::size_t>(v)] = f;
      for (int o : operands)
        use[static_cast<std::size_t>(o)] = std::max(use[static_cast<std::size_t>(o)], s + 1);
      moved = true;
    }
    if (!moved) break;
  }
}

}  // namespace

Schedule combinational_schedule(const AdderGraph& g) {
  Schedule s;
  s.stage.assign(g.nodes.size(), 0);
  return s;
}

int register_bits(const AdderGraph& g, const Schedule& s) {
  return count_register_bits(g, s.stage, s.latency);
}

int apply_ternary_fusion(AdderGraph& g, const Schedule& s, const Target& target) {
  const auto pairs =
      s.ternary ? target.ternary_pairs(g, s.stage) : std::vector<std::pair<int, int>>{};
  for (Node& n : g.nodes) n.ternary_inner = -1;
  for (const auto& [inner, outer] : pairs) g.at(outer).ternary_inner = inner;
  return static_cast<int>(pairs.size());
}

namespace {

// The least worst-stage delay (register overhead excluded) that `latency` ranks
// allow: a binary search on T with the ASAP cut, whose stages it leaves in `stage`.
double least_stage_delay(const AdderGraph& g, Stages& stage, const std::vector<double>& delay,
                         int latency) {
  stage.assign(g.nodes.size(), 0);
  const double total = std::max(worst_stage(g, stage, delay), 1e-6);  // everything in one stage
  if (latency == 0) return total;
  double lo = *std::max_element(delay.begin(), delay.end()), hi = total;
  lo = std::max(lo, total / (latency + 1)) - 1e-9;
  if (asap(g, stage, delay, lo) <= latency) hi = lo;
  for (int iter = 0; iter < 60 && hi - lo > 1e-6; ++iter) {
    const double mid = 0.5 * (lo + hi);
    (asap(g, stage, delay, mid) <= latency ? hi : lo) = mid;
  }
  asap(g, stage, delay, hi);
  return worst_stage(g, stage, delay);  // the least worst stage, exactly
}

// The fallback for graphs too large for the exact placement: from an ASAP and an
// ALAP start, nodes move later where that saves register bits; the cheaper wins.
void heuristic_register_stages(const AdderGraph& g, int latency, Stages& stage,
                               const std::vector<double>& delay, double t_max) {
  asap(g, stage, delay, t_max);
  reduce_register_bits(g, latency, stage, delay, t_max);
  const Stages asap_stages = stage;
  const int asap_bits = count_register_bits(g, stage, latency);
  if (!alap(g, latency, stage, delay, t_max) || worst_stage(g, stage, delay) > t_max + 1e-9 ||
      (reduce_register_bits(g, latency, stage, delay, t_max),
       count_register_bits(g, stage, latency) >= asap_bits)) {
    stage = asap_stages;
  }
}

// Node delays with fused pairs {inner, outer}: the inner adder of a ternary adder adds
// only the LUT level that forms its carry-save carry (O5), not a carry chain of its own.
std::vector<double> ternary_delays(const AdderGraph& g,
                                   const std::vector<std::pair<int, int>>& pairs,
                                   const Target& target) {
  auto delay = node_delays(g, target);
  for (const auto& pair : pairs)
    delay[static_cast<std::size_t>(pair.first)] = target.delays().route_ns + target.delays().lut_ns;
  return delay;
}

// Stage delays of a stage assignment (register overhead included when pipelined),
// on the graph as it will be emitted (fused pairs marked, for the register bits).
Schedule describe(const AdderGraph& g, Stages stage, int latency, const std::vector<double>& delay,
                  const Target& target, bool exact) {
  Schedule s;
  s.latency = latency;
  s.exact_registers = exact;
  s.stage_delay_ns.assign(static_cast<std::size_t>(latency) + 1, 0);
  const auto finish = finish_times(g, stage, delay);
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    auto& d = s.stage_delay_ns[static_cast<std::size_t>(stage[id])];
    d = std::max(d, finish[id]);
  }
  for (std::size_t k = 0; k < s.stage_delay_ns.size(); ++k) {
    // Segments that start or end at a register pay its overhead.
    if (latency > 0) s.stage_delay_ns[k] += target.delays().register_ns;
    s.period_ns = std::max(s.period_ns, s.stage_delay_ns[k]);
  }
  s.register_bits = count_register_bits(g, stage, latency);
  s.copied_register_bits = count_copied_register_bits(g, stage, latency);
  s.stage = std::move(stage);
  return s;
}

using Pairs = std::vector<std::pair<int, int>>;  // fused adders {inner, outer}

// A ternary placement and the graph with its pairs marked (what it costs in LUTs).
struct TernaryPlacement {
  Schedule schedule;
  AdderGraph fused;
};

// The stage delays and register bits of `stage` with `pairs` fused.
TernaryPlacement fused_placement(const AdderGraph& g, Stages stage, const Pairs& pairs, int latency,
                                 const Target& target, bool exact) {
  TernaryPlacement p{{}, g};
  for (Node& n : p.fused.nodes) n.ternary_inner = -1;
  for (const auto& [inner, outer] : pairs) p.fused.at(outer).ternary_inner = inner;
  p.schedule =
      describe(p.fused, std::move(stage), latency, ternary_delays(g, pairs, target), target, exact);
  p.schedule.ternary = true;
  return p;
}

// The ternary-aware placement: the pairs a combinational design would fuse, each
// kept in one stage and timed as one ternary adder; exact placement only.  Returns
// nothing when that placement fails or the pairs that really fuse afterwards do not
// keep every stage within the budget.
std::optional<TernaryPlacement> ternary_schedule(const AdderGraph& g, int latency,
                                                 const Target& target, double stage_slack,
                                                 std::optional<double> period_ns,
                                                 std::size_t exact_work) {
  const auto pairs = target.ternary_pairs(g, Stages(g.nodes.size(), 0));
  const auto delay = ternary_delays(g, pairs, target);
  Stages stage;
  double t_max = least_stage_delay(g, stage, delay, latency) * (1.0 + stage_slack);
  if (period_ns) {
    const double budget = *period_ns - target.delays().register_ns;
    if (budget < t_max - 1e-9) return std::nullopt;
    t_max = budget;
  }
  if (!sched::min_register_stages(g, latency, stage, delay, t_max, pairs, exact_work))
    return std::nullopt;
  const Pairs fused = target.ternary_pairs(g, stage);
  if (worst_stage(g, stage, ternary_delays(g, fused, target)) > t_max + 1e-9) return std::nullopt;
  return fused_placement(g, std::move(stage), fused, latency, target, true);
}

}  // namespace

double least_period(const AdderGraph& g, int latency, const Target& target) {
  Stages stage;
  return least_stage_delay(g, stage, node_delays(g, target), latency) +
         (latency > 0 ? target.delays().register_ns : 0.0);
}
double slowest_operator_period(const AdderGraph& g, const Target& target) {
  // As many ranks as nodes: every operator can sit alone between registers.
  return least_period(g, static_cast<int>(g.nodes.size()), target);
}

std::string period_miss_message(int latency, double period_ns, const Target& target, double least,
                                int needed, double slowest) {
  std::ostringstream msg;
  msg << std::setprecision(3) << "--pipeline " << latency << " cannot meet a " << period_ns
      << " ns clock on " << target.name() << " (its least estimated period is " << least
      << " ns); ";
  if (needed < 0) {
    msg << "no latency meets it (its slowest operator between registers needs " << slowest
        << " ns)";
  } else {
    msg << "--pipeline " << needed << " meets it";
  }
  return msg.str();
}

namespace {

// Placement for two-input adders; with `ternary` the pairs that end up in one
// stage are fused afterwards (never slower than the two adders), and `fused` (if
// given) receives the graph with them marked.
Schedule two_input_schedule(const AdderGraph& g, int latency, const Target& target,
                            double stage_slack, std::optional<double> period_ns, bool ternary,
                            std::size_t exact_work, AdderGraph* fused = nullptr) {
  const auto delay = node_delays(g, target);
  Stages stage;
  double best =
      least_stage_delay(g, stage, delay, latency) * (latency > 0 ? 1.0 + stage_slack : 1.0);
  bool exact = true;
  if (period_ns) {
    // Stage delays below exclude the register overhead the period includes.
    const double budget = *period_ns - (latency > 0 ? target.delays().register_ns : 0.0);
    if (budget < best - 1e-9) {
      const int needed = latency_for_period(g, *period_ns, target);
      throw ToolError(period_miss_message(latency, *period_ns, target,
                                          best + (latency > 0 ? target.delays().register_ns : 0.0),
                                          needed, slowest_operator_period(g, target)));
    }
    best = budget;
  }
  if (latency > 0) {
    exact = sched::min_register_stages(g, latency, stage, delay, best, {}, exact_work) &&
            worst_stage(g, stage, delay) <= best + 1e-9;
    if (!exact) heuristic_register_stages(g, latency, stage, delay, best);
  } else {
    stage.assign(g.nodes.size(), 0);
  }

  if (!ternary) return describe(g, std::move(stage), latency, delay, target, exact);
  const Pairs pairs = target.ternary_pairs(g, stage);
  TernaryPlacement p = fused_placement(g, std::move(stage), pairs, latency, target, exact);
  if (fused) *fused = std::move(p.fused);
  return p.schedule;
}

Schedule place(const AdderGraph& g, int latency, const Target& target, double stage_slack,
               std::optional<double> period_ns, bool ternary, std::size_t exact_work) {
  if (!ternary || latency == 0)
    return two_input_schedule(g, latency, target, stage_slack, period_ns, ternary, exact_work);
  // Both placements compete on adder LUTs + register bits: keeping pairs together
  // saves LUTs and stage delay but constrains where registers may go.
  std::optional<TernaryPlacement> together =
      ternary_schedule(g, latency, target, stage_slack, period_ns, exact_work);
  if (!together)
    return two_input_schedule(g, latency, target, stage_slack, period_ns, true, exact_work);
  std::optional<Schedule> after;
  AdderGraph fused;
  try {
    after =
        two_input_schedule(g, latency, target, stage_slack, period_ns, true, exact_work, &fused);
  } catch (const ToolError&) {  // only the ternary timing meets the period
  }
  if (after && target.adder_luts(fused) + after->register_bits <=
                   target.adder_luts(together->fused) + together->schedule.register_bits)
    return *after;
  return std::move(together->schedule);
}

}  // namespace

Schedule schedule_pipeline(const AdderGraph& g, int latency, const Target& target,
                           double stage_slack, std::optional<double> period_ns, bool ternary,
                           std::size_t exact_work) {
  // The placement reads the demanded bits of the graph without fused pairs.
  if (std::any_of(g.nodes.begin(), g.nodes.end(),
                  [](const Node& n) { return n.ternary_inner >= 0; })) {
    AdderGraph plain = g;
    for (Node& n : plain.nodes) n.ternary_inner = -1;
    return place(plain, latency, target, stage_slack, period_ns, ternary, exact_work);
  }
  return place(g, latency, target, stage_slack, period_ns, ternary, exact_work);
}

int latency_for_period(const AdderGraph& g, double period_ns, const Target& target) {
  Stages stage(g.nodes.size(), 0);
  const auto delay = node_delays(g, target);
  const double budget = period_ns - target.delays().register_ns;
  if (budget <= 0) return -1;
  for (double d : delay)
    if (d > budget) return -1;
  const double total = worst_stage(g, stage, delay);
  if (total + target.delays().register_ns <= period_ns && total <= period_ns) return 0;
  return asap(g, stage, delay, budget);
}

}  // namespace dagen
