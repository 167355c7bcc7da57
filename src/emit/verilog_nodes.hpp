// The Verilog of one node, apart from where its operands come from: the emitter
// of pipelined designs (verilog.cpp) reads them from an EmitPlan, the serial
// emitter (serial_verilog.cpp) from its own word registers.  Also the small
// Verilog spelling helpers both use.
#pragma once

#include <functional>
#include <sstream>
#include <string>

#include "dagen/adder_graph.hpp"
#include "emit_plan.hpp"

namespace dagen::emit {

std::string zeros(int w);                  // w'd0
std::string literal(i128 code, int w);     // w'h... of the low w bits
std::string pow2_literal(int bit, int w);  // 2^bit in w bits, any bit < w
std::string slice(const Ref& r, int hi, int lo);
// The code of `r` sign- or zero-extended (or truncated) to exactly w bits.
std::string extend(const Ref& r, int w);
// The value of `r` on grid 2^-frac (frac >= r.frac) as exactly w bits (modulo 2^w).
std::string aligned(const Ref& r, int frac, int w);

class VerilogNodes : public NodePrinter {
 public:
  // Where a node's operand is read (the consumer, the operand).
  using Resolve = std::function<Ref(const Node&, const Operand&)>;
  explicit VerilogNodes(const EmitPlan& plan);
  // Without a plan: no ternary adders, no body(); the caller walks the nodes.
  VerilogNodes(const AdderGraph& g, Resolve resolve);

  // Every node of the plan, in order (print_nodes()).
  std::string body();
  // What the printer calls have written so far.
  std::string text() const { return out_.str(); }

  void declare(const std::string& name, int w) override;
  void constant(const std::string& name, i128 code, int w) override;
  void input(const std::string& name, int offset, int w) override;
  void add(const Node& n, const std::string& name, int w) override;
  void ternary(int id, const Node& n, const std::string& name, int w) override;
  void neg(const Node& n, const std::string& name, int w) override;
  void relu(const Node& n, const std::string& name, int w) override;
  void quantize(const Node& n, const std::string& name, int w) override;
  void compare(const Node& n, const std::string& name) override;
  void mux(const Node& n, const std::string& name, int w) override;
  void lookup(const Node& n, const std::string& name, int w) override;
  void delay_line(const std::string& name, int w, int depth) override;

 private:
  Ref operand(const Node& n, const Operand& o) const { return resolve_(n, o); }
  const EmitPlan& plan() const;

  const EmitPlan* p_ = nullptr;
  const AdderGraph& g_;
  Resolve resolve_;
  std::ostringstream out_;
};

}  // namespace dagen::emit
