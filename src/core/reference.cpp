// Reference evaluation of a model, written from the specification:
// dense  y_j = sum_i w_ij * x_i + b_j (exact), relu max(x, 0), quantize with
// TRN/RND rounding and WRAP/SAT/SAT_SYM overflow.  It never looks at the graph.
#include "dagen/reference.hpp"

#include <algorithm>
#include <stdexcept>

namespace dagen {

namespace {

std::vector<Fixed> apply_dense(const DenseLayer& layer, const std::vector<Fixed>& x) {
  std::vector<Fixed> y;
  for (int j = 0; j < layer.n_out(); ++j) {
    // The grid of y_j: only terms that can be nonzero count (a zero-width input
    // may have any frac_bits, e.g. 512, and must not force an unrepresentable grid).
    int frac = layer.bias_frac;
    for (int i = 0; i < layer.n_in(); ++i) {
      const Fixed& xi = x[static_cast<std::size_t>(i)];
      if (layer.weights(i, j) != 0 && xi.code != 0)
        frac = std::max(frac, xi.frac + layer.weight_frac);
    }
    i128 sum = shift_left(layer.bias[static_cast<std::size_t>(j)], frac - layer.bias_frac);
    for (int i = 0; i < layer.n_in(); ++i) {
      const i128 w = layer.weights(i, j);
      const Fixed& xi = x[static_cast<std::size_t>(i)];
      if (w == 0 || xi.code == 0) continue;
      // w * 2^-wf * code * 2^-xf = (w * code) * 2^-(wf + xf), aligned to `frac`.
      i128 product = 0;
      if (__builtin_mul_overflow(w, xi.code, &product) ||
          __builtin_add_overflow(sum, shift_left(product, frac - layer.weight_frac - xi.frac),
                                 &sum))
        throw std::overflow_error("reference: a sum exceeds 127 bits");
    }
    y.push_back({sum, frac});
  }
  return y;
}

}  // namespace

std::vector<Fixed> evaluate_reference(const Model& model, const std::vector<i128>& input_codes) {
  std::vector<Fixed> values;
  for (std::size_t i = 0; i < input_codes.size(); ++i)
    values.push_back({input_codes[i], model.input_types[i].frac_bits});
  for (const Layer& layer : model.layers) {
    if (const auto* dense = std::get_if<DenseLayer>(&layer)) {
      values = apply_dense(*dense, values);
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
