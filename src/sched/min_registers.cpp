// Exact minimum-register stage assignment as a linear program over stage
// numbers, solved through its min-cost-flow dual (the retiming formulation of
// Leiserson and Saxe, "Retiming synchronous circuitry", 1991, with their
// fan-out sharing: one register chain per value, as long as its latest use).
//
// Variables: s(v) the stage of node v, m(v) the last stage v is read in.
// Constraints, all of the form x_j - x_i >= l:
//   0 <= s(v) <= L, s(input) = 0, s(operand) <= s(user), m(v) >= s(v),
//   m(v) >= s(user), m(output) >= L, and s(v) - s(u) >= 1 for every pair
//   whose longest combinational path u..v is slower than t_max (only the
//   first such v on each path: later ones follow from the precedences).
// Objective: sum of width(v) * (m(v) - s(v)), the register bits, width(v) counting
// only the bits of v some output depends on (demanded_bits.hpp).
// The constraint matrix is a network matrix, so the optimum is integral; LEMON's
// network simplex returns it as node potentials of the dual flow problem.
#include "min_registers.hpp"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <cstdint>
#include <functional>
#include <queue>

#include "dagen/demanded_bits.hpp"
#include "graph_walk.hpp"

namespace dagen::sched {

namespace {

constexpr double kEps = 1e-9;
constexpr std::size_t kMaxArcs = 4'000'000;

struct Arc {
  int from;
  int to;
  std::int64_t min_diff;  // x[to] - x[from] >= min_diff
};

// For every node u, the first nodes v downstream whose longest path from u's
// start to v's end exceeds t_max.  Returns false when more than `max_work` cone
// visits would be needed.
bool slow_pairs(const AdderGraph& g, const std::vector<double>& delay, double t_max,
                const std::vector<std::vector<int>>& users, std::size_t max_work,
                std::vector<std::pair<int, int>>& pairs) {
  const std::size_t n = g.nodes.size();
  std::vector<double> dist(n, 0);
  std::vector<std::size_t> stamp(n, SIZE_MAX);  // == u: visited in u's cone
  std::vector<char> frontier(n, 0);
  std::size_t work = 0;
  std::priority_queue<int, std::vector<int>, std::greater<>> queue;
  for (std::size_t u = 0; u < n; ++u) {
    if (is_const(g.nodes[u])) continue;
    queue.push(static_cast<int>(u));
    stamp[u] = u;
    while (!queue.empty()) {
      const auto v = static_cast<std::size_t>(queue.top());
      queue.pop();
      if (++work > max_work) return false;
      double d = 0;
      if (v != u)
        for_each_operand(g.nodes[v], [&](const Operand& operand) {
          const int o = operand.node;
          const auto oi = static_cast<std::size_t>(o);
          if (stamp[oi] == u && !frontier[oi]) d = std::max(d, dist[oi]);
        });
      d += delay[v];
      dist[v] = d;
      frontier[v] = d > t_max + kEps;
      if (frontier[v]) {
        if (v == u) return false;  // a single node slower than the stage
        pairs.emplace_back(static_cast<int>(u), static_cast<int>(v));
        if (pairs.size() > kMaxArcs) return false;
        continue;
      }
      for (int w : users[v]) {
        const auto wi = static_cast<std::size_t>(w);
        if (is_const(g.nodes[wi]) || stamp[wi] == u) continue;
        stamp[wi] = u;
        frontier[wi] = 0;
        queue.push(w);
      }
    }
  }
  return true;
}

// The data every part's problem is built from, computed once for the graph.
struct Problem {
  std::vector<std::vector<int>> users;
  std::vector<std::pair<int, int>> pairs;
  std::vector<BitSpan> live;
  std::vector<char> is_output;
  std::vector<int> local;  // index of a node in the part being solved, else -1
};

// Solves the stages of the nodes in `part`, a union of connected components.
bool solve_part(const AdderGraph& g, int ranks, std::vector<int>& stage, Problem& p,
                const std::vector<int>& part, const std::vector<std::pair<int, int>>& same_stage) {
  for (std::size_t k = 0; k < part.size(); ++k)
    p.local[static_cast<std::size_t>(part[k])] = static_cast<int>(k);
  const auto in_part = [&](int v) { return p.local[static_cast<std::size_t>(v)] >= 0; };
  const auto& users = p.users;
  const auto& live = p.live;
  const auto& is_output = p.is_output;

  // Variable numbering: 0 = the reference (stage 0), then s(v) and m(v) per node.
  const auto s_var = [&](std::size_t v) { return 1 + 2 * p.local[v]; };
  const auto m_var = [&](std::size_t v) { return 2 + 2 * p.local[v]; };
  const int vars = static_cast<int>(1 + 2 * part.size());
  const std::int64_t latency = ranks;
  std::vector<Arc> arcs;
  std::vector<std::int64_t> weight(static_cast<std::size_t>(vars), 0);  // objective coefficients

  for (const int vi : part) {
    const auto v = static_cast<std::size_t>(vi);
    const Node& node = g.nodes[v];
    arcs.push_back({0, s_var(v), 0});
    arcs.push_back({s_var(v), 0, node.kind == NodeKind::Input ? 0 : -latency});
    arcs.push_back({s_var(v), m_var(v), 0});
    if (is_output[v]) arcs.push_back({0, m_var(v), latency});
    for (int w : users[v]) {
      if (is_const(g.at(w))) continue;
      arcs.push_back({s_var(v), s_var(static_cast<std::size_t>(w)), 0});
      arcs.push_back({s_var(static_cast<std::size_t>(w)), m_var(v), 0});
    }
    weight[static_cast<std::size_t>(m_var(v))] += live[v].width();
    weight[static_cast<std::size_t>(s_var(v))] -= live[v].width();
  }
  for (const auto& [u, v] : p.pairs) {
    if (!in_part(u)) continue;
    arcs.push_back({s_var(static_cast<std::size_t>(u)), s_var(static_cast<std::size_t>(v)), 1});
  }
  for (const auto& [u, v] : same_stage) {
    if (!in_part(u)) continue;  // s(v) - s(u) >= 0 and s(u) - s(v) >= 0
    arcs.push_back({s_var(static_cast<std::size_t>(u)), s_var(static_cast<std::size_t>(v)), 0});
    arcs.push_back({s_var(static_cast<std::size_t>(v)), s_var(static_cast<std::size_t>(u)), 0});
  }

  // Dual: max sum(min_diff * flow) with inflow - outflow = weight at every variable.
  lemon::SmartDigraph net;
  net.reserveNode(vars);
  net.reserveArc(static_cast<int>(arcs.size()));
  std::vector<lemon::SmartDigraph::Node> var_node;
  for (int i = 0; i < vars; ++i) var_node.push_back(net.addNode());
  lemon::SmartDigraph::ArcMap<std::int64_t> cost(net);
  for (const Arc& a : arcs) {
    const auto arc = net.addArc(var_node[static_cast<std::size_t>(a.from)],
                                var_node[static_cast<std::size_t>(a.to)]);
    cost[arc] = -a.min_diff;
  }
  lemon::SmartDigraph::NodeMap<std::int64_t> supply(net);
  for (int i = 0; i < vars; ++i)
    supply[var_node[static_cast<std::size_t>(i)]] = -weight[static_cast<std::size_t>(i)];
  lemon::NetworkSimplex<lemon::SmartDigraph, std::int64_t, std::int64_t> simplex(net);
  simplex.costMap(cost).supplyMap(supply);
  if (simplex.run() != decltype(simplex)::OPTIMAL) return false;

  // LEMON's reduced cost is cost + pi(from) - pi(to) >= 0, so x = -pi solves the primal.
  const auto value = [&](int var) {
    return simplex.potential(var_node[0]) -
           simplex.potential(var_node[static_cast<std::size_t>(var)]);
  };
  for (const Arc& a : arcs)
    if (value(a.to) - value(a.from) < a.min_diff)
      return false;  // never expected; keep the heuristic
  for (const int v : part)
    stage[static_cast<std::size_t>(v)] =
        static_cast<int>(value(s_var(static_cast<std::size_t>(v))));
  for (const int v : part) p.local[static_cast<std::size_t>(v)] = -1;
  return true;
}

// Representative of v's set (path halving).
int find(std::vector<int>& parent, int v) {
  while (parent[static_cast<std::size_t>(v)] != v)
    v = parent[static_cast<std::size_t>(v)] =
        parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
  return v;
}

}  // namespace

// The problem separates into the graph's connected components; one network
// simplex over all of them grows about quadratically (65,536 plain wires took
// 100 s at --pipeline 2), so components are solved in parts of a few thousand nodes.
bool min_register_stages(const AdderGraph& g, int latency, std::vector<int>& stage,
                         const std::vector<double>& delay, double t_max,
                         const std::vector<std::pair<int, int>>& same_stage, std::size_t max_work) {
  const std::size_t n = g.nodes.size();
  Problem p;
  p.users = node_users(g);
  if (!slow_pairs(g, delay, t_max, p.users, max_work, p.pairs)) return false;
  p.live = demanded_bits(g);
  p.is_output.assign(n, 0);
  for (const Operand& o : g.outputs) p.is_output[static_cast<std::size_t>(o.node)] = 1;
  p.local.assign(n, -1);

  std::vector<int> parent(n);
  for (std::size_t v = 0; v < n; ++v) parent[v] = static_cast<int>(v);
  const auto unite = [&](int a, int b) {
    parent[static_cast<std::size_t>(find(parent, a))] = find(parent, b);
  };
  for (std::size_t v = 0; v < n; ++v) {
    if (is_const(g.nodes[v])) continue;
    for_each_operand(g.nodes[v], [&](const Operand& operand) {
      const int o = operand.node;
      if (!is_const(g.at(o))) unite(o, static_cast<int>(v));
    });
  }
  for (const auto& [u, v] : same_stage) unite(u, v);
  std::vector<std::vector<int>> components(n);
  for (std::size_t v = 0; v < n; ++v) {
    if (is_const(g.nodes[v])) continue;
    components[static_cast<std::size_t>(find(parent, static_cast<int>(v)))].push_back(
        static_cast<int>(v));
  }
  constexpr std::size_t kPartNodes = 512;
  stage.resize(n, 0);
  const std::vector<int> saved = stage;  // the stages, untouched when a part fails
  std::vector<int> part;
  for (std::size_t c = 0; c <= n; ++c) {
    if (c < n) part.insert(part.end(), components[c].begin(), components[c].end());
    if (part.empty() || (c < n && part.size() < kPartNodes)) continue;
    if (!solve_part(g, latency, stage, p, part, same_stage)) {
      stage = saved;
      return false;
    }
    part.clear();
  }
  for (std::size_t v = 0; v < n; ++v)
    if (is_const(g.nodes[v])) stage[v] = 0;
  return true;
}

}  // namespace dagen::sched
