// Lowers a Model to an AdderGraph, node by node in document order.
//
// Linear ops (dense, conv, scale, add/sub, sum, average pooling) are not
// lowered one by one: a linear node whose only consumer is linear is composed
// into it (conv -> scale -> add of a skip is one CMVM problem, not a chain),
// unless the composition has more CSD digits than the parts.  A linear tensor
// that is materialised is cut into rows (one position of all channels of its
// last axis); rows with the same weights share one CMVM solution, instantiated
// per row on that row's input operands.  Inputs that are constant (width 0 or a
// single value) are folded into the bias first so they cost no adders; the bias
// is one constant addition per output, which also absorbs a negated output.
// Every other op builds its nodes itself (src/ops/, `lower`).
#include "dagen/lower.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "dagen/bias_placement.hpp"
#include "dagen/diag.hpp"
#include "dagen/exact.hpp"
#include "dagen/graph_builder.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/progress.hpp"

namespace dagen {

namespace {

// A weighted element of a materialised tensor.
struct SourceTerm {
  int tensor = 0;
  int element = 0;
  Fixed weight;
};
struct SourceForm {
  std::vector<SourceTerm> terms;  // sorted by (tensor, element), no duplicates
  Fixed bias;
};

// Nonzero digits of v's canonical signed-digit form (any 127-bit value).
int csd_digits(i128 v) {
  u128 m = v < 0 ? static_cast<u128>(-(v + 1)) + 1 : static_cast<u128>(v);
  int count = 0;
  while (m != 0) {
    if (m & 1) {
      ++count;
      m = (m & 2) ? m + 1 : m - 1;  // ...11 -> digit -1, ...01 -> digit +1
    }
    m >>= 1;
  }
  return count;
}

// Whether every row's weights fit kMaxWeightSpanBits on the row's finest grid
// (integer_matrix's condition): composed weights may not.
bool fits_weight_span(const std::vector<SourceForm>& forms, std::size_t row_width) {
  for (std::size_t first = 0; first < forms.size(); first += row_width) {
    int frac = 0;
    const std::size_t last = std::min(forms.size(), first + row_width);
    for (std::size_t j = first; j < last; ++j)
      for (const SourceTerm& t : forms[j].terms) frac = std::max(frac, normalized(t.weight).frac);
    for (std::size_t j = first; j < last; ++j)
      for (const SourceTerm& t : forms[j].terms) {
        const Fixed w = normalized(t.weight);
        if (w.code != 0 && bit_length(w.code) + frac - w.frac > kMaxWeightSpanBits) return false;
      }
  }
  return true;
}

long long digit_cost(const std::vector<SourceForm>& forms) {
  long long d = 0;
  for (const SourceForm& f : forms)
    for (const SourceTerm& t : f.terms) d += csd_digits(normalized(t.weight).code);
  return d;
}

// Exact product of a weight and a constant input.  A product wider than 127 bits
// cannot fit any node (kMaxWidth), so it is the layer's limit error.
Fixed multiply_constant(const Fixed& w, const Fixed& x) {
  try {
    return exact_mul(w, x);
  } catch (const std::overflow_error&) {
    const Fixed a = normalized(w), b = normalized(x);
    throw ToolError("a constant input times its weight needs " +
                    std::to_string(bit_length(a.code) + bit_length(b.code)) +
                    " bits, more than the limit of " + std::to_string(kMaxWidth) + " bits");
  }
}

// One row of a materialised linear tensor: a CMVM over `x`.
struct Row {
  std::vector<Operand> x;  // the row's inputs
  cmvm::IntMatrix w;       // x.size() x outputs, on 2^-weight_frac (constant rows zeroed)
  int weight_frac = 0;
  std::vector<Fixed> bias;  // per output, constant inputs folded in
  std::vector<cmvm::InputSpec> specs;
};

// What a shared solution is keyed by: the weights after folding.
std::string row_key(const Row& r) {
  std::string key = std::to_string(r.w.rows()) + "x" + std::to_string(r.w.cols()) + "/" +
                    std::to_string(r.weight_frac) + ":";
  for (Eigen::Index i = 0; i < r.w.rows(); ++i)
    for (Eigen::Index j = 0; j < r.w.cols(); ++j) key += std::to_string(r.w(i, j)) + ",";
  return key;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

// What it costs the rows sharing solution `key` in carry-chain bits when the
// solution's output j comes out negated (cmvm::orient): a negation adder over the
// whole value where no bias is added, else the value's bits below the bias's
// lowest one, which bias - value cannot pass through (bias + value can).  `out`
// is on the solution's grid, 2^-weight_frac of the layer's.
int negated_output_cost(const std::vector<Row>& rows, const std::vector<std::string>& keys,
                        const std::string& key, int j, cmvm::OperandBits out) {
  int cost = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (keys[k] != key) continue;
    const Fixed& b = rows[k].bias[static_cast<std::size_t>(j)];
    if (b.code == 0) {
      cost += out.top - out.lsb;
      continue;
    }
    cost += std::max(0, trailing_zeros(b.code) - b.frac + rows[k].weight_frac - out.lsb);
  }
  return cost;
}

// Up-front size guard (docs/limits.md): the optimiser's time and memory grow with
// the digit pairs it counts, the sum over outputs of (nonzero CSD digits of the
// column)^2, faster than linearly (1.3e8 pairs, a 256 x 256 layer: 33 s, 1.5 GB;
// 2.5e8 pairs, 320 x 320: 130 s, 3 GB), and its coefficient vectors with digits x
// inputs.  Beyond the limits a layer would take minutes and gigabytes: it is
// refused in one line before any work.
void check_size(double pairs, double entries, std::size_t rows, std::size_t cols,
                const std::string& at, bool share) {
  const std::string shape = std::to_string(rows) + " x " + std::to_string(cols) + " weights";
  if (share && pairs > kMaxLayerDigitPairs)
    throw ModelError(at, shape + " need " + number_text(pairs) +
                             " digit pairs in the optimiser, more than the limit of " +
                             number_text(kMaxLayerDigitPairs) + "; see docs/limits.md");
  if (entries > kMaxLayerCoefficients)
    throw ModelError(at, shape + " need " + number_text(entries) +
                             " coefficient entries, more than the limit of " +
                             number_text(kMaxLayerCoefficients) + "; see docs/limits.md");
}

void check_matrix_size(const cmvm::IntMatrix& w, const std::string& at, bool share) {
  double pairs = 0, digits = 0;  // doubles: no overflow whatever the size
  for (Eigen::Index j = 0; j < w.cols(); ++j) {
    double d = 0;
    for (Eigen::Index i = 0; i < w.rows(); ++i) d += cmvm::csd_digit_count(w(i, j));
    pairs += d * d;
    digits += d;
  }
  check_size(pairs, digits * static_cast<double>(w.rows()), static_cast<std::size_t>(w.rows()),
             static_cast<std::size_t>(w.cols()), at, share);
}

// Weights on their common grid: the finest any of them needs (at least 2^0, as
// version 1 read them), as integer codes.
cmvm::IntMatrix integer_matrix(const std::vector<std::vector<Fixed>>& columns, std::size_t rows,
                               int& frac, const std::string& at) {
  frac = 0;
  for (const auto& col : columns)
    for (const Fixed& v : col) frac = std::max(frac, normalized(v).frac);
  cmvm::IntMatrix w(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j)
    for (std::size_t i = 0; i < rows; ++i) {
      const Fixed& v = columns[j][i];
      const i128 code = v.code == 0 ? 0 : code_on_grid(v, frac);
      if (bit_length(code) > kMaxWeightSpanBits)
        throw ModelError(at, "a weight of these linear ops needs " +
                                 std::to_string(bit_length(code)) +
                                 " bits on their finest grid (2^-" + std::to_string(frac) +
                                 "); the limit is " + std::to_string(kMaxWeightSpanBits));
      w(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          static_cast<std::int64_t>(code);
    }
  return w;
}

class Lowering {
 public:
  Lowering(const Model& model, const LowerOptions& options)
      : model_(model), options_(options), builder_(g_) {}

  AdderGraph run();

 private:
  const Model& model_;
  const LowerOptions& options_;
  AdderGraph g_;
  GraphBuilder builder_;
  std::vector<std::optional<TensorOperands>> operands_;  // per tensor, once materialised
  std::vector<std::vector<SourceForm>> forms_;           // linear tensors' forms over sources
  std::vector<bool> candidate_;  // linear, one linear consumer, not an output: may be composed
  std::map<std::string, std::pair<cmvm::Solution, std::vector<std::vector<std::int64_t>>>>
      solutions_;

  bool is_linear(int t) const {
    if (model_.is_input(t)) return false;
    return std::visit([](const auto& op) { return LinearOperation<std::decay_t<decltype(op)>>; },
                      model_.node_of(t).op);
  }
  void lower_node(int t);
  std::vector<SourceForm> compose(int t, bool inline_candidates);
  const TensorOperands& materialise(int t);
  std::vector<Operand> lower_forms(const std::vector<SourceForm>& forms, const Shape& shape,
                                   const std::string& at);
  std::vector<Operand> instantiate(const Row& row);
  bool values_fit(const std::vector<SourceForm>& forms) const;
};

// Whether every value of these forms fits kMaxWidth bits: a tensor composed
// away must still obey the limit every tensor of the model has (its values are
// what the reference computes).
bool Lowering::values_fit(const std::vector<SourceForm>& forms) const {
  try {
    for (const SourceForm& f : forms) {
      Fixed lo = f.bias, hi = f.bias;
      for (const SourceTerm& t : f.terms) {
        const Operand& x = operands_[static_cast<std::size_t>(t.tensor)]
                               ->elements[static_cast<std::size_t>(t.element)];
        const Fixed a = exact_mul(t.weight, builder_.lo(x)),
                    b = exact_mul(t.weight, builder_.hi(x));
        const bool up = compare(a, b) <= 0;
        lo = exact_add(lo, up ? a : b);
        hi = exact_add(hi, up ? b : a);
      }
      const Fixed nl = normalized(lo), nh = normalized(hi);
      const int frac = std::max(nl.frac, nh.frac);
      if (type_for_codes(code_on_grid(lo, frac), code_on_grid(hi, frac), frac).width() > kMaxWidth)
        return false;
    }
  } catch (const std::overflow_error&) {
    return false;
  }
  return true;
}

// The forms of linear tensor t over source tensors: its op's map, with each
// candidate input (when `inline_candidates`) replaced by its own forms.
std::vector<SourceForm> Lowering::compose(int t, bool inline_candidates) {
  const ModelNode& node = model_.node_of(t);
  const NodeContext n = model_.context_of(node);
  const LinearMap map = std::visit(
      [&](const auto& op) -> LinearMap {
        if constexpr (LinearOperation<std::decay_t<decltype(op)>>)
          return op.linear(n);
        else
          throw InternalError("compose() on a non-linear node");
      },
      node.op);
  std::vector<SourceForm> out;
  out.reserve(map.size());
  std::vector<SourceTerm> terms;
  for (const LinearForm& f : map) {
    SourceForm s;
    s.bias = f.bias;
    terms.clear();
    for (const LinearTerm& term : f.terms) {
      const int in = node.inputs[static_cast<std::size_t>(term.slot)];
      if (inline_candidates && candidate_[static_cast<std::size_t>(in)]) {
        const SourceForm& inner =
            forms_[static_cast<std::size_t>(in)][static_cast<std::size_t>(term.element)];
        for (const SourceTerm& st : inner.terms)
          terms.push_back({st.tensor, st.element, exact_mul(term.weight, st.weight)});
        s.bias = exact_add(s.bias, exact_mul(term.weight, inner.bias));
      } else {
        terms.push_back({in, term.element, term.weight});
      }
    }
    std::sort(terms.begin(), terms.end(), [](const SourceTerm& a, const SourceTerm& b) {
      return a.tensor != b.tensor ? a.tensor < b.tensor : a.element < b.element;
    });
    for (const SourceTerm& st : terms) {
      if (!s.terms.empty() && s.terms.back().tensor == st.tensor &&
          s.terms.back().element == st.element)
        s.terms.back().weight = exact_add(s.terms.back().weight, st.weight);
      else
        s.terms.push_back(st);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Operand> Lowering::instantiate(const Row& row) {
  const auto n_in = static_cast<int>(row.x.size());
  const auto n_out = static_cast<int>(row.w.cols());
  if (n_in == 0) {  // outputs of constants only
    std::vector<Operand> y;
    for (const Fixed& b : row.bias) y.push_back(builder_.constant(b));
    return y;
  }
  const std::string key = row_key(row);
  auto it = solutions_.find(key);
  if (it == solutions_.end()) throw InternalError("a row's CMVM was not solved");
  // Biases that pay off deeper in a column's own adders become constant inputs
  // of the solution (bias_placement.hpp); the rest are added after its outputs.
  const std::vector<BiasPlacement> placed =
      place_biases(it->second.first, row.specs, row.bias, row.weight_frac);
  const bool any_placed =
      std::any_of(placed.begin(), placed.end(), [](const BiasPlacement& p) { return p.op >= 0; });
  std::optional<cmvm::Solution> own;
  std::vector<std::vector<std::int64_t>> own_coeffs;
  if (any_placed) {
    own = with_bias_inputs(it->second.first, placed);
    own_coeffs = cmvm::operand_coefficients(*own);
  }
  const cmvm::Solution& sol = own ? *own : it->second.first;
  const auto& coeffs = own ? own_coeffs : it->second.second;

  const int layer_id = static_cast<int>(g_.layer_inputs.size());
  std::vector<Operand> x = row.x;
  for (const BiasPlacement& p : placed)
    if (p.op >= 0) x.push_back(builder_.constant(p.constant));
  g_.layer_inputs.push_back(x);
  const auto n_x = static_cast<int>(x.size());
  std::vector<Operand> operand(static_cast<std::size_t>(n_x) + sol.ops.size());
  for (int i = 0; i < n_x; ++i)
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
    n.coeffs = coeffs[static_cast<std::size_t>(n_x) + k];
    operand[static_cast<std::size_t>(n_x) + k] = builder_.node(n);
  }

  std::vector<Operand> y;
  for (int j = 0; j < n_out; ++j) {
    const Fixed& b = row.bias[static_cast<std::size_t>(j)];
    const auto& term = sol.outputs[static_cast<std::size_t>(j)];
    if (!term) {
      y.push_back(builder_.constant(b));
      continue;
    }
    Operand t = term_operand(*term);
    t.shift -= row.weight_frac;
    if ((b.code == 0 || placed[static_cast<std::size_t>(j)].op >= 0) && !term->negative) {
      y.push_back(t);
      continue;
    }
    Node n;
    if (b.code == 0) {
      n.kind = NodeKind::Neg;
      n.operands = {t};
    } else {
      n.kind = NodeKind::Add;
      const Operand c = builder_.constant(b);
      n.operands = {term->negative ? c : t, term->negative ? t : c};
      n.sub = term->negative;
    }
    y.push_back(builder_.node(n));
  }
  return y;
}

std::vector<Operand> Lowering::lower_forms(const std::vector<SourceForm>& forms, const Shape& shape,
                                           const std::string& at) {
  // One position of all channels of the last axis at a time, cut into groups of
  // outputs that share no input (an element-wise add or a sum over particles is
  // many small independent sums, not one wide matrix).
  const auto width = static_cast<std::size_t>(last_axis(shape));
  std::vector<Row> rows;
  std::vector<std::vector<std::size_t>> row_outputs;
  std::vector<std::size_t> parent;
  auto find = [&](std::size_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (std::size_t first = 0; first < forms.size(); first += width) {
    parent.resize(width);
    for (std::size_t j = 0; j < width; ++j) parent[j] = j;
    std::map<std::pair<int, int>, std::size_t> user;  // source -> an output reading it
    for (std::size_t j = 0; j < width; ++j)
      for (const SourceTerm& t : forms[first + j].terms) {
        const auto [it, fresh] = user.emplace(std::make_pair(t.tensor, t.element), j);
        if (!fresh) parent[find(j)] = find(it->second);
      }
    std::map<std::size_t, std::vector<std::size_t>> groups;  // by least output
    for (std::size_t j = 0; j < width; ++j) groups[find(j)].push_back(first + j);
    std::vector<std::vector<std::size_t>> ordered;
    for (auto& [root, outs] : groups) ordered.push_back(std::move(outs));
    std::sort(ordered.begin(), ordered.end());
    for (std::vector<std::size_t>& outs : ordered) {
      // The group's inputs: every source any of its forms names, in order.
      std::vector<std::pair<int, int>> sources;
      double pairs = 0, digits = 0;
      for (std::size_t j : outs) {
        double d = 0;
        for (const SourceTerm& t : forms[j].terms) {
          sources.emplace_back(t.tensor, t.element);
          d += csd_digits(normalized(t.weight).code);
        }
        pairs += d * d;
        digits += d;
      }
      std::sort(sources.begin(), sources.end());
      sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
      // The size guard before the matrix is built (its entries are sources x outputs).
      check_size(pairs, digits * static_cast<double>(sources.size()), sources.size(), outs.size(),
                 at, options_.cmvm.share);
      std::vector<std::vector<Fixed>> columns(outs.size(), std::vector<Fixed>(sources.size()));
      Row row;
      for (std::size_t j = 0; j < outs.size(); ++j) {
        const SourceForm& f = forms[outs[j]];
        row.bias.push_back(f.bias);
        for (const SourceTerm& t : f.terms) {
          const auto pos =
              static_cast<std::size_t>(std::lower_bound(sources.begin(), sources.end(),
                                                        std::make_pair(t.tensor, t.element)) -
                                       sources.begin());
          columns[j][pos] = t.weight;
        }
      }
      row.w = integer_matrix(columns, sources.size(), row.weight_frac, at);
      for (std::size_t i = 0; i < sources.size(); ++i) {
        const auto& [tensor, element] = sources[i];
        const Operand x = operands_[static_cast<std::size_t>(tensor)]
                              ->elements[static_cast<std::size_t>(element)];
        row.x.push_back(x);
        const Node& xn = g_.at(x.node);
        const int xf = operand_type(g_, x).frac_bits;
        row.specs.push_back({std::ldexp(static_cast<double>(xn.lo), -xf),
                             std::ldexp(static_cast<double>(xn.hi), -xf), xf});
        if (xn.lo != xn.hi) continue;
        // A constant input: its products go into the bias, so they cost no adders.
        for (std::size_t j = 0; j < outs.size(); ++j) {
          const Fixed& w = columns[j][i];
          if (w.code == 0 || xn.lo == 0) continue;
          row.bias[j] = exact_add(row.bias[j], multiply_constant(w, {xn.lo, xf}));
        }
        row.w.row(static_cast<Eigen::Index>(i)).setZero();
      }
      rows.push_back(std::move(row));
      row_outputs.push_back(std::move(outs));
    }
  }
  // Rows of equal weights share one solution, solved for the union of their inputs' ranges.
  std::vector<std::string> keys;
  for (const Row& r : rows) keys.push_back(r.x.empty() ? std::string() : row_key(r));
  std::map<std::string, std::vector<cmvm::InputSpec>> specs;
  std::vector<std::string> order;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    if (r.x.empty()) continue;
    const std::string& key = keys[k];
    if (solutions_.contains(key)) continue;
    auto [it, fresh] = specs.emplace(key, r.specs);
    if (fresh) {
      order.push_back(key);
      continue;
    }
    for (std::size_t i = 0; i < r.specs.size(); ++i) {
      cmvm::InputSpec& s = it->second[i];
      s.lo = std::min(s.lo, r.specs[i].lo);
      s.hi = std::max(s.hi, r.specs[i].hi);
      s.frac_bits = std::max(s.frac_bits, r.specs[i].frac_bits);
    }
  }
  progress::Task task("solving the CMVM problems of " + at, order.size());
  for (const std::string& key : order) {
    const Row& r =
        rows[static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin())];
    check_matrix_size(r.w, at, options_.cmvm.share);
    cmvm::Solution sol = cmvm::solve(r.w, specs.at(key), options_.cmvm);
    cmvm::orient(sol, specs.at(key), [&](int j, cmvm::OperandBits out) {
      return negated_output_cost(rows, keys, key, j, out);
    });
    auto coeffs = cmvm::operand_coefficients(sol);
    solutions_.emplace(key, std::make_pair(std::move(sol), std::move(coeffs)));
    task.advance();
  }
  std::vector<Operand> y(forms.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto part = instantiate(rows[k]);
    for (std::size_t j = 0; j < part.size(); ++j) y[row_outputs[k][j]] = part[j];
  }
  return y;
}

const TensorOperands& Lowering::materialise(int t) {
  auto& slot = operands_[static_cast<std::size_t>(t)];
  if (slot) return *slot;
  const ModelNode& node = model_.node_of(t);
  // Composed inputs were decided when t's forms were made; lower them here.
  slot = TensorOperands{node.shape,
                        lower_forms(forms_[static_cast<std::size_t>(t)], node.shape, node.at)};
  return *slot;
}

void Lowering::lower_node(int t) {
  const ModelNode& node = model_.node_of(t);
  const NodeContext n = model_.context_of(node);
  if (is_linear(t)) {
    // Compose the candidate inputs unless that costs more digits than lowering
    // them apart (W2 * W1 of two dense layers can be much denser than both) or
    // needs wider weights than a CMVM takes.
    bool composed = false;
    long long apart = 0;
    for (int in : node.inputs) {
      if (!candidate_[static_cast<std::size_t>(in)]) continue;
      if (!values_fit(forms_[static_cast<std::size_t>(in)])) {
        candidate_[static_cast<std::size_t>(in)] = false;  // lowered alone: its own limit error
        materialise(in);
        continue;
      }
      composed = true;
      apart += digit_cost(forms_[static_cast<std::size_t>(in)]);
    }
    std::vector<SourceForm> forms;
    bool fits = true;
    try {
      forms = compose(t, composed);
      fits = fits_weight_span(forms, static_cast<std::size_t>(last_axis(node.shape)));
    } catch (const std::overflow_error&) {
      fits = false;
    }
    if (composed) {
      std::vector<SourceForm> alone = compose(t, false);
      if (!fits || digit_cost(forms) > apart + digit_cost(alone)) {
        for (int in : node.inputs)
          if (candidate_[static_cast<std::size_t>(in)]) {
            candidate_[static_cast<std::size_t>(in)] = false;
            materialise(in);
          }
        forms = std::move(alone);
      }
    }
    forms_[static_cast<std::size_t>(t)] = std::move(forms);
    if (!candidate_[static_cast<std::size_t>(t)]) {
      for (int in : node.inputs)  // sources must exist before the rows use them
        if (!candidate_[static_cast<std::size_t>(in)] && is_linear(in)) materialise(in);
      materialise(t);
    }
    return;
  }
  OperandInputs in;
  for (int i : node.inputs) in.push_back(&materialise(i));
  std::vector<Operand> y = std::visit(
      [&](const auto& op) -> std::vector<Operand> {
        using T = std::decay_t<decltype(op)>;
        if constexpr (RearrangingOperation<T>) {
          std::vector<Operand> out;
          for (const auto& [s, e] : op.gather(n))
            out.push_back(in[static_cast<std::size_t>(s)]->elements[static_cast<std::size_t>(e)]);
          return out;
        } else if constexpr (LinearOperation<T>) {
          throw InternalError("a linear op reached the non-linear lowering");
        } else {
          return op.lower(builder_, in, n);
        }
      },
      node.op);
  operands_[static_cast<std::size_t>(t)] = TensorOperands{node.shape, std::move(y)};
}

AdderGraph Lowering::run() {
  g_.name = model_.name;
  g_.input_types = model_.input_types;
  const auto tensors = static_cast<std::size_t>(model_.tensor_count());
  operands_.resize(tensors);
  forms_.resize(tensors);
  candidate_.assign(tensors, false);

  // Size guard before any optimisation: the weights of each dense or conv row.
  for (const ModelNode& node : model_.nodes) {
    std::vector<std::vector<Fixed>> columns;
    std::size_t rows = 0;
    if (const auto* d = std::get_if<DenseOp>(&node.op)) {
      rows = static_cast<std::size_t>(d->n_in);
      columns.assign(static_cast<std::size_t>(d->n_out), std::vector<Fixed>(rows));
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < columns.size(); ++j)
          columns[j][i] = d->weights[i * columns.size() + j];
    } else if (const auto* c = std::get_if<ConvOp>(&node.op)) {
      rows = c->kernel.size() / static_cast<std::size_t>(c->cout);
      columns.assign(static_cast<std::size_t>(c->cout), std::vector<Fixed>(rows));
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < columns.size(); ++j)
          columns[j][i] = c->kernel[i * columns.size() + j];
    } else {
      continue;
    }
    int frac = 0;
    check_matrix_size(integer_matrix(columns, rows, frac, node.at), node.at, options_.cmvm.share);
  }

  std::vector<int> consumers(tensors, 0);
  std::vector<bool> linear_consumer(tensors, true);
  for (std::size_t k = 0; k < model_.nodes.size(); ++k) {
    const int t = static_cast<int>(model_.inputs.size() + k);
    for (int in : model_.nodes[k].inputs) {
      ++consumers[static_cast<std::size_t>(in)];
      if (!is_linear(t)) linear_consumer[static_cast<std::size_t>(in)] = false;
    }
  }
  for (int t : model_.outputs) linear_consumer[static_cast<std::size_t>(t)] = false;
  for (std::size_t t = 0; t < tensors; ++t)
    candidate_[t] = is_linear(static_cast<int>(t)) && consumers[t] == 1 && linear_consumer[t];

  std::size_t next = 0;
  for (std::size_t i = 0; i < model_.inputs.size(); ++i) {
    TensorOperands x{model_.inputs[i].shape, {}};
    for (std::size_t e = 0; e < model_.inputs[i].types.size(); ++e) {
      Node n;
      n.kind = NodeKind::Input;
      n.input_index = static_cast<int>(next++);
      x.elements.push_back(builder_.node(n));
    }
    operands_[i] = std::move(x);
  }
  for (std::size_t k = 0; k < model_.nodes.size(); ++k) {
    const ModelNode& node = model_.nodes[k];
    throw_if_interrupted();  // a caller that catches signals (the Python module) stops here
    try {
      lower_node(static_cast<int>(model_.inputs.size() + k));
    } catch (const ToolError& e) {
      throw ModelError(node.at, e.what());
    } catch (const std::overflow_error& e) {
      throw ModelError(node.at, std::string("values in this layer are too wide: ") + e.what());
    } catch (const std::bad_alloc&) {
      throw ToolError(out_of_memory_message("optimising " + node.at));
    }
  }
  for (int t : model_.outputs) {
    const TensorOperands& y = materialise(t);
    g_.outputs.insert(g_.outputs.end(), y.elements.begin(), y.elements.end());
  }
  return std::move(g_);
}

}  // namespace

AdderGraph lower_model(const Model& model, const LowerOptions& options) {
  return Lowering(model, options).run();
}

}  // namespace dagen
