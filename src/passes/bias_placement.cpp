#include "dagen/bias_placement.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace dagen {
namespace {

// Carry-chain bits of x + c: from the higher of the two lowest bits (the bits
// below are x's or c's alone) to the sum's sign bit.
int chain_bits(const cmvm::OperandBits& x, long double c, int c_lsb) {
  return std::max(1, cmvm::value_top(x.lo + c, x.hi + c) - std::max(x.lsb, c_lsb));
}

struct Search {
  const cmvm::Solution& s;
  const std::vector<cmvm::OperandBits>& bits;
  const std::vector<int>& readers;
  const Fixed& bias;
  long double bias_value;
  int bias_lsb;
  int best_cost;
  BiasPlacement best;

  // Op `v` (read only on the way to the output) contributes sign * v * 2^scale to
  // the output; `growth`: bits the ops above it gain from carrying the bias.
  void visit(int v, int scale, int sign, int growth) {
    const cmvm::OperandBits& vb = bits[static_cast<std::size_t>(v)];
    const long double here = sign * std::ldexp(bias_value, -scale);
    growth += cmvm::value_top(vb.lo + here, vb.hi + here) - vb.top;
    const cmvm::Op& op = s.ops[static_cast<std::size_t>(v - s.n_inputs)];
    for (int slot = 0; slot < 2; ++slot) {
      const cmvm::Term& t = slot == 0 ? op.a : op.b;
      const int o_scale = scale + t.shift, o_sign = t.negative ? -sign : sign;
      const cmvm::OperandBits& ob = bits[static_cast<std::size_t>(t.operand)];
      const int c_lsb = bias_lsb - o_scale;
      // A bias below the term's lowest bit would widen every adder above it.
      if (c_lsb >= ob.lsb) {
        const int cost = chain_bits(ob, o_sign * std::ldexp(bias_value, -o_scale), c_lsb) + growth;
        if (cost < best_cost) {
          best_cost = cost;
          best = {v - s.n_inputs, slot, Fixed{o_sign * bias.code, bias.frac + o_scale}};
        }
      }
      if (t.operand >= s.n_inputs && readers[static_cast<std::size_t>(t.operand)] == 1)
        visit(t.operand, o_scale, o_sign, growth);
    }
  }
};

}  // namespace

std::vector<BiasPlacement> place_biases(const cmvm::Solution& s,
                                        std::span<const cmvm::InputSpec> inputs,
                                        std::span<const Fixed> bias, int weight_frac) {
  std::vector<BiasPlacement> placed(s.outputs.size());
  if (s.ops.empty()) return placed;
  const std::vector<cmvm::OperandBits> bits = cmvm::operand_bits(s, inputs);
  std::vector<int> readers(bits.size(), 0);
  for (const cmvm::Op& op : s.ops) {
    ++readers[static_cast<std::size_t>(op.a.operand)];
    ++readers[static_cast<std::size_t>(op.b.operand)];
  }
  for (const auto& t : s.outputs)
    if (t) ++readers[static_cast<std::size_t>(t->operand)];
  for (std::size_t j = 0; j < s.outputs.size(); ++j) {
    const auto& t = s.outputs[j];
    const Fixed& b = bias[j];
    // A negated output keeps its last adder (bias - value) anyway.
    if (!t || t->negative || b.code == 0 || t->operand < s.n_inputs ||
        readers[static_cast<std::size_t>(t->operand)] != 1)
      continue;
    const int scale = t->shift - weight_frac;
    const long double value = std::ldexp(static_cast<long double>(b.code), -b.frac);
    const int lsb = trailing_zeros(b.code) - b.frac;
    Search search{s,
                  bits,
                  readers,
                  b,
                  value,
                  lsb,
                  chain_bits(bits[static_cast<std::size_t>(t->operand)].shifted(scale), value, lsb),
                  {}};
    search.visit(t->operand, scale, 1, 0);
    placed[j] = search.best;
  }
  return placed;
}

cmvm::Solution with_bias_inputs(const cmvm::Solution& s, std::span<const BiasPlacement> placed) {
  const int n = s.n_inputs;
  std::vector<std::array<int, 2>> constant_at(s.ops.size(), {-1, -1});
  int k = 0;
  for (const BiasPlacement& p : placed)
    if (p.op >= 0)
      constant_at[static_cast<std::size_t>(p.op)][static_cast<std::size_t>(p.slot)] = n + k++;
  cmvm::Solution out;
  out.n_inputs = n + k;
  std::vector<int> id(static_cast<std::size_t>(n) + s.ops.size());
  for (int i = 0; i < n; ++i) id[static_cast<std::size_t>(i)] = i;
  auto next_id = [&] { return out.n_inputs + static_cast<int>(out.ops.size()); };
  for (std::size_t v = 0; v < s.ops.size(); ++v) {
    cmvm::Op op = s.ops[v];
    for (int slot = 0; slot < 2; ++slot) {
      cmvm::Term& t = slot == 0 ? op.a : op.b;
      t.operand = id[static_cast<std::size_t>(t.operand)];
      if (const int c = constant_at[v][static_cast<std::size_t>(slot)]; c >= 0) {
        const int u = next_id();
        out.ops.push_back({{t.operand, 0, false}, {c, 0, false}});
        t.operand = u;
      }
    }
    id[static_cast<std::size_t>(n) + v] = next_id();
    out.ops.push_back(op);
  }
  for (const auto& t : s.outputs) {
    auto& o = out.outputs.emplace_back(t);
    if (o) o->operand = id[static_cast<std::size_t>(o->operand)];
  }
  return out;
}

}  // namespace dagen
