// Reference evaluation of a model, written from the specification:
// dense  y_j = sum_i w_ij * x_i + b_j (exact), relu max(x, 0), quantize with
// TRN/RND rounding and WRAP/SAT/SAT_SYM overflow.  It never looks at the graph.
#include "dagen/reference.hpp"

#include <algorithm>
#include <stdexcept>

#include "dagen/diag.hpp"

namespace dagen {

namespace {

std::vector<Fixed> apply_dense(const DenseLayer& layer, const std::vector<Fixed>& x) {
  std::vector<Fixed> y;
  for (int j = 0; j < layer.n_out(); ++j) {
    // Every term as odd * 2^-f (trailing zeros stripped): the sum's grid is the
    // finest any nonzero term needs, so no code is wider than its value (a weight
    // 2^40 times a 100-bit code is a 60-bit value on a coarse grid, not a
    // 140-bit code; a zero-width input may have any frac_bits, e.g. 512).
    struct Term {
      i128 code;
      int frac;
    };
    std::vector<Term> terms;
    const i128 b = layer.bias[static_cast<std::size_t>(j)];
    if (b != 0) terms.push_back({b >> trailing_zeros(b), layer.bias_frac - trailing_zeros(b)});
    for (int i = 0; i < layer.n_in(); ++i) {
      const i128 w = layer.weights(i, j);
      const Fixed& xi = x[static_cast<std::size_t>(i)];
      if (w == 0 || xi.code == 0) continue;
      const int tw = trailing_zeros(w), tx = trailing_zeros(xi.code);
      i128 product = 0;
      if (__builtin_mul_overflow(w >> tw, xi.code >> tx, &product))
        throw std::overflow_error("a product of a weight and an input needs more than 127 bits");
      terms.push_back({product, xi.frac + layer.weight_frac - tw - tx});
    }
    int frac = 0;
    for (std::size_t t = 0; t < terms.size(); ++t)
      frac = t == 0 ? terms[t].frac : std::max(frac, terms[t].frac);
    i128 sum = 0;
    for (const Term& t : terms)
      if (__builtin_add_overflow(sum, shift_left(t.code, frac - t.frac), &sum))
        throw std::overflow_error("a sum needs more than 127 bits");
    y.push_back({sum, frac});
  }
  return y;
}

}  // namespace

std::vector<Fixed> evaluate_reference(const Model& model, const std::vector<i128>& input_codes) {
  std::vector<Fixed> values;
  for (std::size_t i = 0; i < input_codes.size(); ++i)
    values.push_back({input_codes[i], model.input_types[i].frac_bits});
  for (std::size_t k = 0; k < model.layers.size(); ++k) {
    const Layer& layer = model.layers[k];
    if (const auto* dense = std::get_if<DenseLayer>(&layer)) {
      try {
        values = apply_dense(*dense, values);
      } catch (const std::overflow_error& e) {
        // Only --eval gets here (a compiled graph keeps every value within kMaxWidth).
        throw ModelError(k < model.layer_paths.size() ? model.layer_paths[k] : "layers",
                         std::string(e.what()) + "; the limit of every value is " +
                             std::to_string(kMaxWidth) + " bits (see docs/limits.md)");
      }
    } else if (std::holds_alternative<ReluLayer>(layer)) {
      for (Fixed& v : values) v.code = std::max<i128>(v.code, 0);
    } else {
      const auto& q = std::get<QuantizeLayer>(layer);
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = {quantize(values[i], q.to[i], q.rounding, q.overflow), q.to[i].frac_bits};
    }
  }
  return values;
}

}  // namespace dagen
