// The C ABI of a verilated da-gen design as a shared library, loaded by the Python package
// (python/dagen/sim.py, ctypes).  Compiled in one unit with Verilator's output: the top is
// chosen at compile time (DAGEN_TOP_CLASS / DAGEN_TOP_HEADER).
//
// Ports travel as 32-bit words, least significant first, x_words() per input vector and
// y_words() per output vector.  dagen_sim_run streams one vector every `ii` clocks (the
// initiation interval: x_valid high with each, when the design has the handshake; in the ii - 1
// cycles between, x carries the next vector early, so that a design sampling x late is wrong)
// and collects y `latency` cycles after each; its last `latency` cycles drive x_valid low, so
// that the next run starts from a pipeline that holds no valid data, like a new instance.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <type_traits>

#include "dagen_ports.h"
#include "verilated.h"
#include DAGEN_TOP_HEADER

namespace {

using Top = DAGEN_TOP_CLASS;
using XPort = std::remove_reference_t<decltype(std::declval<Top&>().x)>;
using YPort = std::remove_reference_t<decltype(std::declval<Top&>().y)>;

struct Sim {
  VerilatedContext context;
  Top top{&context};
};

}  // namespace

#define DAGEN_SIM_EXPORT extern "C" __attribute__((visibility("default")))

// Bumped when a signature or the meaning of a result changes; sim.py checks it.
DAGEN_SIM_EXPORT int dagen_sim_abi() { return 2; }
DAGEN_SIM_EXPORT int dagen_sim_x_words() {
  return static_cast<int>(dagen_sim::port_words<XPort>());
}
DAGEN_SIM_EXPORT int dagen_sim_y_words() {
  return static_cast<int>(dagen_sim::port_words<YPort>());
}
DAGEN_SIM_EXPORT int dagen_sim_clocked() { return dagen_sim::is_clocked<Top>() ? 1 : 0; }
DAGEN_SIM_EXPORT int dagen_sim_has_valid() { return dagen_sim::has_valid<Top>() ? 1 : 0; }

// A new instance (registers at their initial values), or null when construction failed.
DAGEN_SIM_EXPORT void* dagen_sim_create() {
  try {
    auto sim = std::make_unique<Sim>();
    dagen_sim::clock_low(sim->top);
    dagen_sim::drive_valid(sim->top, 0);
    sim->top.eval();
    return sim.release();
  } catch (...) {
    return nullptr;
  }
}

DAGEN_SIM_EXPORT void dagen_sim_destroy(void* handle) {
  if (!handle) return;
  auto* sim = static_cast<Sim*>(handle);
  sim->top.final();
  delete sim;
}

// Streams n vectors x[0 .. n*x_words()), one every `ii` cycles, and writes their outputs to
// y[0 .. n*y_words()).  Returns 0, or 1 with a one-line reason in `error` when y_valid is not
// high exactly `latency` cycles after each input and low in every other cycle (before the first
// output and up to ii - 1 cycles after the last); the reason numbers the vectors from `first`.
DAGEN_SIM_EXPORT int dagen_sim_run(void* handle, const std::uint32_t* x, std::uint32_t* y,
                                   std::int64_t n, int latency, int ii, std::int64_t first,
                                   char* error, int error_size) {
  auto& top = static_cast<Sim*>(handle)->top;
  constexpr std::size_t xw = dagen_sim::port_words<XPort>(), yw = dagen_sim::port_words<YPort>();
  if (ii < 1) {
    std::snprintf(error, static_cast<std::size_t>(error_size), "initiation interval %d < 1", ii);
    return 1;
  }
  for (std::int64_t t = 0; t < n * ii + latency; ++t) {
    const std::int64_t k = t / ii;  // the vector taken at or before t
    const bool input = t % ii == 0 && k < n;
    if (input)
      dagen_sim::set_port(top.x, x + k * xw, xw);
    else if (k < n)
      dagen_sim::set_port(top.x, x + ((k + 1) % n) * xw, xw);
    dagen_sim::drive_valid(top, input ? 1 : 0);
    top.eval();
    const std::int64_t v = t - latency;  // the cycle whose input y shows now, if one was taken
    const bool due = v >= 0 && v % ii == 0 && v / ii < n;
    if (!dagen_sim::y_valid_is(top, due ? 1 : 0)) {
      const std::int64_t last = k < n ? k : n - 1;
      if (due)
        std::snprintf(error, static_cast<std::size_t>(error_size),
                      "y_valid is low %d cycles after input vector %lld", latency,
                      static_cast<long long>(first + v / ii));
      else if (v < 0)
        std::snprintf(error, static_cast<std::size_t>(error_size),
                      "y_valid is high %lld cycles after input vector %lld, before it can "
                      "reach y (latency %d)",
                      static_cast<long long>(t), static_cast<long long>(first), latency);
      else
        std::snprintf(error, static_cast<std::size_t>(error_size),
                      "y_valid is high %lld cycles after input vector %lld, not %d (a new input "
                      "every %d cycles)",
                      static_cast<long long>(t - last * ii), static_cast<long long>(first + last),
                      latency, ii);
      return 1;
    }
    if (due) dagen_sim::get_port(top.y, y + (v / ii) * yw);
    dagen_sim::clock_cycle(top);
  }
  return 0;
}
