// Tensor shapes and element indexing: N-d arrays without a batch axis, elements
// in C (row-major) order, as model.json version 2 lays them out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dagen {

using Shape = std::vector<int>;

// The number of elements (1 for a rank-0 shape).
std::size_t element_count(const Shape& shape);

// Row-major strides: stride[k] = product of shape[k+1 ..].
std::vector<std::size_t> strides_of(const Shape& shape);

// The multi-index of element `flat` and back.
std::vector<int> multi_index(const Shape& shape, std::size_t flat);
std::size_t flat_index(const Shape& shape, const std::vector<int>& index);

// "[8, 8, 1]" for messages.
std::string to_string(const Shape& shape);

// The size of the last axis (1 for rank 0): the width of one "row" (a position
// of all channels) that per-position linear ops share.
int last_axis(const Shape& shape);

}  // namespace dagen
