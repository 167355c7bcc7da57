#include "random_graph.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace dagen::testing {

using nlohmann::json;

namespace {

struct Tensor {
  std::string name;
  std::vector<int> shape;
  int bits = 0;  // a rough bound of the value's width, to keep sums narrow
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  json run(int max_nodes) {
    const int inputs = pick(1, 2);
    json in = json::array();
    for (int k = 0; k < inputs; ++k) {
      Tensor t{"in" + std::to_string(k), random_shape(), 0};
      const json type = random_type(1, 6);
      t.bits = type_width(type);
      in.push_back({{"name", t.name}, {"shape", t.shape}, {"type", type}});
      tensors_.push_back(t);
    }
    const int count = pick(2, max_nodes);
    for (int k = 0; k < count; ++k) add_random_node();
    json outputs = json::array({tensors_.back().name});
    if (chance(0.3)) {
      const std::string other =
          tensors_[static_cast<std::size_t>(pick(0, static_cast<int>(tensors_.size()) - 1))].name;
      if (other != tensors_.back().name) outputs.push_back(other);
    }
    return {{"version", 2}, {"name", "g"}, {"inputs", in}, {"nodes", nodes_}, {"outputs", outputs}};
  }

 private:
  std::mt19937_64 rng_;
  std::vector<Tensor> tensors_;
  json nodes_ = json::array();

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  std::vector<int> random_shape() {
    std::vector<int> s(static_cast<std::size_t>(pick(1, 3)));
    for (int& d : s) d = pick(1, 4);
    return s;
  }
  static int type_width(const json& t) {
    return (t["signed"].get<bool>() ? 1 : 0) + t["int_bits"].get<int>() + t["frac_bits"].get<int>();
  }
  json random_type(int min_width, int max_width) {
    const bool sign = chance(0.6);
    const int width = pick(min_width, max_width);
    const int frac = pick(-1, 3);
    return {{"signed", sign}, {"int_bits", width - frac - (sign ? 1 : 0)}, {"frac_bits", frac}};
  }
  // A small exact weight: k/4 in [-2, 2], often zero.
  double weight() { return chance(0.3) ? 0.0 : pick(-8, 8) / 4.0; }

  Tensor& any() {
    return tensors_[static_cast<std::size_t>(pick(0, static_cast<int>(tensors_.size()) - 1))];
  }
  std::string fresh() { return "n" + std::to_string(nodes_.size()); }

  Tensor push(json node, std::vector<int> shape, int bits) {
    Tensor t{node["name"], std::move(shape), bits};
    nodes_.push_back(std::move(node));
    tensors_.push_back(t);
    return t;
  }

  // A narrow version of t (a quantizer) when its values may be wide.
  Tensor narrow(const Tensor& t, int limit) {
    if (t.bits <= limit) return t;
    json q = {{"op", "quantize"},
              {"name", fresh()},
              {"input", t.name},
              {"to", random_type(2, 6)},
              {"rounding", chance(0.5) ? "RND" : "TRN"},
              {"overflow", std::vector<std::string>{
                               "WRAP", "SAT", "SAT_SYM"}[static_cast<std::size_t>(pick(0, 2))]}};
    const int bits = type_width(q["to"]);
    return push(q, t.shape, bits);
  }

  void add_random_node() {
    Tensor base = narrow(any(), 16);
    if (base.shape.empty())  // a scalar (argmax of a vector): give it an axis
      base = push({{"op", "reshape"}, {"name", fresh()}, {"input", base.name}, {"shape", {1}}}, {1},
                  base.bits);
    const std::vector<int>& s = base.shape;
    const auto rank = s.size();
    json n = {{"name", fresh()}};
    switch (pick(0, 15)) {
      case 0:
      case 1: {  // dense on the last axis
        const int out = pick(1, 4);
        json w = json::array();
        for (int i = 0; i < s.back(); ++i) {
          json row = json::array();
          for (int j = 0; j < out; ++j) row.push_back(weight());
          w.push_back(row);
        }
        n.update({{"op", "dense"}, {"input", base.name}, {"weights", w}});
        if (chance(0.5)) n["bias"] = json::array();
        if (n.contains("bias"))
          for (int j = 0; j < out; ++j) n["bias"].push_back(weight());
        auto shape = s;
        shape.back() = out;
        push(n, shape, base.bits + 6);
        return;
      }
      case 2: {  // conv1d / conv2d over the leading axes
        if (rank < 2) break;
        const int spatial = static_cast<int>(rank) - 1;
        const bool same = chance(0.5);
        std::vector<int> k, st, dil, out;
        for (int a = 0; a < spatial; ++a) {
          const int d = chance(0.3) ? 2 : 1;
          int size = pick(1, 3);
          if (!same) size = std::min(size, (s[static_cast<std::size_t>(a)] - 1) / d + 1);
          k.push_back(size);
          st.push_back(pick(1, 2));
          dil.push_back(d);
          const int span = (size - 1) * d + 1;
          out.push_back(same ? (s[static_cast<std::size_t>(a)] + st.back() - 1) / st.back()
                             : (s[static_cast<std::size_t>(a)] - span) / st.back() + 1);
        }
        const int cout = pick(1, 3);
        std::vector<int> kshape = k;
        kshape.push_back(s.back());
        kshape.push_back(cout);
        n.update({{"op", spatial == 1 ? "conv1d" : "conv2d"},
                  {"input", base.name},
                  {"kernel", nested(kshape, 0)},
                  {"strides", st},
                  {"dilation", dil},
                  {"padding", same ? "same" : "valid"}});
        out.push_back(cout);
        push(n, out, base.bits + 8);
        return;
      }
      case 3:
        push({{"op", "relu"}, {"name", n["name"]}, {"input", base.name}}, s, base.bits);
        return;
      case 4: {  // scale per channel
        json f = json::array();
        for (int c = 0; c < s.back(); ++c) f.push_back(weight());
        push({{"op", "scale"},
              {"name", n["name"]},
              {"input", base.name},
              {"factor", f},
              {"bias", weight()}},
             s, base.bits + 3);
        return;
      }
      case 5:
      case 6: {  // add / sub / max / min with same-shaped tensors
        std::vector<std::string> ins{base.name};
        for (const Tensor& t : tensors_)
          if (t.shape == s && t.name != base.name && t.bits <= 16 && ins.size() < 3 && chance(0.7))
            ins.push_back(t.name);
        if (ins.size() < 2) ins.push_back(base.name);
        const char* ops[] = {"add", "sub", "max", "min"};
        std::string op = ops[pick(0, 3)];
        if (op == "sub") ins.resize(2);
        push({{"op", op}, {"name", n["name"]}, {"inputs", ins}}, s, base.bits + 2);
        return;
      }
      case 7: {  // pooling
        if (rank < 2) break;
        const int spatial = static_cast<int>(rank) - 1;
        const bool avg = chance(0.4), global = chance(0.3);
        if (global) {
          int count = 1;
          for (int a = 0; a < spatial; ++a) count *= s[static_cast<std::size_t>(a)];
          if (avg && (count & (count - 1))) break;
          push({{"op", avg ? "global_avg_pool" : "global_max_pool"},
                {"name", n["name"]},
                {"input", base.name}},
               {s.back()}, base.bits + 4);
          return;
        }
        std::vector<int> pool, out;
        const bool same = !avg && chance(0.5);
        for (int a = 0; a < spatial; ++a) {
          const int len = s[static_cast<std::size_t>(a)];
          int p = avg ? (len >= 2 && chance(0.6) ? 2 : 1) : pick(1, std::max(1, same ? 3 : len));
          pool.push_back(p);
          out.push_back(same ? (len + p - 1) / p : (len - p) / p + 1);
        }
        out.push_back(s.back());
        push({{"op", std::string(avg ? "avg" : "max") + "_pool" + std::to_string(spatial) + "d"},
              {"name", n["name"]},
              {"input", base.name},
              {"pool", pool},
              {"padding", same ? "same" : "valid"}},
             out, base.bits + 2);
        return;
      }
      case 8: {  // sum over some axes
        std::vector<int> axes, out;
        for (std::size_t a = 0; a < rank; ++a) {
          if (chance(0.5))
            axes.push_back(chance(0.5) ? static_cast<int>(a)
                                       : static_cast<int>(a) - static_cast<int>(rank));
          else
            out.push_back(s[a]);
        }
        if (axes.empty()) axes.push_back(-1), out.pop_back();
        push({{"op", "sum"}, {"name", n["name"]}, {"input", base.name}, {"axes", axes}}, out,
             base.bits + 4);
        return;
      }
      case 9: {  // concat with itself or a compatible tensor
        const int axis = pick(0, static_cast<int>(rank) - 1);
        std::string other = base.name;
        int extra = s[static_cast<std::size_t>(axis)];
        for (const Tensor& t : tensors_) {
          if (t.shape.size() != rank || t.bits > 16) continue;
          bool ok = true;
          for (std::size_t a = 0; a < rank; ++a)
            ok = ok && (static_cast<int>(a) == axis || t.shape[a] == s[a]);
          if (ok && chance(0.5)) other = t.name, extra = t.shape[static_cast<std::size_t>(axis)];
        }
        auto out = s;
        out[static_cast<std::size_t>(axis)] += extra;
        push(
            {{"op", "concat"}, {"name", n["name"]}, {"inputs", {base.name, other}}, {"axis", axis}},
            out, base.bits);
        return;
      }
      case 10: {  // reshape / flatten
        int count = 1;
        for (int d : s) count *= d;
        if (chance(0.5)) {
          push({{"op", "flatten"}, {"name", n["name"]}, {"input", base.name}}, {count}, base.bits);
        } else {
          std::vector<int> out{-1};
          for (int d = 2; d <= 4; ++d)
            if (count % d == 0 && chance(0.5)) {
              out = {d, -1};
              break;
            }
          std::vector<int> shape =
              out.size() == 1 ? std::vector<int>{count} : std::vector<int>{out[0], count / out[0]};
          push({{"op", "reshape"}, {"name", n["name"]}, {"input", base.name}, {"shape", out}},
               shape, base.bits);
        }
        return;
      }
      case 11: {  // transpose
        std::vector<int> perm(rank);
        for (std::size_t a = 0; a < rank; ++a) perm[a] = static_cast<int>(a);
        std::shuffle(perm.begin(), perm.end(), rng_);
        std::vector<int> out;
        for (int a : perm) out.push_back(s[static_cast<std::size_t>(a)]);
        push({{"op", "transpose"}, {"name", n["name"]}, {"input", base.name}, {"perm", perm}}, out,
             base.bits);
        return;
      }
      case 12: {  // argmax
        auto out = s;
        out.pop_back();
        push({{"op", "argmax"}, {"name", n["name"]}, {"input", base.name}}, out, 2);
        return;
      }
      case 13:
      case 14: {  // lookup over a quantized domain
        json q = {{"op", "quantize"},
                  {"name", fresh()},
                  {"input", base.name},
                  {"to", random_type(1, 4)},
                  {"overflow", chance(0.5) ? "SAT" : "WRAP"}};
        const json domain = q["to"];
        const Tensor dq = push(q, s, type_width(domain));
        const json to = random_type(1, 6);
        const int tw = type_width(to);
        const bool sign = to["signed"];
        const int frac = to["frac_bits"];
        json table = json::array();
        for (int k = 0; k < (1 << type_width(domain)); ++k) {
          const long long lo = sign ? -(1LL << (tw - 1)) : 0,
                          hi = sign ? (1LL << (tw - 1)) - 1 : (1LL << tw) - 1;
          const long long code = std::uniform_int_distribution<long long>(lo, hi)(rng_);
          table.push_back(static_cast<double>(code) * std::ldexp(1.0, -frac));
        }
        push({{"op", "lookup"},
              {"name", fresh()},
              {"input", dq.name},
              {"domain", domain},
              {"table", table},
              {"to", to}},
             s, tw);
        return;
      }
      default:
        break;
    }
    push({{"op", "relu"}, {"name", n["name"]}, {"input", base.name}}, s, base.bits);
  }

  json nested(const std::vector<int>& shape, std::size_t axis) {
    if (axis == shape.size()) return weight();
    json a = json::array();
    for (int i = 0; i < shape[axis]; ++i) a.push_back(nested(shape, axis + 1));
    return a;
  }
};

}  // namespace

json random_graph_model(std::uint64_t seed, int max_nodes) {
  return Generator(seed).run(max_nodes);
}

}  // namespace dagen::testing
