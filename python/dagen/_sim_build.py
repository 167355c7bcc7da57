"""Building a written design into a shared library with Verilator, cached (dagen.sim.compile).

The build follows da-gen --verify (src/flow/verify.cpp): `verilator --cc`, then Verilator's
output and the C ABI shim (sim/pysim.cpp) compiled as one or two unity translation units at
-O0 (compile time dominates: a 100 000-vector batch of the JSC model runs in under a second),
linked with Verilator's runtime into lib<top>.so.  Everything is compiled -fPIC and with hidden
visibility, so that several designs (each with its own copy of the runtime) load side by side.

The cache directory holds
- runtime-<key>/: verilated.o & co. and a precompiled verilated.h, built once per Verilator,
  compiler and flags, shared by every design;
- <top>-<key>/: one design's library, keyed by its files, the shim, Verilator and the compiler;
- <top>-<key>.failed/: the logs of the last failed build of that key.
Each is built in a temporary directory beside it and renamed into place, so concurrent builds
never see half of one.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_FORMAT = "dagen-sim 1"  # bumped when the layout or the flags change meaning
# Generated sources above this many bytes are split into two units compiled in parallel.
_SPLIT_BYTES = 500_000
_SHIM_FILES = ("pysim.cpp", "dagen_ports.h", "dagen_sim_pch.h")


class SimBuildError(RuntimeError):
    """Verilator or a compiler is missing, or building a design's simulation failed.  The
    message is one line; it names the build log when there is one."""


def cache_root(build_dir) -> Path:
    """build_dir, else $DAGEN_SIM_CACHE, else $XDG_CACHE_HOME/dagen/sim (~/.cache/dagen/sim)."""
    if build_dir is not None:
        return Path(build_dir)
    if os.environ.get("DAGEN_SIM_CACHE"):
        return Path(os.environ["DAGEN_SIM_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dagen" / "sim"


def shim_dir() -> Path:
    """Where pysim.cpp and its headers are: installed beside this package (dagen/_sim), else
    the source tree's sim/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_sim", here.parent.parent / "sim"):
        if all((candidate / f).is_file() for f in _SHIM_FILES):
            return candidate
    raise SimBuildError(f"cannot find the simulation shim (sim/pysim.cpp) beside {here}")


def _verilator() -> str:
    root = os.environ.get("VERILATOR_ROOT")
    if root and os.access(os.path.join(root, "bin", "verilator"), os.X_OK):
        return os.path.join(root, "bin", "verilator")
    found = shutil.which("verilator")
    if not found:
        raise SimBuildError(
            "dagen.sim needs Verilator: 'verilator' is not on PATH (or set VERILATOR_ROOT)"
        )
    return found


def _compiler() -> list[str]:
    if os.environ.get("CXX"):
        cxx = shlex.split(os.environ["CXX"])
        if not shutil.which(cxx[0]):
            raise SimBuildError(f"dagen.sim needs a C++ compiler: CXX={cxx[0]} is not on PATH")
        return cxx
    for name in ("c++", "g++", "clang++"):
        if shutil.which(name):
            return [name]
    raise SimBuildError(
        "dagen.sim needs a C++ compiler: none of c++, g++, clang++ is on PATH (or set CXX)"
    )


def _output(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        raise SimBuildError(f"dagen.sim: {shlex.join(argv)} failed: {e}") from None


class Tools:
    """Verilator and the compiler, with what identifies them in cache keys."""

    def __init__(self):
        self.verilator = _verilator()
        self.cxx = _compiler()
        self.root = Path(_output([self.verilator, "--getenv", "VERILATOR_ROOT"]))
        self.verilator_version = _output([self.verilator, "--version"])
        cxx_version = _output(self.cxx + ["--version"])
        # GCC finds a precompiled header beside the -include'd one; clang would need -include-pch.
        self.gcc_pch = "clang" not in cxx_version.lower()
        include = self.root / "include"
        self.flags = [
            "-std=gnu++20",
            "-O0",
            "-fPIC",
            "-fvisibility=hidden",
            "-DVM_COVERAGE=0",
            "-DVM_SC=0",
            "-DVM_TRACE=0",
            "-DVM_TRACE_FST=0",
            "-DVM_TRACE_VCD=0",
            f"-I{include}",
            f"-I{include / 'vltstd'}",
        ]
        self.identity = "\n".join(
            [_FORMAT, self.verilator, str(self.root), self.verilator_version, shlex.join(self.cxx)]
            + [cxx_version]
            + self.flags
        )


def _hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        data = p.encode() if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:20]


def design_key(tools: Tools, files: list[Path], shim: Path) -> str:
    parts: list[bytes | str] = [tools.identity]
    for f in _SHIM_FILES:
        parts += [f, (shim / f).read_bytes()]
    for f in sorted(files, key=lambda p: p.name):
        parts += [f.name, f.read_bytes()]
    return _hash(*parts)


class _Build:
    """One build in a temporary directory: commands run with their output in build.log."""

    def __init__(self, root: Path, final: Path):
        self.final = final
        self.dir = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-", dir=root))
        self.log = self.dir / "build.log"

    def run(self, jobs_argv: list[list[str]], jobs: int, what: str):
        """Runs the commands, at most `jobs` at a time; SimBuildError when one fails."""
        pending = list(enumerate(jobs_argv))
        running: list[tuple[int, subprocess.Popen, Path]] = []
        failed = False
        try:
            while pending or running:
                while pending and len(running) < jobs and not failed:
                    k, argv = pending.pop(0)
                    log = self.dir / f"job{k}.log"
                    with open(log, "w") as out:
                        out.write(f"$ {shlex.join(argv)}\n")
                        out.flush()
                        try:
                            p = subprocess.Popen(
                                argv, cwd=self.dir, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                            )
                        except OSError as e:
                            with open(self.log, "a") as main:
                                main.write(f"$ {shlex.join(argv)}\nerror: cannot run: {e}\n")
                            failed = True
                            continue
                    running.append((k, p, log))
                if not running:
                    break
                done = [r for r in running if r[1].poll() is not None]
                if not done:
                    time.sleep(0.01)
                    continue
                running.remove(done[0])
                k, p, log = done[0]
                status = p.returncode
                with open(self.log, "a") as out:
                    out.write(log.read_text(errors="replace"))
                log.unlink()
                failed = failed or status != 0
        finally:
            for _, p, _ in running:  # an interrupt or a failure: stop the rest
                p.kill()
                p.wait()
        if failed:
            raise self.fail(what)

    def fail(self, what: str) -> SimBuildError:
        """Keeps the logs in <final>.failed and returns the one-line error."""
        failed = self.final.with_name(self.final.name + ".failed")
        shutil.rmtree(failed, ignore_errors=True)
        try:
            os.rename(self.dir, failed)
            log = failed / "build.log"
        except OSError:
            log = self.log
        first = _first_error(log)
        return SimBuildError(f"dagen.sim: {what} failed{': ' + first if first else ''}; log: {log}")

    def commit(self) -> Path:
        """Renames the build into place.  Another process may have done so first; what is
        there without its "ok" (a damaged cache) is replaced."""
        try:
            os.rename(self.dir, self.final)
        except OSError:
            if not (self.final / "ok").is_file():
                shutil.rmtree(self.final, ignore_errors=True)
                os.rename(self.dir, self.final)
        self.discard()
        return self.final

    def discard(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def _first_error(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    for line in lines:
        if "%Error" in line or "error:" in line:
            return line.strip()[:300]
    return ""


def _make_vars(*files: Path) -> dict[str, list[str]]:
    """NAME = / += words of Verilator's make fragments, with backslash continuations."""
    out: dict[str, list[str]] = {}
    for file in files:
        name = None
        for line in file.read_text().splitlines():
            if name is None:
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, value = line.split("=", 1)
                key = key.rstrip("+?:").split()
                if len(key) != 1:
                    continue
                name = key[0]
            else:
                value = line
            more = value.endswith("\\")
            out.setdefault(name, []).extend(value.rstrip("\\").split())
            if not more:
                name = None
    return out


def _progress(message: str):
    if sys.stderr.isatty():
        print(f"dagen.sim: {message}", file=sys.stderr, flush=True)


class Runtime:
    """Verilator's runtime objects and a precompiled verilated.h in one cache directory."""

    def __init__(self, directory: Path, names: list[str], pch: Path | None):
        self.dir = directory
        self.objects = [directory / f"{name}.o" for name in names]
        self.pch = pch


def runtime(tools: Tools, root: Path, shim: Path, names: list[str], jobs: int) -> Runtime:
    """The runtime for these tools and the runtime sources Verilator asked for, built once."""
    pch_text = (shim / "dagen_sim_pch.h").read_bytes()
    key = _hash(tools.identity, pch_text, *sorted(names))
    final = root / f"runtime-{key}"
    pch = final / "dagen_sim_pch.h" if tools.gcc_pch else None
    if (final / "ok").is_file():
        return Runtime(final, names, pch)
    _progress(f"compiling the Verilator runtime into {final}")
    build = _Build(root, final)
    try:
        include = tools.root / "include"
        argvs = [
            tools.cxx + tools.flags + ["-c", str(include / f"{n}.cpp"), "-o", f"{n}.o"]
            for n in names
        ]
        if tools.gcc_pch:  # the longest job (about 5 s): first
            shutil.copyfile(shim / "dagen_sim_pch.h", build.dir / "dagen_sim_pch.h")
            argvs.insert(
                0,
                tools.cxx + tools.flags
                + ["-x", "c++-header", "dagen_sim_pch.h", "-o", "dagen_sim_pch.h.gch"],
            )
        build.run(argvs, jobs, "compiling the Verilator runtime")
        (build.dir / "ok").write_text(tools.identity + "\n")
        return Runtime(build.commit(), names, pch)
    except BaseException:
        build.discard()
        raise


def build_library(tools: Tools, root: Path, rtl: list[Path], top: str, key: str, jobs: int):
    """The cached lib<top>.so of these Verilog files, built if it is not there."""
    final = root / f"{top}-{key}"
    library = final / f"lib{top}.so"
    if (final / "ok").is_file() and library.is_file():
        return library
    shutil.rmtree(final, ignore_errors=True)  # a damaged entry (its library deleted)
    root.mkdir(parents=True, exist_ok=True)
    shim = shim_dir()
    build = _Build(root, final)
    try:
        _progress(f"verilating {top} in {build.dir}")
        # Verilator writes the Verilog paths into its output: copies named relative to the build
        # directory keep the generated code the same wherever the design is.
        (build.dir / "rtl").mkdir()
        for v in rtl:
            shutil.copyfile(v, build.dir / "rtl" / v.name)
        prefix = f"V{top}"
        build.run(
            [[tools.verilator, "--cc", "--prefix", prefix, "--Mdir", "obj", "--top-module", top]
             + [f"rtl/{v.name}" for v in sorted(rtl, key=lambda p: p.name)]],
            1, f"verilating {top}",
        )
        obj = build.dir / "obj"
        mk = _make_vars(obj / f"{prefix}.mk", obj / f"{prefix}_classes.mk")
        names = mk.get("VM_GLOBAL_FAST", []) + mk.get("VM_GLOBAL_SLOW", [])
        rt = runtime(tools, root, shim, names, jobs)
        _progress(f"compiling {top}")
        units = _unity_units(obj, mk, prefix, jobs)
        argvs = []
        for k, text in enumerate(units):
            (obj / f"dagen_pysim_{k}.cpp").write_text(text)
            argv = tools.cxx + tools.flags
            if rt.pch is not None:
                argv += ["-Winvalid-pch", "-include", str(rt.pch)]
            argvs.append(
                argv + ["-iquote", str(shim), "-I", "obj", "-c", f"obj/dagen_pysim_{k}.cpp",
                        "-o", f"obj/dagen_pysim_{k}.o"]
            )
        build.run(argvs, jobs, f"compiling {top}")
        libs = _make_vars(tools.root / "include" / "verilated.mk").get("CFG_LDLIBS_THREADS")
        link = tools.cxx + ["-shared", "-o", library.name]
        link += [f"obj/dagen_pysim_{k}.o" for k in range(len(units))]
        link += [str(o) for o in rt.objects] + (libs or ["-pthread"])
        build.run([link], 1, f"linking {top}")
        shutil.rmtree(obj)  # only the library and the log stay in the cache
        shutil.rmtree(build.dir / "rtl")
        (build.dir / "ok").write_text(key + "\n")
        return build.commit() / library.name
    except BaseException:
        build.discard()
        raise


def _unity_units(obj: Path, mk: dict[str, list[str]], prefix: str, jobs: int) -> list[str]:
    """Verilator's sources in one unit, or two of about equal size when they are large and two
    compilers may run; the shim goes into the first."""
    sources = []
    for var in ("VM_CLASSES_FAST", "VM_CLASSES_SLOW", "VM_SUPPORT_FAST", "VM_SUPPORT_SLOW"):
        for name in mk.get(var, []):
            f = obj / f"{name}.cpp"
            if not f.is_file():
                raise SimBuildError(f"dagen.sim: Verilator listed {f.name} but did not write it")
            sources.append((f.stat().st_size, f.name))
    if not sources:
        raise SimBuildError(f"dagen.sim: Verilator listed no sources in {prefix}_classes.mk")
    total = sum(size for size, _ in sources)
    n = 2 if total > _SPLIT_BYTES and jobs >= 2 else 1
    texts, sizes = [""] * n, [0] * n
    for size, name in sorted(sources, reverse=True):
        k = sizes.index(min(sizes))
        texts[k] += f'#include "{name}"\n'
        sizes[k] += size
    texts[0] += (
        f"#define DAGEN_TOP_CLASS {prefix}\n#define DAGEN_TOP_HEADER \"{prefix}.h\"\n"
        '#include "pysim.cpp"\n'
    )
    return ["// dagen.sim: Verilator's output and the C ABI shim in one unit\n" + t for t in texts]
