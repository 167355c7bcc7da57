// The reference model for many vectors (the Python package's predict): the same
// values as evaluate_reference(), with each linear op's forms prepared once as
// integer dot products and everything else done by the ops' own references.
#pragma once

#include <optional>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/model.hpp"
#include "dagen/ops.hpp"

namespace dagen {

class BatchReference {
 public:
  // Keeps a reference to `model`, which must outlive it.
  explicit BatchReference(const Model& model);
  // evaluate_reference(model, input_codes), values equal; safe from several threads.
  std::vector<Fixed> evaluate(const std::vector<i128>& input_codes) const;

  // The prepared forms of one linear op (batch_reference.cpp).
  struct Form {
    std::vector<int> index;              // into the node's inputs, concatenated
    std::vector<i128> weight;            // codes on the op's weight grid
    std::vector<std::int64_t> weight64;  // the same, when all fit
    Fixed bias;
    i128 l1 = 0;  // sum of |weight|: bounds the dot product
  };
  struct Linear {
    int weight_frac = 0;
    bool fits64 = true;
    int l1_bits = 0;  // bit length of the largest l1
    std::vector<Form> forms;
  };

 private:
  struct Step {
    NodeContext context;
    std::optional<Linear> linear;  // a linear op whose weights fit the fast path
    std::optional<Gather> gather;  // a rearranging op
  };
  std::vector<Fixed> linear_values(const Linear& l,
                                   const std::vector<const TensorValues*>& in) const;

  const Model& model_;
  std::vector<Step> steps_;  // one per node
};

}  // namespace dagen
