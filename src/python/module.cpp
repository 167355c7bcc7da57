// dagen._core: the library's model reading, option interpretation, build, files,
// output directory and reference model for the Python package (python/dagen).
// The C++ exceptions become dagen.ModelError / OptionError / ToolError carrying
// the message the command line prints after "da-gen: error: " / "da-gen: usage: ".
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "bindings.hpp"
#include "dagen/cli_options.hpp"
#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/model_json.hpp"

namespace py = pybind11;

namespace dagen::python {

namespace {

PyObject* g_error = nullptr;
PyObject* g_model_error = nullptr;
PyObject* g_option_error = nullptr;
PyObject* g_tool_error = nullptr;

PyObject* new_error(py::module_& m, const char* name, const char* doc, py::tuple bases) {
  PyObject* type =
      PyErr_NewExceptionWithDoc((std::string("dagen.") + name).c_str(), doc, bases.ptr(), nullptr);
  if (!type) throw py::error_already_set();
  m.add_object(name, py::handle(type));
  return type;
}

void add_errors(py::module_& m) {
  g_error = new_error(m, "Error", "Any error da-gen reports (the CLI's one-line message).",
                      py::make_tuple(py::handle(PyExc_Exception)));
  const py::handle error(g_error), value_error(PyExc_ValueError);
  g_model_error = new_error(m, "ModelError",
                            "An invalid model: '<JSON location>: <problem>', as the CLI says it.",
                            py::make_tuple(error, value_error));
  g_option_error =
      new_error(m, "OptionError", "A bad build option or combination, named as the CLI spells it.",
                py::make_tuple(error, value_error));
  g_tool_error = new_error(m, "ToolError",
                           "A failure of the environment or a limit (I/O, output directory "
                           "refused, a clock no pipeline meets).",
                           py::make_tuple(error));
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ModelError& e) {
      PyErr_SetString(g_model_error, e.what());
    } catch (const OptionError& e) {
      PyErr_SetString(g_option_error, e.what());
    } catch (const ToolError& e) {
      PyErr_SetString(g_tool_error, e.what());
    } catch (const Interrupted&) {
      clear_interrupt();  // reported: the next build or write starts afresh
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const InternalError& e) {
      PyErr_SetString(PyExc_RuntimeError, (std::string("internal error: ") + e.what()).c_str());
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, out_of_memory_message("").c_str());
    }
  });
}

py::dict type_dict(const FixedType& t) {
  py::dict d;
  d["width"] = t.width();
  d["signed"] = t.is_signed;
  d["int_bits"] = t.int_bits;
  d["frac_bits"] = t.frac_bits;
  return d;
}

py::list type_list(const std::vector<FixedType>& types) {
  py::list l;
  for (const FixedType& t : types) l.append(type_dict(t));
  return l;
}

// One list entry per input or output tensor: name, shape and its element count.
py::list tensor_list(const Model& m, const std::vector<int>& tensors) {
  py::list l;
  for (int t : tensors) {
    py::dict d;
    d["name"] = m.tensor_name(t);
    d["shape"] = py::tuple(py::cast(m.shape_of(t)));
    d["size"] = element_count(m.shape_of(t));
    l.append(d);
  }
  return l;
}

py::dict option_dict(const BuildOption& b) {
  py::dict d;
  d["name"] = b.name;
  d["help"] = b.help;
  d["flag"] = b.flag;
  d["default"] = b.default_value ? py::object(py::str(b.default_value)) : py::object(py::none());
  d["shapes_design"] = b.shapes_design;
  return d;
}

std::shared_ptr<PyDesign> build(const std::shared_ptr<PyModel>& model, const GivenOptions& given) {
  auto d = std::make_shared<PyDesign>();
  d->model = model;
  d->flow = flow_options_from(given);
  py::gil_scoped_release release;
  InterruptGuard interrupts;  // Ctrl-C stops the build at its next step (Interrupted)
  clear_interrupt();
  d->design = build_design(*model->model, d->flow);
  return d;
}

py::dict files_of(const PyDesign& d) {
  py::dict out;
  for (const auto& [name, text] : design_files(d.design, d.flow))
    out[py::str(name)] = py::bytes(text);
  return out;
}

std::string write_design(const PyDesign& d, const std::string& directory, bool force) {
  if (directory.empty()) throw OptionError("-o/--output must not be empty");
  const auto files = design_files(d.design, d.flow);
  py::gil_scoped_release release;
  const OutputDir dir = resolve_output_dir(directory, d.model->path);
  write_output_dir(dir, files, force, {});
  return dir.shown.string();
}

}  // namespace

}  // namespace dagen::python

PYBIND11_MODULE(_core, m) {
  using namespace dagen;
  using namespace dagen::python;
  m.doc() = "da-gen's C++ core (the Python API is the dagen package)";
  m.attr("version") = kVersion;
  add_errors(m);

  py::class_<PyModel, std::shared_ptr<PyModel>>(m, "Model")
      .def_property_readonly("name", [](const PyModel& p) { return p.model->name; })
      .def_property_readonly("version", [](const PyModel& p) { return p.model->version; })
      .def_property_readonly("path", [](const PyModel& p) { return p.path; })
      .def_property_readonly("input_types",
                             [](const PyModel& p) { return type_list(p.model->input_types); })
      .def_property_readonly("output_types",
                             [](const PyModel& p) { return type_list(p.output_types()); })
      .def_property_readonly("input_tensors",
                             [](const PyModel& p) {
                               std::vector<int> t;
                               for (std::size_t i = 0; i < p.model->inputs.size(); ++i)
                                 t.push_back(static_cast<int>(i));
                               return tensor_list(*p.model, t);
                             })
      .def_property_readonly("output_tensors", [](const PyModel& p) {
        return tensor_list(*p.model, p.model->outputs);
      });

  py::class_<PyDesign, std::shared_ptr<PyDesign>>(m, "Design")
      .def_property_readonly("top", [](const PyDesign& d) { return d.design.top; })
      .def_property_readonly("latency", [](const PyDesign& d) { return d.design.schedule.latency; })
      .def_property_readonly("output_types", &PyDesign::output_types)
      .def("report_json", [](const PyDesign& d) { return d.design.report.dump(); })
      .def("files", &files_of)
      .def("write", &write_design, py::arg("directory"), py::arg("force") = false);

  m.def(
      "read_model_file",
      [](const std::string& path) {
        return std::make_shared<PyModel>(read_model_file(path), path);
      },
      py::arg("path"));
  m.def(
      "read_model_text",
      [](const std::string& text, const std::string& source) {
        return std::make_shared<PyModel>(read_model_text(text, source), "");
      },
      py::arg("text"), py::arg("source"));
  m.def("build_options", [] {
    py::list l;
    for (const BuildOption& b : build_options()) l.append(option_dict(b));
    return l;
  });
  m.def(
      "flow_options_check", [](const GivenOptions& given) { flow_options_from(given); },
      "Interprets the options as a build would (raises OptionError), builds nothing.");
  m.def("build_design", &build, py::arg("model"), py::arg("options"));
  m.def("evaluate_int64", &evaluate_int64, py::arg("model"), py::arg("codes"),
        py::arg("output_types"));
  m.def("evaluate_objects", &evaluate_objects, py::arg("model"), py::arg("codes"),
        py::arg("output_types"));
}
