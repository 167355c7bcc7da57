// cmvm_bench: adders, depth and run time of dagen::cmvm::solve on random matrices,
// following the protocol of the CMVM literature (HCMVM, da4ml): N x N matrices with
// integer entries uniform in [129, 255], averaged over many matrices, for the
// unconstrained problem and for depth slack dc = 2 and dc = 0.
//
// Matrices: for each N a std::mt19937_64 seeded with (seed + N); entries are
// 129 + (rng() % 127), drawn matrix by matrix, row (input) by row, column by column.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dagen/cmvm.hpp"

namespace {

using dagen::cmvm::IntMatrix;

struct Args {
  std::vector<int> sizes = {2, 4, 8, 12, 16};
  int count = 1000;
  int big_count = 0;  // count for N >= 32 (0: count / 10, at least 10)
  std::uint64_t seed = 20250704;
  std::vector<std::string> modes = {"free", "dc2", "dc0"};
  std::string dump_file;
  std::string json_file;
  bool scaling = false;
  int effort = -1;
  bool bits = false;  // Objective::AdderBits
};

struct Anchor {
  int n;
  const char* mode;
  const char* text;
};

// Published means (adders @ depth) from the da4ml paper (arXiv 2507.04535), which
// also quotes HCMVM (Aksoy et al.).
const Anchor kAnchors[] = {
    {8, "free", "HCMVM 96.3 @ 11.9, da4ml 98.1 @ 9.3"},
    {8, "dc2", "HCMVM 99.5, da4ml 101.8"},
    {8, "dc0", "HCMVM 117.2, da4ml 124.9"},
    {16, "free", "HCMVM 338.3 @ 16.3, da4ml 343.2 @ 12.9 (13.6 ms)"},
    {16, "dc2", "HCMVM 353.3 @ 8, da4ml 357.3 @ 8"},
    {16, "dc0", "HCMVM 423.2 @ 6, da4ml 446.9 @ 6"},
};

const char* anchor_for(int n, const std::string& mode) {
  for (const auto& a : kAnchors)
    if (a.n == n && mode == a.mode) return a.text;
  return "";
}

std::vector<int> parse_ints(const std::string& s) {
  std::vector<int> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) v.push_back(std::stoi(item));
  return v;
}

std::vector<std::string> parse_strings(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) v.push_back(item);
  return v;
}

void usage() {
  std::fprintf(
      stderr,
      "usage: cmvm_bench [--n 2,4,8,12,16,32,64] [--count 1000] [--big-count K]\n"
      "                  [--seed S] [--modes free,dc2,dc0] [--effort E] [--objective adders|bits]\n"
      "                  [--dump-matrices FILE] [--json FILE] [--scaling]\n");
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (k == "--n") {
      a.sizes = parse_ints(next());
    } else if (k == "--count") {
      a.count = std::stoi(next());
    } else if (k == "--big-count") {
      a.big_count = std::stoi(next());
    } else if (k == "--seed") {
      a.seed = std::stoull(next());
    } else if (k == "--modes") {
      a.modes = parse_strings(next());
    } else if (k == "--effort") {
      a.effort = std::stoi(next());
    } else if (k == "--dump-matrices") {
      a.dump_file = next();
    } else if (k == "--json") {
      a.json_file = next();
    } else if (k == "--objective") {
      a.bits = next() == "bits";
    } else if (k == "--scaling") {
      a.scaling = true;
    } else {
      usage();
      std::exit(k == "--help" || k == "-h" ? 0 : 2);
    }
  }
  return a;
}

std::vector<IntMatrix> make_matrices(int n, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed + static_cast<std::uint64_t>(n));
  std::vector<IntMatrix> ms;
  ms.reserve(count);
  for (int k = 0; k < count; ++k) {
    IntMatrix w(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) w(i, j) = 129 + static_cast<std::int64_t>(rng() % 127);
    ms.push_back(std::move(w));
  }
  return ms;
}

int unshared_adders(const IntMatrix& w) {
  int total = 0;
  for (Eigen::Index j = 0; j < w.cols(); ++j) {
    int d = 0;
    for (Eigen::Index i = 0; i < w.rows(); ++i) d += dagen::cmvm::csd_digit_count(w(i, j));
    total += std::max(d - 1, 0);
  }
  return total;
}

std::optional<int> slack_of(const std::string& mode) {
  if (mode == "free") return std::nullopt;
  if (mode.rfind("dc", 0) == 0) return std::stoi(mode.substr(2));
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  std::exit(2);
}

struct Result {
  int n = 0;
  std::string mode;
  int count = 0;
  double adders = 0, depth = 0, mean_ms = 0, median_ms = 0, max_ms = 0, unshared = 0;
  double adder_bits = 0;  // with signed 8-bit integer inputs
};

// CPU time of this thread in ms: single-threaded solve() time, robust to a busy machine.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

Result run(const std::vector<IntMatrix>& ms, int n, const std::string& mode, int effort,
           bool bits) {
  Result r;
  r.n = n;
  r.mode = mode;
  r.count = static_cast<int>(ms.size());
  std::vector<double> times;
  std::vector<dagen::cmvm::InputSpec> specs(n, dagen::cmvm::InputSpec{-128.0, 127.0, 0});
  dagen::cmvm::Options opt;
  opt.depth_slack = slack_of(mode);
  if (effort >= 0) opt.effort = effort;
  if (bits) opt.objective = dagen::cmvm::Objective::AdderBits;
  for (const IntMatrix& w : ms) {
    const double t0 = cpu_ms();
    const dagen::cmvm::Solution s = dagen::cmvm::solve(w, specs, opt);
    times.push_back(cpu_ms() - t0);
    const auto d = dagen::cmvm::operand_depths(s);
    int depth = 0;
    for (const auto& o : s.outputs)
      if (o) depth = std::max(depth, d[o->operand]);
    r.adders += static_cast<double>(s.ops.size());
    r.adder_bits += static_cast<double>(dagen::cmvm::adder_bits(s, specs));
    r.depth += depth;
    r.unshared += unshared_adders(w);
  }
  const double c = std::max<double>(1, r.count);
  r.adders /= c;
  r.depth /= c;
  r.unshared /= c;
  r.adder_bits /= c;
  for (double t : times) r.mean_ms += t / c;
  std::sort(times.begin(), times.end());
  if (!times.empty()) {
    r.median_ms = times[times.size() / 2];
    r.max_ms = times.back();
  }
  return r;
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

void dump_matrices(const std::string& file,
                   const std::vector<std::pair<int, std::vector<IntMatrix>>>& all,
                   std::uint64_t seed) {
  std::ofstream out(file);
  // One JSON object per N when several sizes are dumped: a JSON list of them.
  const bool list = all.size() != 1;
  if (list) out << "[\n";
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& [n, ms] = all[k];
    out << "{\"n\": " << n << ", \"seed\": " << seed << ", \"matrices\": [";
    for (std::size_t m = 0; m < ms.size(); ++m) {
      out << (m ? ",\n" : "\n") << "[";
      for (int i = 0; i < n; ++i) {
        out << (i ? ", [" : "[");
        for (int j = 0; j < n; ++j) out << (j ? ", " : "") << ms[m](i, j);
        out << "]";
      }
      out << "]";
    }
    out << "]}" << (list && k + 1 < all.size() ? ",\n" : "\n");
  }
  if (list) out << "]\n";
}

int scaling(const Args& a) {
  std::printf("%6s %6s %12s %12s %10s %14s\n", "N", "count", "adders", "median_ms", "depth",
              "peak_rss_MiB");
  std::ofstream json;
  if (!a.json_file.empty()) json.open(a.json_file);
  if (json) json << "[";
  bool first = true;
  for (int n : {8, 16, 32, 64, 96, 128}) {
    const int count = n <= 16 ? 20 : n <= 64 ? 5 : 2;
    const auto ms = make_matrices(n, count, a.seed);
    const Result r = run(ms, n, "free", a.effort, a.bits);
    const double rss = static_cast<double>(peak_rss_kb()) / 1024.0;
    std::printf("%6d %6d %12.1f %12.2f %10.2f %14.1f\n", n, count, r.adders, r.median_ms, r.depth,
                rss);
    std::fflush(stdout);
    if (json) {
      json << (first ? "" : ",") << "\n {\"n\": " << n << ", \"count\": " << count
           << ", \"adders\": " << r.adders << ", \"median_ms\": " << r.median_ms
           << ", \"peak_rss_mib\": " << rss << "}";
      first = false;
    }
  }
  if (json) json << "\n]\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  if (a.scaling) return scaling(a);

  std::vector<std::pair<int, std::vector<IntMatrix>>> all;
  for (int n : a.sizes) {
    int count = a.count;
    if (n >= 32) count = a.big_count > 0 ? a.big_count : std::max(10, a.count / 10);
    all.emplace_back(n, make_matrices(n, count, a.seed));
  }
  if (!a.dump_file.empty()) dump_matrices(a.dump_file, all, a.seed);

  std::printf("seed %llu; entries uniform in [129, 255]\n",
              static_cast<unsigned long long>(a.seed));
  std::printf("%4s %5s %6s %9s %7s %9s %10s %9s %9s %9s  %s\n", "N", "mode", "count", "adders",
              "depth", "mean_ms", "median_ms", "max_ms", "unshared", "addbits", "published");
  std::vector<Result> results;
  for (const auto& [n, ms] : all) {
    for (const std::string& mode : a.modes) {
      const Result r = run(ms, n, mode, a.effort, a.bits);
      std::printf("%4d %5s %6d %9.1f %7.2f %9.2f %10.2f %9.2f %9.1f %9.0f  %s\n", n, mode.c_str(),
                  r.count, r.adders, r.depth, r.mean_ms, r.median_ms, r.max_ms, r.unshared,
                  r.adder_bits, anchor_for(n, mode));
      std::fflush(stdout);
      results.push_back(r);
    }
  }
  if (!a.json_file.empty()) {
    std::ofstream out(a.json_file);
    out << "{\"seed\": " << a.seed << ", \"results\": [";
    for (std::size_t k = 0; k < results.size(); ++k) {
      const Result& r = results[k];
      out << (k ? "," : "") << "\n {\"n\": " << r.n << ", \"mode\": \"" << r.mode
          << "\", \"count\": " << r.count << ", \"adders\": " << r.adders
          << ", \"depth\": " << r.depth << ", \"mean_ms\": " << r.mean_ms
          << ", \"median_ms\": " << r.median_ms << ", \"max_ms\": " << r.max_ms
          << ", \"unshared_adders\": " << r.unshared << ", \"adder_bits\": " << r.adder_bits
          << ", \"objective\": \"" << (a.bits ? "bits" : "adders") << "\", \"published\": \""
          << anchor_for(r.n, r.mode) << "\"}";
    }
    out << "\n]}\n";
  }
  return 0;
}
