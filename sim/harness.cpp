// Generic Verilator harness for a da-gen design.  Replays a vector file
// ("dagen-vectors 1", see src/io/vectors.cpp) and compares y with the expected
// output `latency` cycles after each input.
//   dagen_sim VECTORS [II]
// II (the initiation interval, default 1): 1 drives one input vector per clock
// cycle; K > 1 presents a vector at most once every K cycles, with garbage on x
// in between (see ii_schedule below).
// The top is chosen at compile time (DAGEN_TOP_CLASS / DAGEN_TOP_HEADER);
// ports of any width (CData .. VlWide) are driven by dagen_ports.h.
#include <algorithm>
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

// At II 1 with a valid handshake the harness marks every third cycle invalid and
// checks y_valid against x_valid delayed by the latency (0 before that).
int valid_pattern(long t) { return (t % 3 != 2) ? 1 : 0; }

// splitmix64's finaliser: a fixed pseudo-random sequence, the same on every run.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// At II = K > 1, vector k is presented (x_valid high) in cycle t_k: t_0 = 3 after idle cycles,
// t_{k+1} = t_k + K + gap_k, the gap 0 in 5 of 8 inputs (exactly every K cycles), 1 in 2 of 8
// and 2 .. 2K in the rest.
std::vector<long> ii_schedule(long count, int ii) {
  std::vector<long> at(static_cast<std::size_t>(count));
  long t = 3;
  for (long k = 0; k < count; ++k) {
    at[static_cast<std::size_t>(k)] = t;
    const std::uint64_t h = mix(static_cast<std::uint64_t>(k));
    const long gap = h % 8 < 5 ? 0 : h % 8 < 7 ? 1 : 2 + static_cast<long>((h >> 8) % (2 * ii - 1));
    t += ii + gap;
  }
  return at;
}

// x in a cycle without x_valid: the complement of the vector just taken in the cycle after it
// (a design sampling x late sees every bit wrong), pseudo-random bits otherwise; `bits` wide.
Words garbage(const Words& last, bool after_input, long t, int bits, std::size_t n) {
  Words w(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    w[i] = after_input ? ~(i < last.size() ? last[i] : 0u)
                       : static_cast<std::uint32_t>(mix(static_cast<std::uint64_t>(t) * 64 + i));
  for (std::size_t i = 0; i < n; ++i) {
    const int low = static_cast<int>(i) * 32;
    if (bits <= low)
      w[i] = 0;
    else if (bits - low < 32)
      w[i] &= (1u << (bits - low)) - 1;
  }
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  int ii = 1;
  if (argc == 3) {
    const std::string arg = argv[2];
    ii = arg.empty() || arg.size() > 6 || arg.find_first_not_of("0123456789") != std::string::npos
             ? 0
             : std::stoi(arg);
  }
  if (argc < 2 || argc > 3 || ii < 1) {
    std::cerr << "usage: " << argv[0] << " VECTORS [II]  (II: an integer >= 1)\n";
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
  using XPort = std::remove_reference_t<decltype(top->x)>;
  using YPort = std::remove_reference_t<decltype(top->y)>;
  clock_low(*top);
  long mismatches = 0, extra_pulses = 0;  // extra_pulses: y_valid high with no output due
  // y against vector k's expected output (after the eval of the cycle it is due in).
  auto check_y = [&](long k) {
    Words y(port_words<YPort>());
    get_port(top->y, y.data());
    const std::string got = hex_from_words(y, y_bits);
    const std::string& expected = ys[static_cast<std::size_t>(k)];
    if (got != expected && ++mismatches <= 10)
      std::cout << "MISMATCH vector " << k << ": x=" << xs[static_cast<std::size_t>(k)]
                << " expected y=" << expected << " got y=" << got << "\n";
  };
  if (ii == 1) {
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
        if (!y_valid_is(*top, valid_pattern(t - latency))) {
          if (++mismatches <= 10) std::cout << "MISMATCH y_valid at vector " << t - latency << "\n";
        } else {
          check_y(t - latency);
        }
      }
      clock_cycle(*top);
    }
  } else {
    // Every cycle: y_valid high exactly `latency` cycles after each input, low otherwise (also
    // before the first and for II cycles after the last output); y checked when it is high.
    const std::vector<long> at = ii_schedule(count, ii);
    const long cycles = (count > 0 ? at.back() : 0) + latency + ii + 1;
    std::vector<long> taken(static_cast<std::size_t>(cycles), -1);  // the vector taken at t
    for (long k = 0; k < count; ++k)
      taken[static_cast<std::size_t>(at[static_cast<std::size_t>(k)])] = k;
    Words last(port_words<XPort>(), 0);
    for (long t = 0; t < cycles; ++t) {
      const long k = taken[static_cast<std::size_t>(t)];
      const bool after_input = t > 0 && taken[static_cast<std::size_t>(t - 1)] >= 0;
      if (k >= 0) last = words_from_hex(xs[static_cast<std::size_t>(k)]);
      const Words x =
          k >= 0 ? last : garbage(last, after_input, t, std::max(x_bits, 1), port_words<XPort>());
      set_port(top->x, x.data(), x.size());
      drive_valid(*top, k >= 0 ? 1 : 0);
      top->eval();
      const long due = t >= latency ? taken[static_cast<std::size_t>(t - latency)] : -1;
      if (!y_valid_is(*top, due >= 0 ? 1 : 0)) {
        if (++mismatches <= 10) {
          if (due >= 0)
            std::cout << "MISMATCH y_valid low at cycle " << t << ", " << latency
                      << " cycles after vector " << due << "\n";
          else
            std::cout << "MISMATCH y_valid high at cycle " << t << ", no input " << latency
                      << " cycles before\n";
        }
        if (due < 0) ++extra_pulses;
      } else if (due >= 0) {
        check_y(due);
      }
      clock_cycle(*top);
    }
  }
  top->final();
  if (mismatches == 0) {
    std::cout << "PASS: " << count << " vectors, latency " << latency;
    if (ii > 1) std::cout << ", ii " << ii;
    std::cout << "\n";
    return 0;
  }
  std::cout << "FAIL: " << mismatches - extra_pulses << " of " << count << " vectors mismatched";
  if (extra_pulses > 0)
    std::cout << ", " << extra_pulses << " extra y_valid pulse" << (extra_pulses > 1 ? "s" : "");
  std::cout << "\n";
  return 1;
}
