// Generic Verilator harness for a da-gen design.  Replays a vector file
// ("dagen-vectors 1", see src/io/vectors.cpp): drives one input vector per
// clock cycle, and compares y with the expected output `latency` cycles later.
// The top is chosen at compile time (DAGEN_TOP_CLASS / DAGEN_TOP_HEADER);
// ports of any width (CData .. VlWide) are driven by dagen_ports.h.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "dagen_ports.h"
#include "verilated.h"
#include DAGEN_TOP_HEADER

namespace {

using namespace dagen_sim;
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

// With a valid handshake the harness marks every third cycle invalid and
// checks y_valid against x_valid delayed by the latency (0 before that).
int valid_pattern(long t) { return (t % 3 != 2) ? 1 : 0; }

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
    const Words x = words_from_hex(xs[static_cast<std::size_t>(t < count ? t : count - 1)]);
    set_port(top->x, x.data(), x.size());
    drive_valid(*top, valid_pattern(t));
    top->eval();
    if (t < latency && !y_valid_is(*top, 0)) {
      if (++mismatches <= 10)
        std::cout << "MISMATCH y_valid set at cycle " << t << ", before any input\n";
    }
    if (t >= latency) {
      const std::string& expected = ys[static_cast<std::size_t>(t - latency)];
      Words y(port_words<std::remove_reference_t<decltype(top->y)>>());
      get_port(top->y, y.data());
      const std::string got = hex_from_words(y, y_bits);
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
