// A linear op's output is bias + sum of weight * input (its LinearMap, the same
// forms the lowering optimises).  Here the weights are integer codes on one grid
// and the inputs are aligned to one grid per vector, so a form is a dot product
// of integers: int64 when its bound fits, i128 otherwise; a vector whose bound
// fits neither goes to the op's reference (which reports the overflow).
#include "dagen/batch_reference.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "dagen/exact.hpp"
#include "dagen/reference.hpp"

namespace dagen {

namespace {

i128 magnitude(i128 v) { return v < 0 ? -v : v; }

template <class T>
std::optional<BatchReference::Linear> prepared(const T& op, const NodeContext& n,
                                               const std::vector<std::size_t>& offsets);

}  // namespace

BatchReference::BatchReference(const Model& model) : model_(model) {
  for (const ModelNode& node : model.nodes) {
    Step s{model.context_of(node), std::nullopt, std::nullopt};
    std::vector<std::size_t> offsets;  // of each input slot in the concatenated inputs
    std::size_t at = 0;
    for (int t : node.inputs) {
      offsets.push_back(at);
      at += element_count(model.shape_of(t));
    }
    std::visit(
        [&](const auto& op) {
          using T = std::decay_t<decltype(op)>;
          if constexpr (LinearOperation<T>) {
            s.linear = prepared(op, s.context, offsets);
          } else if constexpr (RearrangingOperation<T>) {
            s.gather = op.gather(s.context);
          }
        },
        node.op);
    steps_.push_back(std::move(s));
  }
}

namespace {

template <class T>
std::optional<BatchReference::Linear> prepared(const T& op, const NodeContext& n,
                                               const std::vector<std::size_t>& offsets) {
  const LinearMap map = op.linear(n);
  BatchReference::Linear l;
  for (const LinearForm& f : map)
    for (const LinearTerm& t : f.terms)
      if (t.weight.code != 0) l.weight_frac = std::max(l.weight_frac, normalized(t.weight).frac);
  try {
    for (const LinearForm& f : map) {
      auto& form = l.forms.emplace_back();
      form.bias = f.bias;
      for (const LinearTerm& t : f.terms) {
        if (t.weight.code == 0) continue;
        const i128 w = code_on_grid(t.weight, l.weight_frac);
        form.index.push_back(
            static_cast<int>(offsets[static_cast<std::size_t>(t.slot)] + t.element));
        form.weight.push_back(w);
        if (__builtin_add_overflow(form.l1, magnitude(w), &form.l1)) return std::nullopt;
        if (bit_length(w) > 62) l.fits64 = false;
      }
      l.l1_bits = std::max(l.l1_bits, bit_length(form.l1));
      if (l.fits64)
        form.weight64.assign(form.weight.begin(), form.weight.end());  // each fits: checked
    }
  } catch (const std::overflow_error&) {
    return std::nullopt;  // weights too wide for one grid: the op's reference does it
  }
  if (!l.fits64)
    for (auto& form : l.forms) form.weight64.clear();
  return l;
}

template <class Acc, class W, class X>
Acc dot(const std::vector<int>& index, const std::vector<W>& weight, const std::vector<X>& x) {
  Acc sum = 0;
  for (std::size_t k = 0; k < index.size(); ++k)
    sum += static_cast<Acc>(weight[k]) * static_cast<Acc>(x[static_cast<std::size_t>(index[k])]);
  return sum;
}

}  // namespace

std::vector<Fixed> BatchReference::linear_values(const Linear& l,
                                                 const std::vector<const TensorValues*>& in) const {
  // One grid for this vector's inputs: the finest any nonzero one needs.
  int frac = std::numeric_limits<int>::min();
  for (const TensorValues* t : in)
    for (const Fixed& v : t->values)
      if (v.code != 0) frac = std::max(frac, v.frac);
  std::vector<i128> aligned;
  int x_bits = 0;
  for (const TensorValues* t : in)
    for (const Fixed& v : t->values) {
      if (v.code == 0) {
        aligned.push_back(0);
        continue;
      }
      const int shift = frac - v.frac;
      if (bit_length(v.code) + shift > 125) return {};  // too wide: the reference decides
      aligned.push_back(shift_left(v.code, shift));
      x_bits = std::max(x_bits, bit_length(aligned.back()));
    }
  const int bound_bits = l.l1_bits + x_bits;  // |dot| < 2^bound_bits
  if (bound_bits > 125) return {};
  const int sum_frac = x_bits == 0 ? 0 : frac + l.weight_frac;
  const auto plus_bias = [&](const Form& f, i128 dot) {
    return f.bias.code == 0 ? normalized({dot, sum_frac}) : exact_add(f.bias, {dot, sum_frac});
  };
  std::vector<Fixed> y;
  y.reserve(l.forms.size());
  if (l.fits64 && bound_bits <= 62) {
    const std::vector<std::int64_t> x64(aligned.begin(), aligned.end());
    for (const Form& f : l.forms)
      y.push_back(plus_bias(f, dot<std::int64_t>(f.index, f.weight64, x64)));
  } else {
    for (const Form& f : l.forms) y.push_back(plus_bias(f, dot<i128>(f.index, f.weight, aligned)));
  }
  return y;
}

std::vector<Fixed> BatchReference::evaluate(const std::vector<i128>& input_codes) const {
  std::vector<TensorValues> tensors;
  tensors.reserve(static_cast<std::size_t>(model_.tensor_count()));
  std::size_t next = 0;
  for (const ModelInput& in : model_.inputs) {
    TensorValues t{in.shape, {}};
    t.values.reserve(in.types.size());
    for (const FixedType& type : in.types)
      t.values.push_back({input_codes.at(next++), type.frac_bits});
    tensors.push_back(std::move(t));
  }
  for (std::size_t k = 0; k < model_.nodes.size(); ++k) {
    const ModelNode& node = model_.nodes[k];
    const Step& s = steps_[k];
    ValueInputs in;
    for (int t : node.inputs) in.push_back(&tensors[static_cast<std::size_t>(t)]);
    std::vector<Fixed> y;
    if (s.gather) {
      y.reserve(s.gather->size());
      for (const auto& [slot, e] : *s.gather)
        y.push_back(in[static_cast<std::size_t>(slot)]->values[static_cast<std::size_t>(e)]);
    } else {
      if (s.linear) {
        try {
          y = linear_values(*s.linear, in);
        } catch (const std::overflow_error&) {
          y.clear();  // a bias sum beyond 127 bits: the reference reports it
        }
      }
      if (y.empty() && element_count(node.shape) > 0)
        y = std::visit(
            [&](const auto& op) -> std::vector<Fixed> {
              using T = std::decay_t<decltype(op)>;
              if constexpr (RearrangingOperation<T>)
                return {};  // has its gather
              else
                return op.reference(in, s.context);
            },
            node.op);
    }
    tensors.push_back({node.shape, std::move(y)});
  }
  std::vector<Fixed> out;
  for (int t : model_.outputs) {
    const auto& v = tensors[static_cast<std::size_t>(t)].values;
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

}  // namespace dagen
