#include "dagen/tensor.hpp"

namespace dagen {

std::size_t element_count(const Shape& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

std::vector<std::size_t> strides_of(const Shape& shape) {
  std::vector<std::size_t> stride(shape.size(), 1);
  for (std::size_t k = shape.size(); k-- > 1;)
    stride[k - 1] = stride[k] * static_cast<std::size_t>(shape[k]);
  return stride;
}

std::vector<int> multi_index(const Shape& shape, std::size_t flat) {
  std::vector<int> index(shape.size(), 0);
  for (std::size_t k = shape.size(); k-- > 0;) {
    const auto d = static_cast<std::size_t>(shape[k]);
    index[k] = static_cast<int>(flat % d);
    flat /= d;
  }
  return index;
}

std::size_t flat_index(const Shape& shape, const std::vector<int>& index) {
  std::size_t flat = 0;
  for (std::size_t k = 0; k < shape.size(); ++k)
    flat = flat * static_cast<std::size_t>(shape[k]) + static_cast<std::size_t>(index[k]);
  return flat;
}

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
  return s + "]";
}

int last_axis(const Shape& shape) { return shape.empty() ? 1 : shape.back(); }

}  // namespace dagen
