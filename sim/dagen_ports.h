// Driving a verilated da-gen top, shared by the --verify harness (harness.cpp) and the Python
// package's shared library (pysim.cpp): ports of any width (CData .. QData, VlWide) as 32-bit
// words, least significant first, and the optional clk / x_valid / y_valid ports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace dagen_sim {

// 32-bit words a port of type T holds (CData .. IData: 1, QData: 2, VlWide<N>: N).
template <typename T>
constexpr std::size_t port_words() {
  return (sizeof(T) + sizeof(std::uint32_t) - 1) / sizeof(std::uint32_t);
}

// Sets the port from n words (missing words read as 0).
template <typename T>
void set_port(T& port, const std::uint32_t* w, std::size_t n) {
  if constexpr (std::is_integral_v<T>) {
    const std::uint64_t v =
        (n > 0 ? w[0] : 0) | (n > 1 ? static_cast<std::uint64_t>(w[1]) << 32 : 0);
    port = static_cast<T>(v);
  } else {
    for (std::size_t i = 0; i < port_words<T>(); ++i) port[i] = i < n ? w[i] : 0;
  }
}

// Writes the port's port_words<T>() words to w.
template <typename T>
void get_port(const T& port, std::uint32_t* w) {
  if constexpr (std::is_integral_v<T>) {
    const auto v = static_cast<std::uint64_t>(port);
    w[0] = static_cast<std::uint32_t>(v);
    if constexpr (port_words<T>() > 1) w[1] = static_cast<std::uint32_t>(v >> 32);
  } else {
    for (std::size_t i = 0; i < port_words<T>(); ++i) w[i] = port[i];
  }
}

// Combinational designs have no clk port; the checks are in templates to be SFINAE-friendly.
template <typename Top>
constexpr bool is_clocked() {
  return requires(Top & top) { top.clk; };
}

template <typename Top>
constexpr bool has_valid() {
  return requires(Top & top) {
    top.x_valid;
    top.y_valid;
  };
}

// One clock edge (a no-op without clk): clk high, eval, clk low, eval.
template <typename Top>
void clock_cycle(Top& top) {
  if constexpr (is_clocked<Top>()) {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
}

template <typename Top>
void clock_low(Top& top) {
  if constexpr (is_clocked<Top>()) top.clk = 0;
}

template <typename Top>
void drive_valid(Top& top, int valid) {
  if constexpr (has_valid<Top>()) top.x_valid = valid;
}

// Whether y_valid reads `expected` (always true without the handshake).
template <typename Top>
bool y_valid_is(Top& top, int expected) {
  if constexpr (has_valid<Top>()) return top.y_valid == expected;
  return true;
}

}  // namespace dagen_sim
