// What every HDL emitter needs to know of a scheduled AdderGraph, apart from
// syntax: which signal holds an operand's code in a given stage (the node's
// wire or a tap of its delay line), which nodes need delay lines and how deep,
// which are inside a fused ternary adder, the port layout, the cases of a
// lookup and the rounding and saturation of a quantizer.  verilog.cpp and
// vhdl.cpp print the same plan, so their designs compute the same bits.
#pragma once

#include <string>
#include <vector>

#include "dagen/adder_graph.hpp"
#include "dagen/demanded_bits.hpp"
#include "dagen/schedule.hpp"
#include "dagen/verilog.hpp"

namespace dagen::emit {

// A named signal (or a slice of a delay line) holding a node's code.
struct Ref {
  std::string name;
  int base = 0;
  int width = 0;
  bool is_signed = false;
  int frac = 0;  // grid of the value the code stands for
};

class EmitPlan {
 public:
  // Throws InternalError for a schedule that does not fit the graph.
  EmitPlan(const AdderGraph& g, const Schedule& s);

  const AdderGraph& graph() const { return g_; }
  int latency() const { return latency_; }
  int stage_of(const Node& n) const {
    return stage_[static_cast<std::size_t>(&n - g_.nodes.data())];
  }
  // Bit offset of input i in x.
  int input_offset(int i) const { return input_offset_[static_cast<std::size_t>(i)]; }
  // Emitted inside its reader's fused adder (no signal of its own).
  bool fused_inner(int id) const { return fused_inner_[static_cast<std::size_t>(id)]; }
  const BitSpan& demanded(int id) const { return demanded_[static_cast<std::size_t>(id)]; }
  // Taps of node id's delay line (0: none), tap k holding it delayed by k + 1.
  int delay_depth(int id) const;
  bool uses_add3() const;
  bool uses_delay() const;
  // The operand's code as seen by a consumer in `stage` ("n<id>" or a tap of "n<id>_t").
  Ref ref(const Operand& o, int stage) const;

 private:
  const AdderGraph& g_;
  const std::vector<int>& stage_;
  int latency_ = 0;
  std::vector<int> last_use_;
  std::vector<bool> fused_inner_;
  std::vector<int> input_offset_{0};
  std::vector<BitSpan> demanded_;  // where ternary chains may stop
};

// How an emitter spells the nodes; print_nodes() walks them and decides what
// each gets: nothing (zero width, or inside its reader's fused adder), a
// signal, its value (a literal where the interval decides it), a delay line.
class NodePrinter {
 public:
  virtual ~NodePrinter() = default;
  virtual void declare(const std::string& name, int w) = 0;
  virtual void constant(const std::string& name, i128 code, int w) = 0;
  virtual void input(const std::string& name, int offset, int w) = 0;
  virtual void add(const Node& n, const std::string& name, int w) = 0;
  virtual void ternary(int id, const Node& n, const std::string& name, int w) = 0;
  virtual void neg(const Node& n, const std::string& name, int w) = 0;
  virtual void relu(const Node& n, const std::string& name, int w) = 0;
  virtual void quantize(const Node& n, const std::string& name, int w) = 0;
  virtual void compare(const Node& n, const std::string& name) = 0;
  virtual void mux(const Node& n, const std::string& name, int w) = 0;
  virtual void lookup(const Node& n, const std::string& name, int w) = 0;
  virtual void delay_line(const std::string& name, int w, int depth) = 0;
};
void print_nodes(const EmitPlan& plan, NodePrinter& printer);
// The one dispatch on a node's kind behind print_nodes(), for emitters that walk
// the nodes their own way (src/emit/serial_verilog.cpp): the printer's call for
// node `id` named `name` of width w (an Input at bit `input_offset` of x).
void print_node(int input_offset, int id, const Node& n, const std::string& name, int w,
                NodePrinter& printer);

// The operands of a Ge node as its comparison (comparison()) reads them: a's
// bits that take part (a zero-width reference when none) and b, both to be
// aligned to c.frac in c.width bits.
struct ComparePlan {
  Comparison c;
  Ref a, b;
};
ComparePlan compare_plan(const EmitPlan& plan, const Node& ge);
// The same from the two operand references as the consumer reads them.
ComparePlan compare_plan(const AdderGraph& g, const Node& ge, const Ref& a, const Ref& b);

// The port elements of x and y (element 0 at bit 0) and the total widths.
struct PortLayout {
  std::vector<PortElement> inputs, outputs;
  int x_width = 0, y_width = 0;
};
PortLayout port_layout(const AdderGraph& g);

// A lookup as a case over the codes its operand can take: the most frequent
// entry (the first to reach that count) is the default, also for the codes the
// operand never takes, and is not listed.
struct LookupCases {
  i128 fallback = 0;
  std::vector<std::pair<i128, i128>> cases;  // operand code -> output code
};
LookupCases lookup_cases(const AdderGraph& g, const Node& lookup);

// A quantizer: r, its operand rounded to the target grid (`r` says its width,
// signedness and grid; name it), then saturated where the interval can overflow.
struct QuantizePlan {
  Ref r;
  int drop = 0;        // > 0: r is bits [wx-1 : drop] of the operand on its own grid (wx bits)
  int wx = 0;          //      plus 2^(drop-1) when rounding to nearest
  bool round = false;  //
  bool need_hi = false, need_lo = false;  // saturation tests
  i128 hi = 0, low = 0;                   // the limits
  int wc = 0;  // width of the saturation compare (r extended, one bit above the wider)
};
QuantizePlan quantize_plan(const AdderGraph& g, const Node& n, const Ref& a);

}  // namespace dagen::emit
