// Random valid model.json documents (see random_model.hpp).
#include "random_model.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace dagen::testing {

namespace {

using nlohmann::json;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed * 0x9E3779B97F4A7C15ull + 0x1234567ull) {}
  // Uniform integer in [lo, hi] (portable: no std distributions).
  long long uniform(long long lo, long long hi) {
    const auto span = static_cast<unsigned long long>(hi - lo) + 1;
    return lo + static_cast<long long>(gen_() % span);
  }
  bool chance(int percent) { return uniform(0, 99) < percent; }

 private:
  std::mt19937_64 gen_;
};

struct Type {
  bool is_signed = false;
  int int_bits = 0;
  int frac_bits = 0;
  int width() const { return (is_signed ? 1 : 0) + int_bits + frac_bits; }
};

// What the generator knows of one element: |value| <= maxabs, on the grid 2^-frac.
struct Elem {
  double maxabs = 0;
  int frac = 0;
};

json type_json(const Type& t) {
  return {{"signed", t.is_signed}, {"int_bits", t.int_bits}, {"frac_bits", t.frac_bits}};
}

Elem elem_of(const Type& t) {
  const int w = t.width();
  if (w == 0) return {0.0, t.frac_bits};
  const double mag = t.is_signed ? std::ldexp(1.0, w - 1) : std::ldexp(1.0, w) - 1;
  return {std::ldexp(mag, -t.frac_bits), t.frac_bits};
}

Type random_type(Rng& rng, int max_width) {
  Type t;
  const int kind = static_cast<int>(rng.uniform(0, 99));
  if (kind < 8) {  // zero width: the constant 0, on any grid
    t.is_signed = rng.chance(30);
    const int f = rng.chance(15) ? static_cast<int>(rng.uniform(-400, 400))
                                 : static_cast<int>(rng.uniform(-20, 20));
    t.frac_bits = f;
    t.int_bits = -f - (t.is_signed ? 1 : 0);
    return t;
  }
  if (kind < 18) {  // one bit
    t.is_signed = rng.chance(50);
    const int f = static_cast<int>(rng.uniform(-6, 10));
    t.frac_bits = f;
    t.int_bits = 1 - f - (t.is_signed ? 1 : 0);
    return t;
  }
  int w = 0;
  const int r = static_cast<int>(rng.uniform(0, 9));
  if (r < 6)
    w = static_cast<int>(rng.uniform(2, std::min(10, max_width)));
  else if (r < 9)
    w = static_cast<int>(rng.uniform(2, std::min(20, max_width)));
  else
    w = static_cast<int>(rng.uniform(2, max_width));
  t.is_signed = rng.chance(60);
  t.frac_bits = static_cast<int>(rng.uniform(-6, w + 6));
  t.int_bits = w - t.frac_bits - (t.is_signed ? 1 : 0);
  return t;
}

// A JSON number for code * 2^-frac: an integer when it is one, else a double (exact).
json number_json(long long code, int frac) {
  if (code == 0) return 0;
  while (frac > 0 && code % 2 == 0) {
    code /= 2;
    --frac;
  }
  if (frac <= 0 && frac > -40) return static_cast<long long>(code) * (1ll << -frac);
  return std::ldexp(static_cast<double>(code), -frac);
}

struct Weight {
  long long code = 0;
  int frac = 0;
  double value() const { return std::ldexp(static_cast<double>(code), -frac); }
};

struct Dense {
  std::vector<std::vector<Weight>> w;  // [n_in][n_out]
  std::vector<Weight> bias;            // empty: no "bias" key
  bool explicit_zero_bias = false;
};

Dense random_dense(Rng& rng, int n_in, int n_out, int shrink) {
  Dense d;
  const int style =
      static_cast<int>(rng.uniform(0, 5));  // 0 dense, 1 sparse, 2 pow2, 3 ternary, 4-5 mixed
  int max_frac =
      rng.chance(10) ? static_cast<int>(rng.uniform(0, 32)) : static_cast<int>(rng.uniform(0, 6));
  int bits =
      rng.chance(10) ? static_cast<int>(rng.uniform(1, 14)) : static_cast<int>(rng.uniform(1, 8));
  if (shrink > 0) {
    max_frac = std::max(0, max_frac - 4 * shrink);
    bits = std::max(1, bits - 3 * shrink);
  }
  if (max_frac > 32) max_frac = 32;
  bits = std::min(bits, 46 - max_frac);
  const int sparsity = style == 1 ? 75 : (style == 0 ? 5 : 30);
  auto one = [&]() -> Weight {
    if (rng.chance(sparsity)) return {0, 0};
    const long long sign = rng.chance(50) ? -1 : 1;
    if (style == 3) return {sign, 0};
    if (style == 2 || rng.chance(15)) {
      const int k = static_cast<int>(rng.uniform(0, bits - 1 + max_frac));
      return {sign * (1ll << k), max_frac};
    }
    return {sign * rng.uniform(1, (1ll << bits) - 1), static_cast<int>(rng.uniform(0, max_frac))};
  };
  d.w.assign(static_cast<std::size_t>(n_in), std::vector<Weight>(static_cast<std::size_t>(n_out)));
  for (auto& row : d.w)
    for (auto& x : row) x = one();
  if (shrink == 0 && rng.chance(10)) {  // one large integer weight
    const int k = static_cast<int>(rng.uniform(8, std::max(8, 40 - max_frac)));
    d.w[static_cast<std::size_t>(rng.uniform(0, n_in - 1))][static_cast<std::size_t>(
        rng.uniform(0, n_out - 1))] = {(rng.chance(50) ? -1 : 1) * (1ll << k), 0};
  }
  // Structure: zero rows and columns, duplicate and negated columns, an all-zero matrix.
  for (int i = 0; i < n_in; ++i)
    if (rng.chance(8))
      for (auto& x : d.w[static_cast<std::size_t>(i)]) x = {0, 0};
  for (int j = 0; j < n_out; ++j) {
    const int r = static_cast<int>(rng.uniform(0, 99));
    const auto src = static_cast<std::size_t>(rng.uniform(0, n_out - 1));
    for (int i = 0; i < n_in; ++i) {
      auto& row = d.w[static_cast<std::size_t>(i)];
      if (r < 8)
        row[static_cast<std::size_t>(j)] = {0, 0};
      else if (r < 18)
        row[static_cast<std::size_t>(j)] = row[src];
      else if (r < 26)
        row[static_cast<std::size_t>(j)] = {-row[src].code, row[src].frac};
    }
  }
  if (rng.chance(3))
    for (auto& row : d.w)
      for (auto& x : row) x = {0, 0};
  // Bias.
  const int b = static_cast<int>(rng.uniform(0, 9));
  if (b < 3) return d;  // no bias
  d.bias.assign(static_cast<std::size_t>(n_out), Weight{});
  if (b == 3) {
    d.explicit_zero_bias = true;
    return d;
  }
  const int bias_frac =
      rng.chance(10) ? static_cast<int>(rng.uniform(0, 32)) : static_cast<int>(rng.uniform(0, 10));
  const int bias_bits =
      std::max(1, std::min(static_cast<int>(rng.uniform(1, 12)), 44 - bias_frac) - 3 * shrink);
  for (auto& x : d.bias)
    if (!rng.chance(30))
      x = {(rng.chance(50) ? -1 : 1) * rng.uniform(1, (1ll << bias_bits) - 1), bias_frac};
  return d;
}

// Bits the sums of this layer may need (conservative), and the outputs' state.
int dense_width_estimate(const Dense& d, const std::vector<Elem>& x, std::vector<Elem>& y) {
  const std::size_t n_in = d.w.size(), n_out = d.w[0].size();
  int layer_frac = 0;  // the layer's finest weight grid (the CMVM works on integers on it)
  for (const auto& row : d.w)
    for (const auto& v : row)
      if (v.code != 0) layer_frac = std::max(layer_frac, v.frac);
  double top = 0;  // bound of any partial sum (with CSD overshoot)
  int fine = -100000;
  for (std::size_t i = 0; i < n_in; ++i) {
    if (x[i].maxabs == 0) continue;
    double wmax = 0;
    for (const auto& v : d.w[i]) wmax = std::max(wmax, std::fabs(v.value()));
    if (wmax == 0) continue;
    top += 2 * wmax * x[i].maxabs;
    fine = std::max(fine, x[i].frac + layer_frac);
  }
  y.assign(n_out, Elem{});
  double btop = 0;
  int bfine = -100000;
  for (std::size_t j = 0; j < n_out; ++j) {
    double m = 0;
    int f = -100000;
    for (std::size_t i = 0; i < n_in; ++i) {
      const Weight& v = d.w[i][j];
      if (v.code == 0 || x[i].maxabs == 0) continue;
      m += std::fabs(v.value()) * x[i].maxabs;
      f = std::max(f, x[i].frac + v.frac);
    }
    if (!d.bias.empty() && d.bias[j].code != 0) {
      m += std::fabs(d.bias[j].value());
      f = std::max(f, d.bias[j].frac);
      btop = std::max(btop, std::fabs(d.bias[j].value()));
      bfine = std::max(bfine, d.bias[j].frac);
    }
    y[j] = {m, m == 0 ? 0 : f};
  }
  if (top == 0 && btop == 0) return 0;
  const double all = top + btop;
  const int f = std::max(fine, bfine);
  return static_cast<int>(std::ceil(std::log2(all))) + f + 3;
}

json dense_json(const Dense& d, Rng& rng, int index) {
  json layer = {{"type", "dense"}};
  if (rng.chance(50)) layer["name"] = "fc" + std::to_string(index);
  json rows = json::array();
  for (const auto& row : d.w) {
    json r = json::array();
    for (const auto& v : row) r.push_back(number_json(v.code, v.frac));
    rows.push_back(std::move(r));
  }
  layer["weights"] = std::move(rows);
  if (!d.bias.empty()) {
    json b = json::array();
    for (const auto& v : d.bias) b.push_back(number_json(v.code, v.frac));
    layer["bias"] = std::move(b);
  }
  return layer;
}

const char* const kRounding[] = {"TRN", "RND"};
const char* const kOverflow[] = {"WRAP", "SAT", "SAT_SYM"};

// A quantizer over `x` (updated to the quantizer's outputs).  `narrow`: moderate
// types so that the following dense layer stays within the width limit.
json quantize_json(Rng& rng, std::vector<Elem>& x, int max_width, bool narrow) {
  json layer = {{"type", "quantize"}};
  auto pick = [&]() {
    if (!narrow) return random_type(rng, max_width);
    Type t;
    t.is_signed = rng.chance(60);
    const int w = static_cast<int>(rng.uniform(1, 16));
    t.frac_bits = static_cast<int>(rng.uniform(0, 8));
    t.int_bits = w - t.frac_bits - (t.is_signed ? 1 : 0);
    return t;
  };
  if (rng.chance(40)) {
    const Type t = pick();
    layer["to"] = type_json(t);
    for (auto& e : x) e = elem_of(t);
  } else {
    json list = json::array();
    for (auto& e : x) {
      const Type t = pick();
      list.push_back(type_json(t));
      e = elem_of(t);
    }
    layer["to"] = std::move(list);
  }
  if (!rng.chance(10)) layer["rounding"] = kRounding[rng.uniform(0, 1)];
  if (!rng.chance(10)) layer["overflow"] = kOverflow[rng.uniform(0, 2)];
  return layer;
}

int random_size(Rng& rng, int max_size) {
  return static_cast<int>(rng.chance(60) ? rng.uniform(1, std::min(8, max_size))
                                         : rng.uniform(1, max_size));
}

}  // namespace

nlohmann::json random_model(std::uint64_t seed, const RandomModelConfig& config) {
  Rng rng(seed);
  json doc;
  doc["name"] = "rand_" + std::to_string(seed);
  if (rng.chance(30)) doc["version"] = 1;
  if (rng.chance(10)) doc["comment"] = "random model, seed " + std::to_string(seed);

  const int n_in = random_size(rng, config.max_size);
  std::vector<Elem> x;
  json input = {{"size", n_in}};
  if (rng.chance(30)) {
    const Type t = random_type(rng, config.max_input_width);
    input["type"] = type_json(t);
    x.assign(static_cast<std::size_t>(n_in), elem_of(t));
  } else {
    json list = json::array();
    for (int i = 0; i < n_in; ++i) {
      const Type t = random_type(rng, config.max_input_width);
      list.push_back(type_json(t));
      x.push_back(elem_of(t));
    }
    input["type"] = std::move(list);
  }
  doc["input"] = std::move(input);

  json layers = json::array();
  if (rng.chance(15)) layers.push_back(quantize_json(rng, x, config.max_input_width, false));
  if (rng.chance(10)) layers.push_back({{"type", "relu"}});
  const int n_dense = static_cast<int>(rng.uniform(config.min_dense, config.max_dense));
  for (int k = 0; k < n_dense; ++k) {
    const int n_out = random_size(rng, config.max_size);
    Dense d;
    std::vector<Elem> y;
    for (int attempt = 0;; ++attempt) {
      d = random_dense(rng, static_cast<int>(x.size()), n_out, std::max(0, attempt - 1));
      const int w = dense_width_estimate(d, x, y);
      if (w <= config.max_width_estimate) break;
      if (attempt == 0) {  // narrow the inputs first, then the weights
        layers.push_back(quantize_json(rng, x, config.max_input_width, true));
        continue;
      }
      if (attempt > 8) {  // give up on variety: +-1 weights, no bias on narrow inputs
        for (auto& row : d.w)
          for (auto& v : row) v = {v.code == 0 ? 0 : (v.code < 0 ? -1 : 1), 0};
        d.bias.clear();
        dense_width_estimate(d, x, y);
        break;
      }
    }
    layers.push_back(dense_json(d, rng, k));
    x = y;
    if (rng.chance(40)) layers.push_back({{"type", "relu"}});
    if (rng.chance(50) || (k + 1 < n_dense && rng.chance(50)))
      layers.push_back(
          quantize_json(rng, x, config.max_input_width, k + 1 < n_dense && rng.chance(50)));
  }
  doc["layers"] = std::move(layers);
  return doc;
}

}  // namespace dagen::testing
