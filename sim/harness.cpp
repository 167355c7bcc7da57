// Generic Verilator harness for a da-gen design.  Replays a vector file
// ("dagen-vectors 1", see src/io/vectors.cpp): drives one input vector per
// clock cycle, and compares y with the expected output `latency` cycles later.
// The top is chosen at compile time (DAGEN_TOP_CLASS / DAGEN_TOP_HEADER);
// ports of any width (CData .. VlWide) are handled by overloads.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "verilated.h"
#include DAGEN_TOP_HEADER

namespace {

using Words = std::vector<std::uint32_t>;

Words words_from_hex(const std::string& hex) {
  Words w((hex.size() * 4 + 31) / 32 + 1, 0);
  for (std::size_t k = 0; k < hex.size(); ++k) {
    const char c = hex[hex.size() - 1 - k];
    const std::uint32_t d = static_cast<std::uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    w[k / 8] |= d << (4 * (k % 8));
  }
  return w;
}

std::string hex_from_words(const Words& w, int bits) {
  std::string hex;
  for (int nib = (bits + 3) / 4 - 1; nib >= 0; --nib) {
    std::uint32_t d = (w[static_cast<std::size_t>(nib / 8)] >> (4 * (nib % 8))) & 0xF;
    const int top_bits = bits - nib * 4;
    if (top_bits < 4) d &= (1u << top_bits) - 1;
    hex.push_back("0123456789abcdef"[d]);
  }
  return hex;
}

template <typename T>
void set_port(T& port, const Words& w) {
  if constexpr (std::is_integral_v<T>) {
    std::uint64_t v = w[0] | (w.size() > 1 ? static_cast<std::uint64_t>(w[1]) << 32 : 0);
    port = static_cast<T>(v);
  } else {
    for (std::size_t i = 0; i < sizeof(port) / sizeof(std::uint32_t); ++i)
      port[i] = i < w.size() ? w[i] : 0;
  }
}

template <typename T>
Words get_port(const T& port) {
  if constexpr (std::is_integral_v<T>) {
    const auto v = static_cast<std::uint64_t>(port);
    return {static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(v >> 32)};
  } else {
    Words w;
    for (std::size_t i = 0; i < sizeof(port) / sizeof(std::uint32_t); ++i) w.push_back(port[i]);
    return w;
  }
}

// Combinational designs have no clk port; the check must be in a template to be SFINAE-friendly.
template <typename Top>
void clock_cycle(Top& top) {
  if constexpr (requires { top.clk; }) {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
}

template <typename Top>
void clock_low(Top& top) {
  if constexpr (requires { top.clk; }) top.clk = 0;
}

// With a valid handshake the harness marks every third cycle invalid and
// checks y_valid against x_valid delayed by the latency (0 before that).
int valid_pattern(long t) { return (t % 3 != 2) ? 1 : 0; }

template <typename Top>
void drive_valid(Top& top, long t) {
  if constexpr (requires { top.x_valid; }) top.x_valid = valid_pattern(t);
}

template <typename Top>
bool y_valid_is(Top& top, int expected) {
  if constexpr (requires { top.y_valid; }) return top.y_valid == expected;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " VECTORS\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::string magic;
  int version = 0, x_bits = 0, y_bits = 0, latency = 0;
  long count = 0;
  in >> magic >> version >> x_bits >> y_bits >> latency >> count;
  if (!in || magic != "dagen-vectors" || version != 1) {
    std::cerr << "FAIL: cannot read vector file " << argv[1] << "\n";
    return 2;
  }
  std::vector<std::string> xs(static_cast<std::size_t>(count)), ys(static_cast<std::size_t>(count));
  for (long k = 0; k < count; ++k)
    in >> xs[static_cast<std::size_t>(k)] >> ys[static_cast<std::size_t>(k)];

  auto context = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<DAGEN_TOP_CLASS>(context.get());
  clock_low(*top);
  long mismatches = 0;
  for (long t = 0; t < count + latency; ++t) {
    set_port(top->x, words_from_hex(xs[static_cast<std::size_t>(t < count ? t : count - 1)]));
    drive_valid(*top, t);
    top->eval();
    if (t < latency && !y_valid_is(*top, 0)) {
      if (++mismatches <= 10)
        std::cout << "MISMATCH y_valid set at cycle " << t << ", before any input\n";
    }
    if (t >= latency) {
      const std::string& expected = ys[static_cast<std::size_t>(t - latency)];
      const std::string got = hex_from_words(get_port(top->y), y_bits);
      if (!y_valid_is(*top, valid_pattern(t - latency))) {
        if (++mismatches <= 10) std::cout << "MISMATCH y_valid at vector " << t - latency << "\n";
      } else if (got != expected) {
        if (++mismatches <= 10)
          std::cout << "MISMATCH vector " << t - latency
                    << ": x=" << xs[static_cast<std::size_t>(t - latency)]
                    << " expected y=" << expected << " got y=" << got << "\n";
      }
    }
    clock_cycle(*top);
  }
  top->final();
  if (mismatches == 0) {
    std::cout << "PASS: " << count << " vectors, latency " << latency << "\n";
    return 0;
  }
  std::cout << "FAIL: " << mismatches << " of " << count << " vectors mismatched\n";
  return 1;
}
