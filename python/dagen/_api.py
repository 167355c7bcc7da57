"""Model and Design: the Python face of the command line (docs/python.md)."""

from __future__ import annotations

import json
import os
import tempfile
import warnings

import numpy as np

from . import _core
from ._batch import input_batch
from ._codes import decode, encode, element_types
from ._options import given_options


class InexactOutputWarning(UserWarning):
    """predict() returned integer codes: some output element is wider than 53 bits, so its
    values do not all fit a float64; the value of a code c of element k is
    c * 2**-outputs[k]['frac_bits']."""


def _port_types(types) -> list[tuple[int, bool, int]]:
    return [(t.width, t.signed, t.frac_bits) for t in element_types(types)]


def _evaluate(core_model, codes: np.ndarray, output_types) -> np.ndarray:
    ports = _port_types(output_types)
    if codes.dtype == object:
        out = _core.evaluate_objects(core_model, codes.tolist(), ports)
    else:
        out = _core.evaluate_int64(core_model, codes, ports)
    if isinstance(out, list):
        a = np.empty((len(out), len(ports)), dtype=object)
        for v, row in enumerate(out):
            a[v, :] = row
        return a
    return out


def _predict(model: "Model", output_types, x, quantize, overflow, codes: bool):
    batch, one = input_batch(x, model.input_tensors)
    c = encode(batch, model.inputs, quantize=quantize, overflow=overflow, what="x")
    y = _evaluate(model._core, c, output_types)
    if not codes:
        values, exact = decode(y, output_types)
        if exact:
            y = values
        else:
            wide = [k for k, t in enumerate(element_types(output_types)) if t.width > 53]
            warnings.warn(
                f"output element {wide[0]} is {element_types(output_types)[wide[0]].width} bits "
                f"wide, beyond float64's 53: returning the integer codes; the value of code c of "
                f"element k is c * 2**-outputs[k]['frac_bits'] (codes=True asks for them "
                f"without this warning)",
                InexactOutputWarning,
                stacklevel=3,
            )
    return y[0] if one else y


class Model:
    """A model.json, read and validated (dagen.load / dagen.loads)."""

    def __init__(self, core_model):
        self._core = core_model

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def inputs(self) -> list[dict]:
        """Every input element's type in x port order: {width, signed, int_bits, frac_bits}."""
        return self._core.input_types

    @property
    def outputs(self) -> list[dict]:
        """Every output element's type in y port order, by the model's interval rules (a built
        design's report may give a narrower one: Design.outputs)."""
        return self._core.output_types

    @property
    def input_tensors(self) -> list[dict]:
        """The input tensors in port order: {name, shape, size}."""
        return self._core.input_tensors

    @property
    def output_tensors(self) -> list[dict]:
        return self._core.output_tensors

    def predict(self, x, *, quantize=None, overflow=None, codes=False):
        """The bit-exact reference model on a batch (shapes: docs/python.md).  Values must be
        exact codes of the input types unless quantize='TRN'|'RND' (and in range unless
        overflow='WRAP'|'SAT'), else dagen.CodeError.  float64 outputs when every output element
        is at most 53 bits wide, else the integer codes with an InexactOutputWarning;
        codes=True returns the codes always."""
        return _predict(self, self.outputs, x, quantize, overflow, codes)

    def predict_codes(self, codes):
        """Input codes (n, total inputs) -> output codes (n, total outputs), on the types of
        `outputs`: int64 arrays, object arrays of Python ints beyond 63 bits."""
        c = np.asarray(codes)
        if c.ndim == 1:
            return self.predict_codes(c.reshape(1, -1))[0]
        return _evaluate(self._core, c if c.dtype == object else c.astype(np.int64), self.outputs)

    def build(self, **options) -> "Design":
        """The design, as `da-gen MODEL.json` with the same options: pipeline=3,
        clock_period=1.5, ternary=True, ... (dagen.build_options()).  Raises OptionError,
        ModelError or ToolError with the CLI's message; Ctrl-C raises KeyboardInterrupt."""
        return Design(self, _core.build_design(self._core, given_options(options)))

    def __repr__(self) -> str:
        return (f"<dagen.Model {self.name!r}: {len(self.inputs)} inputs, "
                f"{len(self._core.output_tensors)} output tensors>")


class Design:
    """A built design: its files, report and reference model (Model.build)."""

    def __init__(self, model: Model, core_design):
        self.model = model
        self._core = core_design
        self._files = None
        self._report = None
        self._written = None  # the directory write() last wrote
        self._scratch = None  # compile()'s temporary directory, removed with the design

    @property
    def top(self) -> str:
        return self._core.top

    @property
    def latency(self) -> int:
        """Clock cycles from x to y (0: combinational)."""
        return self._core.latency

    @property
    def files(self) -> dict[str, bytes]:
        """The files write() writes (not the manifest), name -> contents."""
        if self._files is None:
            self._files = self._core.files()
        return dict(self._files)

    @property
    def report(self) -> dict:
        """<top>.json: latency, stats, pipeline, ports (docs/model-format.md)."""
        if self._report is None:
            self._report = json.loads(self._core.report_json())
        return json.loads(json.dumps(self._report))

    @property
    def outputs(self) -> list[dict]:
        """The y port's elements: {width, signed, frac_bits, offset}."""
        return self._core.output_types

    def write(self, directory, *, force: bool = False) -> str:
        """Writes exactly the files `da-gen -o DIRECTORY` writes, with its safety: the manifest,
        the refused directories, `force` for a non-empty directory da-gen did not write.
        Returns the directory's absolute path."""
        path = self._core.write(os.fspath(directory), bool(force))
        self._written = path
        return path

    def predict(self, x, *, quantize=None, overflow=None, codes=False):
        """Model.predict, with the outputs on the y port's types (the report's)."""
        return _predict(self.model, self.outputs, x, quantize, overflow, codes)

    def compile(self, directory=None, **options):
        """The written RTL built by Verilator (dagen.sim.compile): written into `directory`
        first when given, else the directory write() wrote, else a temporary one."""
        from . import sim

        if self.report.get("hdl") == "vhdl":  # Verilator reads Verilog only
            raise sim.SimBuildError(
                "compile() simulates the Verilog with Verilator; this design is VHDL: build it "
                "with hdl='verilog' (the same design) or verify the VHDL with "
                "`da-gen --hdl vhdl --verify` (GHDL)"
            )
        if directory is not None:
            self.write(directory)
        elif self._written is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="dagen-")
            self.write(os.path.join(self._scratch.name, self.top))
        return sim.compile(self._written, **options)

    def __repr__(self) -> str:
        return f"<dagen.Design {self.top!r}: latency {self.latency}>"
