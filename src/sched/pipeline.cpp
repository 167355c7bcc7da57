// Pipeline register placement.
//
// 1. Binary search on the stage delay T: an as-soon-as-possible pass cuts a
//    path with a register rank whenever adding the next node would exceed T;
//    the least T that fits in latency + 1 segments is the optimum for this
//    cut rule (nodes are atomic).
// 2. At that T, nodes move to later stages whenever the move keeps every
//    stage within T and lowers the register bits (a wide sum is registered
//    instead of its narrower operands only if that is cheaper).
// Constants never need registers; every output is taken at the last stage.
#include <algorithm>
#include <cmath>

#include "dagen/schedule.hpp"

namespace dagen {

namespace {

bool is_const(const Node& n) { return n.kind == NodeKind::Const || n.type.width() == 0; }

template <typename F>
void for_each_operand(const Node& n, F&& f) {
  switch (n.kind) {
    case NodeKind::Input:
    case NodeKind::Const:
      return;
    case NodeKind::Add:
      f(n.a.node);
      f(n.b.node);
      return;
    default:
      f(n.a.node);
  }
}

// Finish times for a given stage assignment; operands from earlier stages arrive at 0.
std::vector<double> finish_times(const AdderGraph& g, const std::vector<double>& delay) {
  std::vector<double> finish(g.nodes.size(), 0);
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    double t = 0;
    for_each_operand(n, [&](int o) {
      const Node& on = g.at(o);
      if (!is_const(on) && on.stage == n.stage) t = std::max(t, finish[static_cast<std::size_t>(o)]);
    });
    finish[id] = t + delay[id];
  }
  return finish;
}

// ASAP stages for stage delay T; returns the number of the last stage used.
int asap(AdderGraph& g, const std::vector<double>& delay, double t_max) {
  std::vector<double> finish(g.nodes.size(), 0);
  int last = 0;
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    Node& n = g.nodes[id];
    int stage = 0;
    for_each_operand(n, [&](int o) {
      if (!is_const(g.at(o))) stage = std::max(stage, g.at(o).stage);
    });
    double t = 0;
    for_each_operand(n, [&](int o) {
      const Node& on = g.at(o);
      if (!is_const(on) && on.stage == stage) t = std::max(t, finish[static_cast<std::size_t>(o)]);
    });
    if (t + delay[id] > t_max && t > 0) {
      ++stage;
      t = 0;
    }
    n.stage = is_const(n) ? 0 : stage;
    finish[id] = t + delay[id];
    last = std::max(last, n.stage);
  }
  return last;
}

std::vector<double> node_delays(const AdderGraph& g, const DelayModel& model) {
  std::vector<double> d;
  for (const Node& n : g.nodes) d.push_back(node_delay(g, n, model));
  return d;
}

// Latest stage each node's value is needed at (its own stage if unused).
std::vector<int> last_use(const AdderGraph& g) {
  std::vector<int> use(g.nodes.size());
  for (std::size_t id = 0; id < g.nodes.size(); ++id) use[id] = g.nodes[id].stage;
  for (const Node& n : g.nodes)
    for_each_operand(n, [&](int o) {
      auto& u = use[static_cast<std::size_t>(o)];
      u = std::max(u, n.stage);
    });
  for (const Operand& o : g.outputs) use[static_cast<std::size_t>(o.node)] = g.latency;
  return use;
}

double worst_stage(const AdderGraph& g, const std::vector<double>& delay) {
  const auto finish = finish_times(g, delay);
  return finish.empty() ? 0 : *std::max_element(finish.begin(), finish.end());
}

void reduce_register_bits(AdderGraph& g, const std::vector<double>& delay, double t_max) {
  std::vector<std::vector<int>> users(g.nodes.size());
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    for_each_operand(g.nodes[id], [&](int o) { users[static_cast<std::size_t>(o)].push_back(static_cast<int>(id)); });
  int current = register_bits(g);
  for (int sweep = 0; sweep < 4; ++sweep) {
    bool moved = false;
    for (std::size_t id = g.nodes.size(); id-- > 0;) {
      Node& n = g.nodes[id];
      if (n.kind == NodeKind::Input || is_const(n)) continue;
      int limit = g.latency;
      for (int u : users[id]) limit = std::min(limit, g.at(u).stage);
      if (n.stage >= limit) continue;
      const int old = n.stage;
      ++n.stage;
      const int bits = register_bits(g);
      if (bits < current && worst_stage(g, delay) <= t_max + 1e-9) {
        current = bits;
        moved = true;
      } else {
        n.stage = old;
      }
    }
    if (!moved) break;
  }
}

}  // namespace

int register_bits(const AdderGraph& g) {
  const auto use = last_use(g);
  int bits = 0;
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    if (is_const(n)) continue;
    bits += n.type.width() * (use[id] - n.stage);
  }
  return bits;
}

Schedule schedule_pipeline(AdderGraph& g, int latency, const DelayModel& model) {
  g.latency = latency;
  for (Node& n : g.nodes) n.stage = 0;
  const auto delay = node_delays(g, model);
  const double total = std::max(worst_stage(g, delay), 1e-6);  // everything in one stage
  double best = total;
  if (latency > 0) {
    double lo = *std::max_element(delay.begin(), delay.end()), hi = total;
    lo = std::max(lo, total / (latency + 1)) - 1e-9;
    if (asap(g, delay, lo) <= latency) hi = lo;
    for (int iter = 0; iter < 60 && hi - lo > 1e-6; ++iter) {
      const double mid = 0.5 * (lo + hi);
      (asap(g, delay, mid) <= latency ? hi : lo) = mid;
    }
    best = hi;
  }
  if (latency > 0) {
    asap(g, delay, best);
    reduce_register_bits(g, delay, best);
  } else {
    for (Node& n : g.nodes) n.stage = 0;
  }

  Schedule s;
  s.latency = latency;
  s.stage_delay_ns.assign(static_cast<std::size_t>(latency) + 1, 0);
  const auto finish = finish_times(g, delay);
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    auto& d = s.stage_delay_ns[static_cast<std::size_t>(g.nodes[id].stage)];
    d = std::max(d, finish[id]);
  }
  for (std::size_t k = 0; k < s.stage_delay_ns.size(); ++k) {
    // Segments that start or end at a register pay its overhead.
    if (latency > 0) s.stage_delay_ns[k] += model.register_ns;
    s.period_ns = std::max(s.period_ns, s.stage_delay_ns[k]);
  }
  s.register_bits = register_bits(g);
  return s;
}

int latency_for_period(const AdderGraph& g, double period_ns, const DelayModel& model) {
  AdderGraph copy = g;
  for (Node& n : copy.nodes) n.stage = 0;
  const auto delay = node_delays(copy, model);
  const double budget = period_ns - model.register_ns;
  if (budget <= 0) return -1;
  for (double d : delay)
    if (d > budget) return -1;
  const double total = worst_stage(copy, delay);
  if (total + model.register_ns <= period_ns && total <= period_ns) return 0;
  return asap(copy, delay, budget);
}

}  // namespace dagen
