// Lowers a Model to an AdderGraph.  A dense layer is handed to the CMVM
// optimizer as an integer matrix; inputs that are constant (width 0 or a single
// value) are folded into the bias first so they cost no adders; the bias is one
// constant addition per output, which also absorbs a negated output.
#include "dagen/lower.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dagen/diag.hpp"

namespace dagen {

namespace {

int add_node(AdderGraph& g, Node node) {
  const int id = g.add(std::move(node));
  infer_node(g, id);
  return id;
}

Operand add_const(AdderGraph& g, const Fixed& value) {
  Node n;
  n.kind = NodeKind::Const;
  const int tz = value.code == 0 ? 0 : trailing_zeros(value.code);
  n.const_code = value.code == 0 ? 0 : value.code >> tz;
  n.type.frac_bits = value.code == 0 ? 0 : value.frac - tz;
  return {add_node(g, n), 0};
}

// A value with its trailing zero bits moved into the exponent: the smallest code.
Fixed normalized(Fixed v) {
  if (v.code == 0) return {0, 0};
  const int tz = trailing_zeros(v.code);
  return {v.code >> tz, v.frac - tz};
}

// Exact sum of two values.  Both are normalized, so each aligned code needs no
// more bits than the exact sum's span; shift_left throws std::overflow_error
// (the layer's limit error) beyond 126 bits, and two codes below 2^126 cannot
// overflow an i128 when added.
Fixed add_fixed(const Fixed& a, const Fixed& b) {
  const Fixed x = normalized(a), y = normalized(b);
  if (x.code == 0) return y;
  if (y.code == 0) return x;
  const int frac = std::max(x.frac, y.frac);
  return normalized({align_code(x, frac) + align_code(y, frac), frac});
}

// Exact product w * 2^-wf times x * 2^-xf of a weight and a constant input.  The
// odd parts are multiplied (the trailing zeros go into the exponent), so the code
// is only as wide as the exact value: 2^47 times a 2^111 code on grid 2^-50 is
// 2^108, not a 159-bit code.  A product wider than 127 bits cannot fit any node
// (kMaxWidth), so it is the layer's limit error, not undefined behaviour.
Fixed multiply_fixed(std::int64_t w, int wf, i128 x, int xf) {
  const Fixed a = normalized({w, wf}), b = normalized({x, xf});
  i128 code = 0;
  if (__builtin_mul_overflow(a.code, b.code, &code))
    throw ToolError("a constant input times its weight needs " +
                    std::to_string(bit_length(a.code) + bit_length(b.code)) +
                    " bits, more than the limit of " + std::to_string(kMaxWidth) + " bits");
  return {code, a.frac + b.frac};
}

std::vector<Operand> lower_dense(AdderGraph& g, const DenseLayer& layer,
                                 const std::vector<Operand>& x, const LowerOptions& options) {
  const int n_in = layer.n_in(), n_out = layer.n_out();
  cmvm::IntMatrix w = layer.weights;
  std::vector<Fixed> bias;
  for (int j = 0; j < n_out; ++j)
    bias.push_back({layer.bias[static_cast<std::size_t>(j)], layer.bias_frac});

  // Fold constant inputs into the bias, so they cost no adders.
  std::vector<cmvm::InputSpec> specs(static_cast<std::size_t>(n_in));
  for (int i = 0; i < n_in; ++i) {
    const Node& xn = g.at(x[static_cast<std::size_t>(i)].node);
    const int xf = operand_type(g, x[static_cast<std::size_t>(i)]).frac_bits;
    auto& spec = specs[static_cast<std::size_t>(i)];
    spec.lo = std::ldexp(static_cast<double>(xn.lo), -xf);
    spec.hi = std::ldexp(static_cast<double>(xn.hi), -xf);
    spec.frac_bits = xf;
    if (xn.lo != xn.hi) continue;
    for (int j = 0; j < n_out; ++j) {
      if (w(i, j) == 0 || xn.lo == 0) continue;
      auto& bj = bias[static_cast<std::size_t>(j)];
      bj = add_fixed(bj, multiply_fixed(w(i, j), layer.weight_frac, xn.lo, xf));
    }
    w.row(i).setZero();
  }

  const cmvm::Solution sol = cmvm::solve(w, specs, options.cmvm);
  const auto coeffs = cmvm::operand_coefficients(sol);

  const int layer_id = static_cast<int>(g.layer_inputs.size());
  g.layer_inputs.push_back(x);
  std::vector<Operand> operand(static_cast<std::size_t>(n_in) + sol.ops.size());
  for (int i = 0; i < n_in; ++i)
    operand[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>(i)];
  auto term_operand = [&](const cmvm::Term& t) {
    Operand o = operand[static_cast<std::size_t>(t.operand)];
    o.shift += t.shift;
    return o;
  };
  for (std::size_t k = 0; k < sol.ops.size(); ++k) {
    const cmvm::Op& op = sol.ops[k];
    Node n;
    n.kind = NodeKind::Add;
    n.operands = {term_operand(op.a), term_operand(op.b)};
    n.sub = op.b.negative;
    if (op.a.negative) {  // the contract says never; keep the graph exact anyway
      if (op.b.negative) throw InternalError("CMVM solution has an op with two negated operands");
      std::swap(n.operands[0], n.operands[1]);
      n.sub = true;
    }
    n.layer = layer_id;
    n.coeffs = coeffs[static_cast<std::size_t>(n_in) + k];
    const int id = add_node(g, n);
    operand[static_cast<std::size_t>(n_in) + k] = {id, 0};
  }

  std::vector<Operand> y;
  for (int j = 0; j < n_out; ++j) {
    const Fixed& b = bias[static_cast<std::size_t>(j)];
    const auto& term = sol.outputs[static_cast<std::size_t>(j)];
    if (!term) {
      y.push_back(add_const(g, b));
      continue;
    }
    Operand t = term_operand(*term);
    t.shift -= layer.weight_frac;
    if (b.code == 0 && !term->negative) {
      y.push_back(t);
      continue;
    }
    Node n;
    if (b.code == 0) {
      n.kind = NodeKind::Neg;
      n.operands = {t};
    } else {
      n.kind = NodeKind::Add;
      const Operand c = add_const(g, b);
      n.operands = {term->negative ? c : t, term->negative ? t : c};
      n.sub = term->negative;
    }
    y.push_back({add_node(g, n), 0});
  }
  return y;
}

// Up-front size guard (docs/limits.md): the optimiser's time and memory grow with
// the digit pairs it counts, the sum over outputs of (nonzero CSD digits of the
// column)^2, faster than linearly (1.3e8 pairs, a 256 x 256 layer: 33 s, 1.5 GB;
// 2.5e8 pairs, 320 x 320: 130 s, 3 GB), and its coefficient vectors with digits x
// inputs.  Beyond the limits a layer would take minutes and gigabytes: it is
// refused in one line before any work.
void check_layer_size(const DenseLayer& layer, const std::string& at, bool share) {
  double pairs = 0, digits = 0;  // doubles: no overflow whatever the layer's size
  for (int j = 0; j < layer.n_out(); ++j) {
    double d = 0;
    for (int i = 0; i < layer.n_in(); ++i) d += cmvm::csd_digit_count(layer.weights(i, j));
    pairs += d * d;
    digits += d;
  }
  const auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return std::string(text);
  };
  const std::string shape =
      std::to_string(layer.n_in()) + " x " + std::to_string(layer.n_out()) + " weights";
  if (share && pairs > kMaxLayerDigitPairs)
    throw ModelError(at, shape + " need " + number(pairs) +
                             " digit pairs in the optimiser, more than the limit of " +
                             number(kMaxLayerDigitPairs) + "; see docs/limits.md");
  const double entries = digits * layer.n_in();
  if (entries > kMaxLayerCoefficients)
    throw ModelError(at, shape + " need " + number(entries) +
                             " coefficient entries, more than the limit of " +
                             number(kMaxLayerCoefficients) + "; see docs/limits.md");
}

}  // namespace

AdderGraph lower_model(const Model& model, const LowerOptions& options) {
  AdderGraph g;
  g.name = model.name;
  g.input_types = model.input_types;
  for (std::size_t k = 0; k < model.layers.size(); ++k)
    if (const auto* dense = std::get_if<DenseLayer>(&model.layers[k]))
      check_layer_size(*dense, model.layer_paths[k], options.cmvm.share);
  std::vector<Operand> current;
  for (std::size_t i = 0; i < model.input_types.size(); ++i) {
    Node n;
    n.kind = NodeKind::Input;
    n.input_index = static_cast<int>(i);
    current.push_back({add_node(g, n), 0});
  }
  for (std::size_t k = 0; k < model.layers.size(); ++k) {
    const std::string& at = model.layer_paths[k];
    try {
      if (const auto* dense = std::get_if<DenseLayer>(&model.layers[k])) {
        current = lower_dense(g, *dense, current, options);
      } else if (std::holds_alternative<ReluLayer>(model.layers[k])) {
        for (Operand& o : current) {
          const Node& src = g.at(o.node);
          if (src.lo >= 0) continue;  // already non-negative: ReLU is the identity
          Node n;
          n.kind = NodeKind::Relu;
          n.operands = {o};
          o = {add_node(g, n), 0};
        }
      } else {
        const auto& q = std::get<QuantizeLayer>(model.layers[k]);
        for (std::size_t i = 0; i < current.size(); ++i) {
          Node n;
          n.kind = NodeKind::Quantize;
          n.operands = {current[i]};
          n.quant_to = q.to[i];
          n.rounding = q.rounding;
          n.overflow = q.overflow;
          current[i] = {add_node(g, n), 0};
        }
      }
    } catch (const ToolError& e) {
      throw ModelError(at, e.what());
    } catch (const std::overflow_error& e) {
      throw ModelError(at, std::string("values in this layer are too wide: ") + e.what());
    } catch (const std::bad_alloc&) {
      throw ToolError(out_of_memory_message("optimising " + at));
    }
  }
  g.outputs = current;
  return g;
}

}  // namespace dagen
