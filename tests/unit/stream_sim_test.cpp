// Streamed convolutions (--ii K, include/dagen/stream.hpp): the split's geometry, and a
// property test in hardware.  Random convolutional networks (1-D and 2-D, strides,
// dilation, "same" padding, several channels, per-element input formats, ReLU and
// quantizer chains, tails of dense layers, pooling or a second convolution, or none)
// are built as streamed designs and simulated together in one Icarus run by the --ii
// testbench (tests/unit/ii_bench.hpp) against the C++ reference model.  Negative
// controls: a position caught one cycle late, the tail started one cycle early and
// the image loaded one cycle late must each fail.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <regex>

#include "dagen/exact.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/reference.hpp"
#include "dagen/stream.hpp"
#include "dagen/target.hpp"
#include "dagen/vectors.hpp"
#include "flow/stream_design.hpp"
#include "ii_bench.hpp"
#include "sim_support.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::have;
using test::IiCase;

json type_json(bool is_signed, int int_bits, int frac_bits) {
  return {{"signed", is_signed}, {"int_bits", int_bits}, {"frac_bits", frac_bits}};
}

// Nested lists of the given shape, each element drawn by `draw`.
template <class F>
json nested(const std::vector<int>& shape, std::size_t axis, F& draw) {
  json a = json::array();
  for (int k = 0; k < shape[axis]; ++k)
    a.push_back(axis + 1 == shape.size() ? draw() : nested(shape, axis + 1, draw));
  return a;
}

class RandomConvNets {
 public:
  explicit RandomConvNets(std::uint64_t seed) : rng_(seed) {}

  json model(int index) {
    const int rank = pick(1, 2);
    std::vector<int> spatial;
    for (int a = 0; a < rank; ++a) spatial.push_back(rank == 1 ? pick(4, 12) : pick(3, 6));
    const int cin = pick(1, 2), cout = pick(1, 3);
    std::vector<int> shape = spatial;
    shape.push_back(cin);
    json input = {{"name", "img"}, {"shape", shape}};
    if (pick(0, 1)) {
      input["type"] = type_json(pick(0, 1) == 1, pick(1, 2), pick(0, 2));
    } else {  // per element: the shift register holds each channel's union
      json types = json::array();
      std::size_t n = 1;
      for (int s : shape) n *= static_cast<std::size_t>(s);
      for (std::size_t e = 0; e < n; ++e)
        types.push_back(type_json(pick(0, 1) == 1, pick(0, 2), pick(0, 2)));
      input["type"] = types;
    }
    json nodes = json::array();
    std::string last = "img";
    auto add = [&](json node) {
      last = node["name"];
      nodes.push_back(std::move(node));
    };
    if (pick(0, 3) == 0) {  // a prefix: the convolution's image pooled from the input
      add({{"op", rank == 1 ? "max_pool1d" : "max_pool2d"},
           {"name", "p0"},
           {"input", last},
           {"pool", 2},
           {"padding", "same"}});
      for (int& s : spatial) s = (s + 1) / 2;
    }
    add(conv("c", last, rank, cin, cout, spatial));
    if (pick(0, 2) == 0) {  // a batch normalisation: per channel
      json factor = json::array(), bias = json::array();
      for (int c = 0; c < cout; ++c) {
        factor.push_back(pick(-5, 5) / 4.0);
        bias.push_back(pick(-2, 2) / 4.0);
      }
      add({{"op", "scale"}, {"name", "bn"}, {"input", last}, {"factor", factor}, {"bias", bias}});
    }
    if (pick(0, 1)) add({{"op", "relu"}, {"name", "r"}, {"input", last}});
    if (pick(0, 2)) {
      const json to = type_json(pick(0, 1) == 1, pick(1, 3), pick(0, 2));
      add({{"op", "quantize"},
           {"name", "q"},
           {"input", last},
           {"to", to},
           {"rounding", pick(0, 1) ? "RND" : "TRN"},
           {"overflow", pick(0, 1) ? "SAT" : "WRAP"}});
      if (pick(0, 2) == 0) {  // a table activation over the quantizer's codes
        json table = json::array();
        const int width =
            (to["signed"] ? 1 : 0) + to["int_bits"].get<int>() + to["frac_bits"].get<int>();
        for (int e = 0; e < (1 << width); ++e) table.push_back(pick(-8, 8) / 4.0);
        add({{"op", "lookup"},
             {"name", "act"},
             {"input", last},
             {"domain", to},
             {"table", table},
             {"to", type_json(true, 2, 2)}});
      }
    }
    switch (index % 4) {
      case 0:  // the convolution is the output
        break;
      case 1:
        add({{"op", "flatten"}, {"name", "f"}, {"input", last}});
        add(dense("d", last,
                  cout * std::accumulate(spatial.begin(), spatial.end(), 1, std::multiplies<>()),
                  pick(1, 3)));
        break;
      case 2:  // pooling, then (mostly) a convolution the tail streams behind its prefix
        add({{"op", rank == 1 ? "max_pool1d" : "max_pool2d"},
             {"name", "p"},
             {"input", last},
             {"pool", 2},
             {"padding", "same"}});
        for (int& s : spatial) s = (s + 1) / 2;
        if (pick(0, 3)) add(conv("c2", last, rank, cout, pick(1, 2), spatial));
        break;
      default:  // a second convolution: the tail streams it too
        add({{"op", "quantize"},
             {"name", "q2"},
             {"input", last},
             {"to", type_json(true, 2, 1)},
             {"overflow", "SAT"}});
        add(conv("c2", last, rank, cout, pick(1, 2), spatial));
    }
    return {{"version", 2},
            {"name", "stream" + std::to_string(index)},
            {"inputs", {input}},
            {"nodes", nodes},
            {"outputs", {last}}};
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  json weight() {
    const int v = pick(-6, 6);
    return v % 3 == 0 ? json(0) : json(v / 4.0);
  }

  // A convolution that fits the input: stride, dilation and "same" padding at random;
  // `spatial` becomes its output's extent.
  json conv(const std::string& name, const std::string& input, int rank, int cin, int cout,
            std::vector<int>& spatial) {
    const int k = pick(1, 3), stride = pick(1, 2);
    const int dilation = stride == 1 && k > 1 && pick(0, 2) == 0 ? 2 : 1;
    const bool same = pick(0, 1) == 1;
    const int reach = (k - 1) * dilation + 1;
    for (int s : spatial)
      if (!same && s < reach) return conv(name, input, rank, cin, cout, spatial);
    for (int& s : spatial) s = same ? (s + stride - 1) / stride : (s - reach) / stride + 1;
    std::vector<int> kernel(static_cast<std::size_t>(rank), k);
    kernel.push_back(cin);
    kernel.push_back(cout);
    auto w = [this] { return weight(); };
    json bias = json::array();
    for (int c = 0; c < cout; ++c) bias.push_back(pick(-4, 4) / 8.0);
    return {{"op", rank == 1 ? "conv1d" : "conv2d"},
            {"name", name},
            {"input", input},
            {"kernel", nested(kernel, 0, w)},
            {"bias", bias},
            {"strides", stride},
            {"dilation", dilation},
            {"padding", same ? "same" : "valid"}};
  }

  json dense(const std::string& name, const std::string& input, int inputs, int outputs) {
    auto w = [this] { return weight(); };
    json bias = json::array();
    for (int c = 0; c < outputs; ++c) bias.push_back(pick(-4, 4) / 4.0);
    return {{"op", "dense"},
            {"name", name},
            {"input", input},
            {"weights", nested({inputs, outputs}, 0, w)},
            {"bias", bias}};
  }

  std::mt19937_64 rng_;
};

std::string weight_key(const Fixed& w) {
  const Fixed n = normalized(w);
  return to_string(n.code) + "p" + std::to_string(n.frac);
}

AdderGraph whole_graph(const Model& m) {
  AdderGraph g = lower_model(m, {});
  remove_dead_nodes(g);
  return g;
}

// Every position reads, through the taps, exactly the input elements (and weights)
// of its window: the shift register's geometry against the convolution's own map.
void expect_windows_match(const Model& m, int max_cycles = std::numeric_limits<int>::max()) {
  const std::optional<StreamSplit> s = split_stream(m, {}, max_cycles);
  ASSERT_TRUE(s) << m.name;
  const ModelNode& conv = m.nodes[static_cast<std::size_t>(s->conv_node)];
  const auto& op = std::get<ConvOp>(conv.op);
  const LinearMap map = op.linear(m.context_of(conv));
  const auto cin = static_cast<std::size_t>(op.cin), cout = static_cast<std::size_t>(op.cout);
  ASSERT_EQ(static_cast<std::size_t>(s->positions()) * cout, map.size());
  for (int p = 0; p < s->positions(); ++p) {
    const int cycle = s->position_cycle[static_cast<std::size_t>(p)];
    EXPECT_GE(cycle, 1);
    EXPECT_LE(cycle, s->cycles);
    EXPECT_LE(s->cycles, max_cycles);
    const int instance = s->position_instance[static_cast<std::size_t>(p)];
    EXPECT_TRUE(instance >= 0 && instance < s->instances);
    for (std::size_t co = 0; co < cout; ++co) {
      std::vector<std::pair<int, std::string>> streamed, expected;
      for (std::size_t t = 0; t < s->taps.size(); ++t)
        for (std::size_t c = 0; c < cin; ++c) {
          const int q = s->taps[t] + instance * s->instance_offset + cycle - 1;
          ASSERT_LT(q, s->slots);
          const long long e = s->load[static_cast<std::size_t>(q)][c];
          if (e >= 0)
            streamed.emplace_back(static_cast<int>(e),
                                  weight_key(op.kernel[(t * cin + c) * cout + co]));
        }
      for (const LinearTerm& term : map[static_cast<std::size_t>(p) * cout + co].terms)
        expected.emplace_back(term.element, weight_key(term.weight));
      std::sort(streamed.begin(), streamed.end());
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(streamed, expected) << m.name << " position " << p << " channel " << co;
    }
  }
}

TEST(StreamSplit, EveryPositionReadsItsWindow) {
  const Model cnn = read_model_file(DAGEN_TEST_MODELS "/v2/cnn2d.json");
  const std::optional<StreamSplit> s = split_stream(cnn);
  ASSERT_TRUE(s);
  // 8 x 8 image, 3 x 3 kernel, no padding: 36 positions, the last window starts at pixel 45.
  EXPECT_EQ(s->positions(), 36);
  EXPECT_EQ(s->cycles, 46);
  EXPECT_EQ(s->slots, 64);
  EXPECT_EQ(s->taps, (std::vector<int>{0, 1, 2, 8, 9, 10, 16, 17, 18}));
  EXPECT_EQ(s->chain_nodes, 3);  // conv, relu, quantize
  EXPECT_EQ(s->instances, 1);
  // K = 12: four instances, instance j starting at shift 12 j (rows 0, 1.5, 3, 4.5).
  const std::optional<StreamSplit> four = split_stream(cnn, {}, 12);
  EXPECT_EQ(four->instances, 4);
  EXPECT_EQ(four->instance_offset, 12);
  EXPECT_EQ(four->cycles, 12);
  for (int k : {1, 2, 5, 12, 23, 45, 46, 1000}) expect_windows_match(cnn, k);
  const Model strided = read_model_file(DAGEN_TEST_MODELS "/v2/hand_conv1d_same_stride2.json");
  for (int k : {1, 2, 3, 7, 1000}) expect_windows_match(strided, k);
  RandomConvNets random(7);
  for (int k = 0; k < 40; ++k) expect_windows_match(parse_model(random.model(k)), 1 + k % 9);
  // A convolution behind a prefix (max-pooling, a quantizer): the image is the prefix's.
  const std::string pooled = R"json({"version": 2, "name": "pooled",
    "inputs": [{"name": "x", "shape": [6, 6, 2], "type": {"signed": true, "int_bits": 2, "frac_bits": 1}}],
    "nodes": [{"op": "max_pool2d", "name": "p", "input": "x", "pool": 2},
              {"op": "quantize", "name": "q", "input": "p", "to": {"signed": true, "int_bits": 1, "frac_bits": 1}, "overflow": "SAT"},
              {"op": "conv2d", "name": "c", "input": "q", "kernel": [[[[1], [0.5]], [[-1], [0]]]], "padding": "same"},
              {"op": "flatten", "name": "f", "input": "%s"}],
    "outputs": ["f"]})json";
  auto with_reader = [&](const char* read) {
    std::string text = pooled;
    text.replace(text.find("%s"), 2, read);
    return read_model_text(text, "pooled");
  };
  const std::optional<StreamSplit> behind = split_stream(with_reader("c"));
  ASSERT_TRUE(behind);
  EXPECT_EQ(behind->prefix.nodes.size(), 2u);
  EXPECT_EQ(behind->positions(), 9);  // 3 x 3 after the pooling
  EXPECT_EQ(behind->channels, std::vector<FixedType>(2, FixedType{true, 1, 1}));
  expect_windows_match(with_reader("c"));
  // Nothing to stream: the prefix's tensor read outside it, a dense network.
  EXPECT_FALSE(split_stream(with_reader("q")));
  EXPECT_FALSE(split_stream(read_model_file(DAGEN_TEST_MODELS "/v2/resmlp.json")));
}

IiCase make_stream_case(const Model& m, int k, const std::string& top, std::uint64_t seed,
                        std::map<std::string, std::string>& library) {
  FlowOptions o;
  o.ii = k;
  const Target& target = find_target("xcup");
  const std::optional<Design> d = build_stream_design(m, o, top, whole_graph(m), target);
  if (!d) throw std::runtime_error(m.name + " was not streamed at K " + std::to_string(k));
  IiCase c;
  c.top = top;
  for (const auto& [name, text] : d->emitted.files) {
    if (name == top + ".v")
      c.verilog = text;
    else if (name.rfind(top + "_", 0) == 0)
      c.parts[name] = text;
    else
      library[name] = text;
  }
  c.latency = d->schedule.latency;
  c.ii = d->initiation_interval;
  for (const auto& port : d->emitted.inputs)
    c.x_width = std::max(c.x_width, port.offset + port.width);
  for (const auto& port : d->emitted.outputs)
    c.y_width = std::max(c.y_width, port.offset + port.width);
  for (const auto& in : make_input_vectors(m.input_types, 16, seed)) {
    const std::vector<Fixed> out = evaluate_reference(m, in);
    std::vector<i128> codes;
    for (std::size_t j = 0; j < out.size(); ++j)
      codes.push_back(output_code(out[j], d->emitted.outputs[j]));
    c.x.push_back(pack_hex(in, d->emitted.inputs));
    c.y.push_back(pack_hex(codes, d->emitted.outputs));
  }
  return c;
}

TEST(StreamSimulation, RandomConvNetworksMatchTheReference) {
  if (!have(DAGEN_IVERILOG) || !have(DAGEN_VVP)) GTEST_SKIP() << "Icarus Verilog not installed";
  const char* seed = std::getenv("DAGEN_STREAM_SEED");
  RandomConvNets random(seed ? std::stoull(seed) : 20261203);
  std::vector<IiCase> cases;
  std::map<std::string, std::string> library;
  int scales = 0, tables = 0;  // streamed inside a kernel
  int prefixes = 0;            // tails streaming a convolution behind a prefix
  for (int k = 0; k < 16; ++k) {
    const Model m = parse_model(random.model(k));
    const std::optional<StreamSplit> split = split_stream(m);
    prefixes += split->prefix.nodes.empty() ? 0 : 1;
    if (const auto tail =
            split_stream(split_stream(m, std::vector<FixedType>(split->kernel.nodes.back().shape[0],
                                                                FixedType{true, 4, 2}))
                             ->tail))
      prefixes += tail->prefix.nodes.empty() ? 0 : 1;
    for (const ModelNode& n : split->kernel.nodes) {
      scales += std::holds_alternative<ScaleOp>(n.op) ? 1 : 0;
      tables += std::holds_alternative<LookupOp>(n.op) ? 1 : 0;
    }
    // A K below the positions' span (several kernel instances), the span, beyond it.
    const int cycles = split_stream(m)->cycles;
    const int ii = k % 3 == 0 ? std::max(2, cycles / 3) : k % 3 == 1 ? cycles : 2 * cycles + k;
    cases.push_back(make_stream_case(m, ii, "stream" + std::to_string(k), k + 1, library));
  }
  EXPECT_GT(scales, 0);
  EXPECT_GT(tables, 0);
  EXPECT_GT(prefixes, 0);
  const Model cnn = read_model_file(DAGEN_TEST_MODELS "/v2/cnn2d.json");
  cases.push_back(make_stream_case(cnn, 64, "cnn_k64", 3, library));
  cases.push_back(make_stream_case(cnn, 12, "cnn_k12", 4, library));  // four kernel instances
  // The convolution's output read by two nodes and made an output too: the tail takes
  // it as its input, and y holds it re-aligned.
  const Model fork = read_model_text(
      R"json({"version": 2, "name": "conv_fork", "inputs": [{"name": "wave", "shape": [9, 2], "type": [{"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}, {"signed": true, "int_bits": 1, "frac_bits": 1}, {"signed": false, "int_bits": 2, "frac_bits": 0}]}], "nodes": [{"op": "conv1d", "name": "c", "input": "wave", "kernel": [[[0.5, -1], [1.5, 0]], [[-0.75, 1], [0, 0.25]], [[1, 1], [-1, 0.5]]], "bias": [0.25, -0.5], "dilation": 2, "padding": "same"}, {"op": "relu", "name": "r", "input": "c"}, {"op": "add", "name": "s", "inputs": ["r", "c"]}, {"op": "global_max_pool", "name": "g", "input": "s"}], "outputs": ["g", "c"]})json",
      "conv_fork");
  cases.push_back(make_stream_case(fork, 9, "fork_k9", 5, library));
  cases.push_back(make_stream_case(fork, 4, "fork_k4", 5, library));
  const std::size_t intact = cases.size();

  // Negative controls on the CNN: each must make some output or valid wrong.
  for (const char* top : {"mut_gather", "mut_tail", "mut_load"})
    cases.push_back(make_stream_case(cnn, 64, top, 3, library));
  ASSERT_TRUE(test::mutate(  // the first position caught one cycle late
      cases[intact].verilog, std::regex(R"((    if \(ctl_t\[)(\d+)(\]\) fmap.*))"),
      [](const std::smatch& m) {
        return m[1].str() + std::to_string(std::stoi(m[2]) + 1) + m[3].str();
      }));
  ASSERT_TRUE(test::mutate(  // the tail started one cycle before the last position is in
      cases[intact + 1].verilog, std::regex(R"((.*\.x_valid\(ctl_t\[)(\d+)(\]\).*))"),
      [](const std::smatch& m) {
        return m[1].str() + std::to_string(std::stoi(m[2]) - 1) + m[3].str();
      }));
  ASSERT_TRUE(test::mutate(  // the image loaded one cycle after x_valid
      cases[intact + 2].verilog, std::regex(R"((.*sr_mux \(\.load\()x_valid(\).*))"),
      [](const std::smatch& m) { return m[1].str() + "ctl_t[0]" + m[2].str(); }));

  test::expect_intact_pass_mutants_fail(cases, intact, library, "stream-sim");
}

}  // namespace
}  // namespace dagen
