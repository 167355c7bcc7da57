// Emits the top module of a streamed convolution (include/dagen/stream.hpp):
// the pixel shift register, the kernel instance on its taps, one register per
// output position caught by a clock enable from the x_valid delay line, and the
// tail instance on the gathered feature map.
//
// Signals: ctl_t x_valid delayed by 1, 2, ... cycles; image the prefix's output
// (the convolution's image, when it is not x itself); sr the shift register
// (slot q at bits [q * pixel, (q + 1) * pixel)), sr_load its value in the
// x_valid cycle; window the kernel's input; kernel_y its output; fmap the
// gathered positions (position p at bits [p * kernel y width, ...)); tail_y the
// tail's output, re-aligned to the design's output formats as y.
#include "dagen/stream_verilog.hpp"

#include <algorithm>
#include <sstream>

#include "dagen/diag.hpp"
#include "emit_plan.hpp"

namespace dagen {

namespace {

std::string num(long long v) { return std::to_string(v); }

// `width` bits of a code of format (w, frac, signed) at bit `offset` of `bus`,
// as the code of the same value at `to_frac` (never coarser for inputs; an
// output's dropped low bits are zero): a concatenation, most significant first.
std::string realigned(const std::string& bus, const PortElement& e, int to_frac, int width) {
  std::vector<std::string> parts;  // least significant first
  const int shift = to_frac - e.frac_bits;
  int bit = 0;
  if (shift > 0) {
    const int zeros = std::min(shift, width);
    parts.push_back(num(zeros) + "'d0");
    bit = zeros;
  }
  // Bits bit .. width-1 take source bit (b - shift); those above the source are its fill.
  const int first_src = bit - shift;
  const int copy = std::clamp(e.width - first_src, 0, width - bit);
  if (copy > 0) {
    parts.push_back(bus + "[" + num(e.offset + first_src + copy - 1) + ":" +
                    num(e.offset + first_src) + "]");
    bit += copy;
  }
  if (bit < width) {
    const std::string fill =
        e.is_signed && e.width > 0 ? bus + "[" + num(e.offset + e.width - 1) + "]" : "1'b0";
    parts.push_back("{" + num(width - bit) + "{" + fill + "}}");
  }
  std::string text = "{";
  for (std::size_t k = parts.size(); k-- > 0;) text += parts[k] + (k ? ", " : "");
  return text + "}";
}

int total_width(const std::vector<PortElement>& list) {
  int w = 0;
  for (const PortElement& e : list) w += e.width;
  return w;
}

}  // namespace

EmittedDesign emit_stream_verilog(const StreamParts& parts, const Target& target,
                                  const std::string& top, const std::string& header) {
  const StreamSplit& s = parts.split;
  const int cin = static_cast<int>(s.channels.size());
  std::vector<int> channel_offset(static_cast<std::size_t>(cin) + 1, 0);
  for (int c = 0; c < cin; ++c)
    channel_offset[static_cast<std::size_t>(c) + 1] =
        channel_offset[static_cast<std::size_t>(c)] +
        std::max(0, s.channels[static_cast<std::size_t>(c)].width());
  const int pixel = channel_offset.back();
  if (pixel == 0) throw InternalError("emit_stream_verilog: every channel is constant");
  const long long sr_bits = static_cast<long long>(pixel) * s.slots;
  const emit::PortLayout ports = emit::port_layout(parts.whole);
  const int x_width = ports.x_width, y_width = ports.y_width;
  const int window_width = total_width(parts.kernel.inputs);
  const int kernel_y = total_width(parts.kernel.outputs);
  const int tail_x = total_width(parts.tail.inputs), tail_y = total_width(parts.tail.outputs);
  if (tail_x != kernel_y * s.positions())
    throw InternalError("emit_stream_verilog: the tail's input is not the gathered positions");
  const int control = parts.tail_start;  // ctl_t[k] is x_valid delayed by k + 1 cycles

  std::ostringstream v;
  v << header << "// Streamed: " << s.used_instances() << " kernel instance(s) serve "
    << s.positions() << " output positions, one each per cycle; a new x at most once every "
    << s.cycles
    << " cycles.\n"
       "// Ports: x packs the inputs and y the outputs, element 0 at the least\n"
       "// significant bits; offsets, widths and formats are in the JSON report.\n"
       "// x is read only in the cycle x_valid is high; y holds that input's result\n"
       "// in the one cycle y_valid is high, latency_cycles later.  Not every tap\n"
       "// of the valid delay line and not every bit of the tail's output is read.\n"
       "/* verilator lint_off UNUSEDSIGNAL */\n"
    << "module " << top << " (\n    input wire clk,\n    input wire x_valid,\n"
    << "    input wire [" << std::max(x_width, 1) - 1 << ":0] x,\n    output wire y_valid,\n"
    << "    output wire [" << std::max(y_width, 1) - 1 << ":0] y\n);\n";
  v << "  wire [" << control - 1 << ":0] ctl_t;\n  dagen_delay #(.WIDTH(1), .DEPTH(" << control
    << "), .ZERO_AT_START(1)) ctl_delay (.clk(clk), .d(x_valid), .taps(ctl_t));\n";

  // The image: x itself, or the prefix's output computed from it.
  const std::vector<PortElement>& image = parts.prefix ? parts.prefix->outputs : ports.inputs;
  const std::string bus = parts.prefix ? "image" : "x";
  if (parts.prefix)
    v << "  wire [" << std::max(total_width(image), 1) - 1 << ":0] image;\n  " << parts.prefix_top
      << " prefix (.x(x), .y(image));\n";
  // The shift register: loaded with the padded image in the x_valid cycle, then
  // moved down one pixel per cycle (zeros come in at the top; no window reads them).
  v << "  wire [" << sr_bits - 1 << ":0] sr_load;\n";
  for (int q = 0; q < s.slots; ++q)
    for (int c = 0; c < cin; ++c) {
      const int w = std::max(0, s.channels[static_cast<std::size_t>(c)].width());
      if (w == 0) continue;
      const long long at =
          static_cast<long long>(q) * pixel + channel_offset[static_cast<std::size_t>(c)];
      const long long e = s.load[static_cast<std::size_t>(q)][static_cast<std::size_t>(c)];
      v << "  assign sr_load[" << at + w - 1 << ":" << at << "] = ";
      if (e < 0)
        v << w << "'d0;\n";
      else
        v << realigned(bus, image[static_cast<std::size_t>(e)],
                       s.channels[static_cast<std::size_t>(c)].frac_bits, w)
          << ";\n";
    }
  // dagen_load: on Xilinx two bits of the load multiplexer per LUT6_2.
  v << "  reg [" << sr_bits - 1 << ":0] sr;\n  wire [" << sr_bits - 1 << ":0] sr_next;\n"
    << "  dagen_load #(.WIDTH(" << sr_bits << "), .XILINX(" << (target.has_ternary_adders() ? 1 : 0)
    << ")) sr_mux (.load(x_valid), .d(sr_load), .s(";
  if (s.slots > 1)
    v << "{" << pixel << "'d0, sr[" << sr_bits - 1 << ":" << pixel << "]}";
  else
    v << "sr";
  v << "), .q(sr_next));\n  always @(posedge clk) sr <= sr_next;\n";

  // The kernel instances, instance j on the taps moved up by j * instance_offset slots.
  for (int j = 0; j < s.instances; ++j) {
    if (!s.instance_used(j)) continue;
    const std::string w = "window" + num(j), y = "kernel_y" + num(j);
    v << "  wire [" << std::max(window_width, 1) - 1 << ":0] " << w << ";\n";
    if (window_width == 0) v << "  assign " << w << " = 1'b0;\n";
    for (std::size_t t = 0; t < s.taps.size(); ++t)
      for (int c = 0; c < cin; ++c) {
        const PortElement& e =
            parts.kernel.inputs[t * static_cast<std::size_t>(cin) + static_cast<std::size_t>(c)];
        if (e.width == 0) continue;
        if (e.width != s.channels[static_cast<std::size_t>(c)].width())
          throw InternalError("emit_stream_verilog: a kernel input is not its channel's format");
        const long long slot =
            static_cast<long long>(s.taps[t]) + static_cast<long long>(j) * s.instance_offset;
        if (slot >= s.slots) throw InternalError("emit_stream_verilog: a tap beyond the image");
        const long long at = slot * pixel + channel_offset[static_cast<std::size_t>(c)];
        v << "  assign " << w << "[" << e.offset + e.width - 1 << ":" << e.offset << "] = sr["
          << at + e.width - 1 << ":" << at << "];\n";
      }
    v << "  wire [" << std::max(kernel_y, 1) - 1 << ":0] " << y << ";\n  " << parts.kernel_top
      << " kernel" << j << " (" << (parts.kernel_clocked ? ".clk(clk), " : "") << ".x(" << w
      << "), .y(" << y << "));\n";
  }

  // Each position's result, caught in the cycle it leaves the kernel.
  const int fmap_width = std::max(tail_x, 1);
  v << "  reg [" << fmap_width - 1 << ":0] fmap;\n";
  if (kernel_y == 0) v << "  always @(posedge clk) fmap <= 1'b0;\n";
  if (kernel_y > 0) {
    v << "  always @(posedge clk) begin\n";
    for (int p = 0; p < s.positions(); ++p) {
      const int cycle = s.position_cycle[static_cast<std::size_t>(p)] + parts.kernel_latency;
      v << "    if (ctl_t[" << cycle - 1 << "]) fmap[" << (p + 1) * kernel_y - 1 << ":"
        << p * kernel_y << "] <= kernel_y" << s.position_instance[static_cast<std::size_t>(p)]
        << ";\n";
    }
    v << "  end\n";
  }

  v << "  wire [" << std::max(tail_y, 1) - 1 << ":0] tail_y;\n  " << parts.tail_top << " tail ("
    << (parts.tail_clocked ? ".clk(clk), " : "") << ".x_valid(ctl_t[" << control - 1
    << "]), .x(fmap), .y_valid(y_valid), .y(tail_y));\n";
  if (y_width == 0) v << "  assign y = 1'b0;\n";
  for (std::size_t k = 0; k < ports.outputs.size(); ++k) {
    const PortElement& to = ports.outputs[k];
    if (to.width == 0) continue;
    v << "  assign y[" << to.offset + to.width - 1 << ":" << to.offset
      << "] = " << realigned("tail_y", parts.tail.outputs[k], to.frac_bits, to.width) << ";\n";
  }
  v << "endmodule\n/* verilator lint_on UNUSEDSIGNAL */\n";

  EmittedDesign d;
  d.inputs = ports.inputs;
  d.outputs = ports.outputs;
  d.files[top + ".v"] = v.str();
  d.files["dagen_delay.v"] = std::string(target.rtl_cell("dagen_delay"));
  d.files["dagen_load.v"] = std::string(target.rtl_cell("dagen_load"));
  for (const EmittedDesign* part : {parts.prefix, &parts.kernel, &parts.tail})
    for (const auto& [name, text] : part ? part->files : std::map<std::string, std::string>{}) {
      auto [at, added] = d.files.emplace(name, text);
      if (!added && at->second != text)
        throw InternalError("emit_stream_verilog: two parts write different files " + name);
    }
  return d;
}

}  // namespace dagen
