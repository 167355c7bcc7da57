// Batch evaluation of the reference model on integer codes: int64 arrays on
// threads without the GIL, or Python ints for elements beyond 63 bits.
#include <cstdint>
#include <string>

#include "bindings.hpp"
#include "dagen/diag.hpp"
#include "dagen/exact.hpp"
#include "parallel.hpp"

namespace py = pybind11;

namespace dagen::python {

namespace {

constexpr std::size_t kChunk = 512;  // vectors per task

void check_width(const PyModel& m, std::size_t elements) {
  if (elements != m.model->input_types.size())
    throw py::value_error("codes: expected " + std::to_string(m.model->input_types.size()) +
                          " input elements per vector, got " + std::to_string(elements));
}

void check_code(const PyModel& m, std::size_t v, std::size_t k, i128 code) {
  const FixedType& t = m.model->input_types[k];
  if (!code_in_type(code, t))
    throw py::value_error("codes[" + std::to_string(v) + ", " + std::to_string(k) +
                          "] = " + to_string(code) + " is not a code of element " +
                          std::to_string(k) + " (" + to_string(t) + ")");
}

bool fits_int64(const PortTypes& types) {
  for (const auto& [width, is_signed, frac] : types)
    if (width > 63) return false;
  return true;
}

// out[v * m + k]: output k of vector v as a code on its element's grid.
std::vector<i128> evaluate_batch(const PyModel& m, std::size_t n, const std::vector<i128>& inputs,
                                 const PortTypes& types) {
  const std::size_t elements = m.model->input_types.size(), outs = types.size();
  std::vector<i128> out(n * outs);
  const BatchReference& reference = m.batch_reference();
  run_parallel((n + kChunk - 1) / kChunk, [&](std::size_t chunk) {
    std::vector<i128> x(elements);
    for (std::size_t v = chunk * kChunk; v < std::min(n, (chunk + 1) * kChunk); ++v) {
      std::copy_n(inputs.begin() + static_cast<std::ptrdiff_t>(v * elements), elements, x.begin());
      const std::vector<Fixed> y = reference.evaluate(x);
      if (y.size() != outs)
        throw std::invalid_argument("output_types: " + std::to_string(outs) + " types for " +
                                    std::to_string(y.size()) + " outputs");
      for (std::size_t k = 0; k < outs; ++k)
        out[v * outs + k] = code_on_grid(y[k], std::get<2>(types[k]));
    }
  });
  return out;
}

// Python int <-> i128 (codes are at most 120 bits wide).
i128 to_i128(py::handle h) {
  int overflow = 0;
  const long long small = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
  if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (!overflow) return small;
  const std::string text = py::str(h);
  const bool negative = text.starts_with('-');
  i128 v = 0;
  for (char c : text.substr(negative ? 1 : 0)) {
    if (c < '0' || c > '9' || v > (std::numeric_limits<i128>::max() - 9) / 10)
      throw py::value_error("codes: " + text + " is not a code (wider than 126 bits)");
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

py::object to_python(i128 v) {
  if (v >= INT64_MIN && v <= INT64_MAX) return py::int_(static_cast<long long>(v));
  return py::reinterpret_steal<py::object>(PyLong_FromString(to_string(v).c_str(), nullptr, 10));
}

py::object result(std::vector<i128> out, std::size_t n, const PortTypes& types) {
  const std::size_t outs = types.size();
  if (fits_int64(types)) {
    py::array_t<std::int64_t> a({n, outs});
    std::int64_t* p = a.mutable_data();
    for (std::size_t i = 0; i < out.size(); ++i) p[i] = static_cast<std::int64_t>(out[i]);
    return a;
  }
  py::list rows;
  for (std::size_t v = 0; v < n; ++v) {
    py::list row;
    for (std::size_t k = 0; k < outs; ++k) row.append(to_python(out[v * outs + k]));
    rows.append(row);
  }
  return rows;
}

}  // namespace

py::object evaluate_int64(
    const PyModel& m,
    const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& codes,
    const PortTypes& types) {
  if (codes.ndim() != 2) throw py::value_error("codes: expected a 2-D array (vectors, elements)");
  const auto n = static_cast<std::size_t>(codes.shape(0));
  const auto elements = static_cast<std::size_t>(codes.shape(1));
  check_width(m, elements);
  const std::int64_t* p = codes.data();
  std::vector<i128> inputs(p, p + n * elements);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    check_code(m, i / elements, i % elements, inputs[i]);
  std::vector<i128> out;
  {
    py::gil_scoped_release release;
    out = evaluate_batch(m, n, inputs, types);
  }
  return result(std::move(out), n, types);
}

py::object evaluate_objects(const PyModel& m, const py::list& codes, const PortTypes& types) {
  const std::size_t n = codes.size(), elements = m.model->input_types.size();
  std::vector<i128> inputs;
  inputs.reserve(n * elements);
  for (std::size_t v = 0; v < n; ++v) {
    const py::sequence row = codes[v];
    check_width(m, row.size());
    for (std::size_t k = 0; k < elements; ++k) {
      inputs.push_back(to_i128(row[k]));
      check_code(m, v, k, inputs.back());
    }
  }
  std::vector<i128> out;
  {
    py::gil_scoped_release release;
    out = evaluate_batch(m, n, inputs, types);
  }
  return result(std::move(out), n, types);
}

}  // namespace dagen::python
