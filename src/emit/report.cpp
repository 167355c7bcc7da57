// <top>.json: ports (offset, width, signedness, binary point of every element),
// latency, adder statistics and the pipeline's estimated stage delays.
#include "dagen/report.hpp"

#include <cmath>

#include "dagen/diag.hpp"

namespace dagen {

namespace {

nlohmann::json elements(const std::vector<PortElement>& list) {
  auto out = nlohmann::json::array();
  for (const PortElement& e : list)
    out.push_back({{"offset", e.offset},
                   {"width", e.width},
                   {"signed", e.is_signed},
                   {"frac_bits", e.frac_bits}});
  return out;
}

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

nlohmann::json interface_report(const std::string& top, const AdderGraph& g, const Schedule& s,
                                const EmittedDesign& design, const Target& target) {
  const GraphStats st = target.graph_stats(g);
  int x_bits = 0, y_bits = 0;
  for (const auto& e : design.inputs) x_bits += e.width;
  for (const auto& e : design.outputs) y_bits += e.width;
  auto stages = nlohmann::json::array();
  for (double d : s.stage_delay_ns) stages.push_back(round3(d));
  return {
      {"top", top},
      {"model", g.name},
      {"latency_cycles", s.latency},
      {"clocked", s.latency > 0},
      {"x_width", x_bits},
      {"y_width", y_bits},
      {"inputs", elements(design.inputs)},
      {"outputs", elements(design.outputs)},
      {"stats",
       {{"adders", st.adders},
        {"adder_bits", st.adder_bits},
        {"adder_luts", st.adder_luts},
        {"adder_depth", st.adder_depth},
        {"ternary_adders", st.ternary_adders},
        {"negations", st.negations},
        {"relus", st.relus},
        {"quantizers", st.quantizers},
        {"comparators", st.comparators},
        {"muxes", st.muxes},
        {"lookups", st.lookups},
        {"register_bits", s.flip_flops()}}},
      {"pipeline",
       {{"target", std::string(target.name())},
        {"stage_delay_ns", stages},
        {"estimated_period_ns", round3(s.period_ns)},
        {"register_bits", s.flip_flops()},
        {"register_placement", s.exact_registers ? "exact" : "heuristic"}}},
  };
}

namespace {

const char* kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Input:
      return "input";
    case NodeKind::Const:
      return "const";
    case NodeKind::Add:
      return "add";
    case NodeKind::Neg:
      return "neg";
    case NodeKind::Relu:
      return "relu";
    case NodeKind::Quantize:
      return "quantize";
    case NodeKind::Ge:
      return "ge";
    case NodeKind::Mux:
      return "mux";
    case NodeKind::Lookup:
      return "lookup";
  }
  return "?";
}

nlohmann::json operand_json(const Operand& o) { return {{"node", o.node}, {"shift", o.shift}}; }

}  // namespace

nlohmann::json graph_to_json(const AdderGraph& g, const Schedule& s) {
  auto nodes = nlohmann::json::array();
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    nlohmann::json j = {{"id", id},
                        {"kind", kind_name(n.kind)},
                        {"type", to_string(n.type)},
                        {"lo", to_string(n.lo)},
                        {"hi", to_string(n.hi)},
                        {"stage", s.stage.at(id)}};
    if (n.kind == NodeKind::Input) j["input"] = n.input_index;
    if (n.kind == NodeKind::Const) j["code"] = to_string(n.const_code);
    if (!n.operands.empty()) {
      auto operands = nlohmann::json::array();
      for_each_operand(n, [&](const Operand& o) { operands.push_back(operand_json(o)); });
      j["operands"] = std::move(operands);
    }
    if (n.kind == NodeKind::Add) {
      j["sub"] = n.sub;
      if (n.ternary_inner >= 0) j["ternary_inner"] = n.ternary_inner;  // fused with this operand
    }
    if (n.kind == NodeKind::Quantize) {
      j["to"] = to_string(n.quant_to);
      j["rounding"] = to_string(n.rounding);
      j["overflow"] = to_string(n.overflow);
    }
    if (n.kind == NodeKind::Lookup) j["table"] = n.table;  // an index into "tables"
    if (n.layer >= 0) {
      j["layer"] = n.layer;
      j["coeffs"] = n.coeffs;
      j["coeff_exp"] = n.coeff_exp;
    }
    nodes.push_back(std::move(j));
  }
  auto outputs = nlohmann::json::array();
  for (const Operand& o : g.outputs) outputs.push_back(operand_json(o));
  nlohmann::json j = {
      {"name", g.name}, {"latency", s.latency}, {"nodes", nodes}, {"outputs", outputs}};
  if (!g.tables.empty()) {  // the lookups' tables: codes as decimal strings, like lo and hi
    auto tables = nlohmann::json::array();
    for (const LookupTable& t : g.tables) {
      auto values = nlohmann::json::array();
      for (const i128 v : t.values) values.push_back(to_string(v));
      tables.push_back(
          {{"in_lo", to_string(t.in_lo)}, {"out_frac", t.out_frac}, {"values", values}});
    }
    j["tables"] = std::move(tables);
  }
  return j;
}

namespace {

// Text inside a DOT double-quoted string: " and \ escaped, a newline as DOT's
// \n, other control bytes spelled \xNN.  UTF-8 stays (DOT's default charset;
// names come from JSON, which the parser checked is valid UTF-8).
std::string dot_quoted(const std::string& text) {
  return "\"" + escaped(text, "\"\\", false, "\\\\x") + "\"";
}

}  // namespace

std::string graph_to_dot(const AdderGraph& g) {
  std::string dot = "digraph " + dot_quoted(g.name) + " {\n  rankdir=LR;\n";
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    std::string label = std::string(kind_name(n.kind));
    if (n.kind == NodeKind::Add) label = n.sub ? "-" : "+";
    if (n.kind == NodeKind::Input) label = "x" + std::to_string(n.input_index);
    if (n.kind == NodeKind::Const) label = to_string(n.const_code);
    if (n.kind == NodeKind::Ge) label = ">=";
    if (n.kind == NodeKind::Mux) label = "mux";
    if (n.kind == NodeKind::Lookup) label = "lookup t" + std::to_string(n.table);
    dot += "  n" + std::to_string(id) + " [label=\"" + label + "\\n" + to_string(n.type) + "\"];\n";
    // Which operand an edge is, where the order matters beyond a - b: a >= b, sel ? a : b.
    static const char* const kGe[] = {"a", "b"};
    static const char* const kMux[] = {"sel", "1", "0"};
    std::size_t k = 0;
    auto edge = [&](const Operand& o) {
      dot += "  n" + std::to_string(o.node) + " -> n" + std::to_string(id);
      std::string text = n.kind == NodeKind::Ge ? kGe[k] : n.kind == NodeKind::Mux ? kMux[k] : "";
      if (o.shift != 0) text += (text.empty() ? "<<" : " <<") + std::to_string(o.shift);
      if (!text.empty()) dot += " [label=\"" + text + "\"]";
      dot += ";\n";
      ++k;
    };
    for_each_operand(n, edge);
  }
  for (std::size_t k = 0; k < g.outputs.size(); ++k)
    dot += "  y" + std::to_string(k) + " [shape=box];\n  n" + std::to_string(g.outputs[k].node) +
           " -> y" + std::to_string(k) + ";\n";
  return dot + "}\n";
}

}  // namespace dagen
