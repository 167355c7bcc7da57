"""The written RTL of a design, built by Verilator as a shared library and run from numpy.

    sim = dagen.sim.compile("out/")      # a directory da-gen wrote (its <top>.json and *.v)
    y = sim.predict(x)                   # an input every initiation_interval clocks, y `latency` later

compile() verilates the design the way `da-gen --verify` does and caches the library (see
_sim_build.py); predict() streams a batch through it.  Elements of any width: codes up to 63
bits travel as int64, wider ones as Python ints (see _codes.py).
"""

from __future__ import annotations

import ctypes
import json
import os
import warnings
from pathlib import Path

import numpy as np

from . import _sim_build
from ._codes import CodeError, decode, element_types, encode
from ._sim_build import SimBuildError
from ._sim_words import check_codes, pack, unpack

try:  # the package's own (python/dagen/__init__.py), when it defines it before importing sim
    from . import InexactOutputWarning
except ImportError:

    class InexactOutputWarning(UserWarning):
        """Some output is not exact in a double: the integer codes are returned instead."""


__all__ = ["compile", "Sim", "SimBuildError", "SimRunError", "InexactOutputWarning", "CodeError"]

_ABI = 2
_CHUNK = 1 << 16  # vectors per call into the library: an interrupt is seen between calls
_ERROR_SIZE = 512


class SimRunError(RuntimeError):
    """The simulated design broke its interface: y_valid was not high exactly `latency`
    cycles after each input (and low in every other cycle)."""


def compile(design_dir, *, build_dir=None, jobs=None) -> "Sim":
    """The simulation of the design da-gen wrote into design_dir, built (or found in the cache:
    build_dir, else $DAGEN_SIM_CACHE, else $XDG_CACHE_HOME/dagen/sim) and loaded.

    jobs: compilers run at once (default: the CPUs this process may use).  Raises
    SimBuildError (one line, naming the build log) when Verilator or a compiler is missing, the
    directory holds no da-gen design, or the build fails."""
    design_dir = Path(design_dir)
    report_path, report = _read_report(design_dir)
    top = report["top"]
    rtl = sorted(design_dir.glob("*.v"))
    if design_dir / f"{top}.v" not in rtl:
        raise SimBuildError(f"dagen.sim: {design_dir}: no {top}.v beside {report_path.name}")
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = max(1, int(jobs or 1))
    tools = _sim_build.Tools()
    root = _sim_build.cache_root(build_dir).absolute()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SimBuildError(f"dagen.sim: cannot create the build directory {root}: {e}") from None
    # The library depends on the Verilog only; the report is checked against it on loading.
    key = _sim_build.design_key(tools, rtl, _sim_build.shim_dir())
    library = _sim_build.build_library(tools, root, rtl, top, key, jobs)
    return Sim(library, report)


def _read_report(design_dir: Path):
    """The design's report: the one <top>.json whose "top" is its own name."""
    if not design_dir.is_dir():
        raise SimBuildError(f"dagen.sim: {design_dir}: not a directory")
    found = []
    for path in sorted(design_dir.glob("*.json")):
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(report, dict) and report.get("top") == path.stem:
            if all(k in report for k in ("latency_cycles", "inputs", "outputs")):
                found.append((path, report))
    if len(found) != 1:
        what = "no da-gen report" if not found else "more than one da-gen report"
        raise SimBuildError(f"dagen.sim: {design_dir}: {what} (<top>.json with its \"top\")")
    return found[0]


def _port_words(ports) -> int:
    """32-bit words of a packed port (at least one: an empty port is one unused bit)."""
    bits = max([p["offset"] + p["width"] for p in ports] + [1])
    return (bits + 31) // 32


class Sim:
    """A loaded simulation of one design.  Not thread-safe: one batch at a time."""

    def __init__(self, library: Path, report: dict):
        self._report = report
        self._inputs = [dict(p) for p in report["inputs"]]
        self._outputs = [dict(p) for p in report["outputs"]]
        self._in_types = element_types(self._inputs)
        self._out_types = element_types(self._outputs)
        self._latency = int(report["latency_cycles"])
        self._ii = report.get("initiation_interval", 1)  # reports before --ii have none
        self.library = Path(library)
        try:
            lib = ctypes.CDLL(str(self.library))
        except OSError as e:
            raise SimBuildError(f"dagen.sim: cannot load {self.library}: {e}") from None
        lib.dagen_sim_create.restype = ctypes.c_void_p
        lib.dagen_sim_destroy.argtypes = [ctypes.c_void_p]
        lib.dagen_sim_run.argtypes = [
            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int,
            ctypes.c_int, ctypes.c_int64, ctypes.c_char_p, ctypes.c_int,
        ]
        self._lib = lib
        self._handle = None
        if lib.dagen_sim_abi() != _ABI:
            raise SimBuildError(f"dagen.sim: {library}: C ABI {lib.dagen_sim_abi()}, not {_ABI}")
        self._x_words, self._y_words = lib.dagen_sim_x_words(), lib.dagen_sim_y_words()
        self.valid, self.clocked = bool(lib.dagen_sim_has_valid()), bool(lib.dagen_sim_clocked())
        self._check_report()
        self._handle = self._create()

    def _check_report(self):
        """The report and the verilated top must describe the same interface."""
        top, r = self._report["top"], self._report
        problems = []
        if _port_words(self._inputs) != self._x_words:
            problems.append(f"x has {self._x_words} words, the report's inputs need "
                            f"{_port_words(self._inputs)}")
        if _port_words(self._outputs) != self._y_words:
            problems.append(f"y has {self._y_words} words, the report's outputs need "
                            f"{_port_words(self._outputs)}")
        if "valid" in r and bool(r["valid"]) != self.valid:
            problems.append(f"the report says valid={r['valid']}")
        if "clocked" in r and bool(r["clocked"]) != self.clocked:
            problems.append(f"the report says clocked={r['clocked']}")
        if self._latency < 0 or (self._latency > 0 and not self.clocked):
            problems.append(f"latency {self._latency} without a clock")
        if not isinstance(self._ii, int) or isinstance(self._ii, bool) or self._ii < 1:
            problems.append(f"initiation_interval {self._ii!r} is not an integer >= 1")
        if problems:
            raise SimBuildError(f"dagen.sim: {top}: the Verilog does not match its report: "
                                + "; ".join(problems))

    def _create(self):
        handle = self._lib.dagen_sim_create()
        if not handle:
            raise MemoryError(f"dagen.sim: cannot create an instance of {self.top}")
        return handle

    @property
    def top(self) -> str:
        return self._report["top"]

    @property
    def latency(self) -> int:
        """Clock cycles from an input vector to its output (0: combinational)."""
        return self._latency

    @property
    def initiation_interval(self) -> int:
        """Clock cycles from one input to the next (the report's "initiation_interval", 1
        when absent: an input every cycle)."""
        return self._ii

    @property
    def inputs(self) -> list[dict]:
        """The input elements, as in the report: offset, width, signed, frac_bits."""
        return [dict(p) for p in self._inputs]

    @property
    def outputs(self) -> list[dict]:
        return [dict(p) for p in self._outputs]

    def predict_codes(self, codes) -> np.ndarray:
        """Output codes of a batch of input codes (n, inputs), or of one vector (inputs,).

        Codes are integers (int64 or Python ints), each within its element's range (CodeError
        otherwise).  Returns int64 codes when every output is at most 63 bits wide, else an
        object array of Python ints; one vector in, one vector out."""
        single = np.ndim(codes) == 1
        c = check_codes(codes, self._in_types)
        x = pack(c, self._in_types, [p["offset"] for p in self._inputs], self._x_words)
        y = np.zeros((x.shape[0], self._y_words), dtype=np.uint32)
        for start in range(0, x.shape[0], _CHUNK):
            self._run(x[start : start + _CHUNK], y[start : start + _CHUNK], start)
        out = unpack(y, self._out_types, [p["offset"] for p in self._outputs])
        return out[0] if single else out

    def _run(self, x: np.ndarray, y: np.ndarray, first: int):
        if self._handle is None:
            raise ValueError("dagen.sim: this simulation is closed")
        error = ctypes.create_string_buffer(_ERROR_SIZE)
        status = self._lib.dagen_sim_run(
            self._handle, x.ctypes.data, y.ctypes.data, x.shape[0], self._latency, self._ii,
            first, error, _ERROR_SIZE,
        )
        if status != 0:
            # The instance's pipeline is in the middle of a batch: start the next from a new one.
            self._lib.dagen_sim_destroy(self._handle)
            self._handle = self._create()
            raise SimRunError(f"dagen.sim: {self.top}: {error.value.decode(errors='replace')}")

    def predict(self, x, *, quantize=None, overflow=None, codes=False) -> np.ndarray:
        """Outputs of a batch of input values x (n, inputs), or of one vector (inputs,).

        Every value must be exact in its input type unless quantize='TRN'|'RND', and in range
        unless overflow='WRAP'|'SAT' (CodeError otherwise).  Returns float64 values when every
        output is exact in a double (at most 53 bits wide); else the integer codes (value =
        code * 2**-frac_bits) with an InexactOutputWarning.  codes=True: always the codes."""
        single = np.ndim(x) == 1
        c = encode(x, self._in_types, quantize=quantize, overflow=overflow)
        y = self.predict_codes(c)
        if codes:
            return y[0] if single else y
        values, exact = decode(y, self._out_types)
        if not exact:
            warnings.warn(
                f"{self.top}: outputs wider than 53 bits are not exact in float64; returning "
                "integer codes (value = code * 2**-frac_bits)",
                InexactOutputWarning,
                stacklevel=2,
            )
        return values[0] if single else values

    def close(self):
        """Frees the instance (the library stays loaded while the process runs)."""
        if getattr(self, "_handle", None):
            self._lib.dagen_sim_destroy(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def __repr__(self) -> str:
        return (f"<dagen.sim.Sim {self.top}: {len(self._inputs)} inputs, "
                f"{len(self._outputs)} outputs, latency {self._latency}"
                + (f", initiation interval {self._ii}" if self._ii != 1 else "") + ">")
