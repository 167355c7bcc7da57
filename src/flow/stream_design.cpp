// build_stream_design: a streamed convolution's kernel and tail built as designs
// of their own (build_design), joined by the top module of stream_verilog.
#include "stream_design.hpp"

#include <algorithm>

#include "dagen/diag.hpp"
#include "dagen/lower.hpp"
#include "dagen/report.hpp"
#include "dagen/schedule.hpp"
#include "dagen/serial.hpp"
#include "dagen/stream.hpp"
#include "dagen/stream_verilog.hpp"

namespace dagen {

int word_level_luts(const AdderGraph& g) {
  int luts = 0;
  for (const Node& n : g.nodes)
    if (!serial::is_literal(n) && !is_serial_kind(n.kind) && n.kind != NodeKind::Input)
      luts += std::max(1, n.type.width());
  return luts;
}

int estimated_luts(const Design& d) {
  for (const char* key : {"stream", "serial"})
    if (d.report.contains(key)) return d.report.at(key).at("estimated_luts").get<int>();
  return d.report.at("stats").at("adder_luts").get<int>() + word_level_luts(d.graph);
}

namespace {

// Whether its module has a clk port: every serial or streamed design, a pipelined one.
bool clocked(const Design& d) {
  return d.report.contains("serial") || d.report.contains("stream") || d.schedule.latency > 0;
}

// Per kernel output, the format the gathered feature map holds it in.
std::vector<FixedType> output_formats(const Design& kernel) {
  std::vector<FixedType> f;
  for (const Operand& o : kernel.graph.outputs) f.push_back(operand_type(kernel.graph, o));
  return f;
}

Design build_kernel(const StreamSplit& s, const FlowOptions& options, const std::string& top,
                    std::optional<double> period) {
  FlowOptions k = options;
  k.ii = 1;
  k.valid = false;
  k.top = top + "_kernel";
  k.clock_period_ns = period;
  k.pipeline_given = !period;
  k.pipeline = 0;
  return build_design(s.kernel, k);
}

}  // namespace

std::optional<Design> build_stream_design(const Model& model, const FlowOptions& options,
                                          const std::string& top, const AdderGraph& whole,
                                          const Target& target) {
  std::optional<StreamSplit> s = split_stream(model, {}, options.ii);
  if (!s || s->shift_register_bits() == 0) return std::nullopt;
  if (s->cycles > options.ii) throw InternalError("a streamed design slower than its K");
  // The kernel's output formats (they depend on its graph, not on its pipeline)
  // are the tail's input formats; the tail's clock is then the kernel's.
  // A kernel or tail that misses --clock-period leaves the choice to the other designs.
  std::optional<Design> first;
  try {
    first = build_kernel(*s, options, top, options.clock_period_ns);
  } catch (const ToolError&) {
    return std::nullopt;
  }
  Design kernel = std::move(*first);
  s = split_stream(model, output_formats(kernel), options.ii);
  FlowOptions t = options;
  t.top = top + "_tail";
  t.valid = true;
  std::optional<Design> built_tail;
  try {
    built_tail = build_design(s->tail, t);
  } catch (const ToolError&) {
    return std::nullopt;
  }
  Design tail = std::move(*built_tail);
  const DelayModel& m = target.delays();
  const double load = m.route_ns + m.lut_ns + m.register_ns;  // the shift register's load mux
  if (!options.clock_period_ns) {
    const double period =
        std::max({tail.schedule.period_ns, load, slowest_operator_period(kernel.graph, target)});
    // A hair above the slowest operator: the pipeliner compares with rounding.
    Design paced = build_kernel(*s, options, top, period + 1e-6);
    if (output_formats(paced) != output_formats(kernel))
      throw InternalError("a streamed kernel's output formats depend on its pipeline");
    kernel = std::move(paced);
  }
  // The prefix: its own combinational design, read in the x_valid cycle.
  std::optional<Design> prefix;
  if (!s->prefix.nodes.empty()) {
    FlowOptions p = options;
    p.ii = 1;
    p.valid = false;
    p.top = top + "_prefix";
    p.clock_period_ns.reset();
    p.pipeline_given = true;
    p.pipeline = 0;
    prefix = build_design(s->prefix, p);
  }
  const double prefix_ns = prefix ? prefix->schedule.period_ns : 0.0;
  const int latency_k = kernel.schedule.latency;
  const int tail_start = s->cycles + latency_k + 1;

  Design d;
  d.top = top;
  d.graph = whole;
  d.initiation_interval =
      serial::divisor_at_least(options.ii, std::max(s->cycles, tail.initiation_interval));
  d.schedule = combinational_schedule(d.graph);
  d.schedule.latency = tail_start + tail.schedule.latency;
  d.schedule.period_ns =
      std::max({kernel.schedule.period_ns, tail.schedule.period_ns, load + prefix_ns});
  if (options.clock_period_ns && d.schedule.period_ns > *options.clock_period_ns + 1e-9)
    return std::nullopt;  // the prefix's path into the shift register is too slow
  d.schedule.stage_delay_ns = {d.schedule.period_ns};
  const int gathered = static_cast<int>(element_count(s->tail.inputs[0].shape));
  int gathered_bits = 0;
  for (const FixedType& f : s->tail.input_types) gathered_bits += std::max(0, f.width());
  d.schedule.register_bits = s->shift_register_bits() + gathered_bits + tail_start +
                             s->used_instances() * kernel.schedule.flip_flops() +
                             tail.schedule.flip_flops();
  // The load multiplexer: two bits per LUT6_2 on Xilinx (dagen_load), else one per bit.
  const int load_luts =
      target.has_ternary_adders() ? (s->shift_register_bits() + 1) / 2 : s->shift_register_bits();
  const int luts = s->used_instances() * (kernel.report.at("stats").at("adder_luts").get<int>() +
                                          word_level_luts(kernel.graph)) +
                   load_luts + (prefix ? word_level_luts(prefix->graph) : 0) + estimated_luts(tail);

  const std::string header = "// Generated by da-gen " + std::string(kVersion) + " from model '" +
                             verilog_comment_text(model.name) + "'.\n// Options: ii " +
                             std::to_string(options.ii) + ", target " + options.target +
                             ": a streamed convolution (" + kernel.top + ") and the tail " +
                             tail.top + ".\n";
  const StreamParts parts{*s,
                          prefix ? prefix->top : "",
                          prefix ? &prefix->emitted : nullptr,
                          kernel.top,
                          kernel.emitted,
                          latency_k,
                          clocked(kernel),
                          tail.top,
                          tail.emitted,
                          clocked(tail),
                          tail_start,
                          whole};
  d.emitted = emit_stream_verilog(parts, target, top, header);
  d.report = interface_report(top, d.graph, d.schedule, d.emitted, target);
  d.report["stream"] = {
      {"convolution", model.nodes[static_cast<std::size_t>(s->conv_node)].name},
      {"streamed_nodes", s->chain_nodes},
      {"prefix_nodes", s->prefix.nodes.size()},
      {"positions", s->positions()},
      {"kernel_instances", s->used_instances()},
      {"cycles", s->cycles},
      {"shift_register_bits", s->shift_register_bits()},
      {"gathered_elements", gathered},
      {"estimated_luts", luts},
      {"flip_flops", d.schedule.register_bits},
      {"kernel",
       {{"top", kernel.top},
        {"adders", kernel.report.at("stats").at("adders")},
        {"adder_luts", kernel.report.at("stats").at("adder_luts")},
        {"latency_cycles", latency_k},
        {"estimated_period_ns", kernel.report.at("pipeline").at("estimated_period_ns")}}},
      {"tail",
       {{"top", tail.top},
        {"initiation_interval", tail.initiation_interval},
        {"latency_cycles", tail.schedule.latency},
        {"estimated_luts", estimated_luts(tail)},
        {"estimated_period_ns", tail.report.at("pipeline").at("estimated_period_ns")},
        {"architecture", tail.report.at("architecture")}}}};
  return d;
}

}  // namespace dagen
