// What the pieces of dagen._core share: the wrapped model and design, and the
// batch evaluation of the reference model (evaluate.cpp).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "dagen/batch_reference.hpp"
#include "dagen/flow.hpp"
#include "dagen/model.hpp"

namespace dagen::python {

struct PyModel {
  PyModel(Model m, std::string p)
      : model(std::make_shared<const Model>(std::move(m))), path(std::move(p)) {}
  std::shared_ptr<const Model> model;
  std::string path;  // the file read ("" for a text): -o may not name its directory
  // The exact types of the outputs by the model's interval rules (docs/model-format.md),
  // from a lowering without sharing; computed on first use.
  const std::vector<FixedType>& output_types() const;
  // The reference prepared for batches; made on first use.
  const BatchReference& batch_reference() const;

 private:
  mutable std::once_flag once_, batch_once_;
  mutable std::vector<FixedType> output_types_;
  mutable std::unique_ptr<BatchReference> batch_;
};

struct PyDesign {
  std::shared_ptr<PyModel> model;
  FlowOptions flow;
  Design design;
  pybind11::list output_types() const;  // the y port's elements, as the report has them
};

// (width, signed, frac_bits) of each output element, the grid its codes are on.
using PortTypes = std::vector<std::tuple<int, bool, int>>;

// Reference outputs of a batch of input codes (n, inputs), as codes of `types`:
// an int64 array when every output element is at most 63 bits wide, else a
// list of lists of Python ints.  Runs without the GIL, in parallel over vectors.
pybind11::object evaluate_int64(
    const PyModel& model,
    const pybind11::array_t<std::int64_t, pybind11::array::c_style | pybind11::array::forcecast>&
        codes,
    const PortTypes& types);
// The same for codes as Python ints (input elements wider than 63 bits).
pybind11::object evaluate_objects(const PyModel& model, const pybind11::list& codes,
                                  const PortTypes& types);

}  // namespace dagen::python
