// split_stream: the model-level half of a streamed convolution (include/dagen/stream.hpp).
#include <algorithm>

#include "dagen/diag.hpp"
#include "dagen/lower.hpp"
#include "dagen/stream.hpp"

namespace dagen {

FixedType union_type(const FixedType& a, const FixedType& b) {
  if (a.width() <= 0) return b;
  if (b.width() <= 0) return a;
  // int_bits excludes the sign: a signed type of i integer bits holds [-2^i, 2^i),
  // which covers an unsigned one of as many.
  return {a.is_signed || b.is_signed, std::max(a.int_bits, b.int_bits),
          std::max(a.frac_bits, b.frac_bits)};
}

int StreamSplit::shift_register_bits() const {
  int bits = 0;
  for (const FixedType& t : channels) bits += std::max(0, t.width());
  return bits * slots;
}

int StreamSplit::used_instances() const {
  int used = 0;
  for (int j = 0; j < instances; ++j) used += instance_used(j) ? 1 : 0;
  return used;
}

namespace {

// The readers of every tensor.
std::vector<std::vector<int>> readers_of(const Model& m) {
  std::vector<std::vector<int>> r(static_cast<std::size_t>(m.tensor_count()));
  for (std::size_t k = 0; k < m.nodes.size(); ++k)
    for (int t : m.nodes[k].inputs) r[static_cast<std::size_t>(t)].push_back(static_cast<int>(k));
  return r;
}

bool is_output(const Model& m, int tensor) {
  return std::find(m.outputs.begin(), m.outputs.end(), tensor) != m.outputs.end();
}

// Whether per-element formats depend only on the channel (the last axis).
bool per_channel(const std::vector<FixedType>& to, int channels) {
  for (std::size_t e = 0; e < to.size(); ++e)
    if (!(to[e] == to[e % static_cast<std::size_t>(channels)])) return false;
  return true;
}

// An element-wise node that can run per position inside the kernel: a ReLU, a
// per-channel scale (a folded batch normalisation), or a quantizer or table whose
// format depends only on the channel.
bool per_position(const ModelNode& n, int channels) {
  if (std::holds_alternative<ReluOp>(n.op) || std::holds_alternative<ScaleOp>(n.op)) return true;
  if (const auto* q = std::get_if<QuantizeOp>(&n.op)) return per_channel(q->to, channels);
  if (const auto* t = std::get_if<LookupOp>(&n.op)) return per_channel(t->to, channels);
  return false;
}

// The shift register's geometry: slots, the load map, the taps and position cycles.
void place_window(const ConvOp& op, const Shape& in, const Shape& out, int max_cycles,
                  StreamSplit& s) {
  const std::size_t rank = static_cast<std::size_t>(op.rank);
  // The padded extent of each axis: the image after its leading padding, or as far
  // as the last window reaches (the trailing padding).
  std::vector<long long> extent(rank), raster(rank, 1);
  for (std::size_t a = 0; a < rank; ++a)
    extent[a] =
        std::max<long long>(op.pad_before[a] + in[a],
                            static_cast<long long>(out[a] - 1) * op.strides[a] +
                                static_cast<long long>(op.kernel_size[a] - 1) * op.dilation[a] + 1);
  for (std::size_t a = rank - 1; a > 0; --a) raster[a - 1] = raster[a] * extent[a];

  std::vector<int> tap(rank, 0);
  long long last_tap = 0;
  for (;;) {
    long long slot = 0;
    for (std::size_t a = 0; a < rank; ++a)
      slot += static_cast<long long>(tap[a]) * op.dilation[a] * raster[a];
    s.taps.push_back(static_cast<int>(slot));
    last_tap = std::max(last_tap, slot);
    std::size_t a = rank;
    while (a > 0 && ++tap[a - 1] == op.kernel_size[a - 1]) tap[--a] = 0;
    if (a == 0) break;
  }
  const Shape spatial(out.begin(), out.end() - 1);
  std::vector<long long> shift;  // of each position: the slot its window starts at
  for (std::size_t p = 0; p < element_count(spatial); ++p) {
    const std::vector<int> pos = multi_index(spatial, p);
    long long k = 0;
    for (std::size_t a = 0; a < rank; ++a)
      k += static_cast<long long>(pos[a]) * op.strides[a] * raster[a];
    shift.push_back(k);
  }
  const long long last_position = *std::max_element(shift.begin(), shift.end());
  // n instances, instance j taking the shifts [j * offset, (j + 1) * offset).
  const long long span = last_position + 1, most = std::max(max_cycles, 1);
  // offset <= most, so no position's cycle is later than max_cycles.  Instances
  // that a stride leaves without a position are never built (instance_used()).
  const long long n = (span + most - 1) / most;
  const long long offset = (span + n - 1) / n;
  s.instance_offset = static_cast<int>(offset);
  for (long long k : shift) {
    s.position_instance.push_back(static_cast<int>(k / offset));
    s.position_cycle.push_back(static_cast<int>(k % offset + 1));
    s.cycles = std::max(s.cycles, s.position_cycle.back());
    s.instances = std::max(s.instances, s.position_instance.back() + 1);
  }
  s.slots = static_cast<int>(last_position + last_tap + 1);
  const auto cin = static_cast<std::size_t>(op.cin);
  s.load.assign(static_cast<std::size_t>(s.slots), std::vector<long long>(cin, -1));
  const Shape image(in.begin(), in.end() - 1);
  for (long long q = 0; q < s.slots; ++q) {
    std::vector<int> at(rank);
    bool inside = true;
    for (std::size_t a = 0; a < rank; ++a) {
      at[a] = static_cast<int>((q / raster[a]) % extent[a]) - op.pad_before[a];
      inside = inside && at[a] >= 0 && at[a] < in[a];
    }
    if (!inside) continue;
    const auto pixel = static_cast<long long>(flat_index(image, at));
    for (std::size_t c = 0; c < cin; ++c)
      s.load[static_cast<std::size_t>(q)][c] =
          pixel * static_cast<long long>(cin) + static_cast<long long>(c);
  }
}

// Ops without adders that may compute the convolution's image from the model's
// input in the x_valid cycle (the prefix): pooling by max, element-wise ops, tables
// and rearrangements.
bool prefix_op(const Op& op) {
  return std::holds_alternative<MaxPoolOp>(op) || std::holds_alternative<ExtremumOp>(op) ||
         std::holds_alternative<ReluOp>(op) || std::holds_alternative<QuantizeOp>(op) ||
         std::holds_alternative<LookupOp>(op) || std::holds_alternative<ReshapeOp>(op) ||
         std::holds_alternative<TransposeOp>(op) || std::holds_alternative<ConcatOp>(op);
}

// The nodes the prefix needs: `image`'s ancestors (node indices, in order).
std::vector<int> ancestors(const Model& m, int image) {
  std::vector<char> need(static_cast<std::size_t>(m.tensor_count()), 0);
  need[static_cast<std::size_t>(image)] = 1;
  std::vector<int> nodes;
  for (int t = m.tensor_count(); t-- > static_cast<int>(m.inputs.size());) {
    if (!need[static_cast<std::size_t>(t)]) continue;
    const ModelNode& n = m.node_of(t);
    nodes.push_back(t - static_cast<int>(m.inputs.size()));
    for (int i : n.inputs) need[static_cast<std::size_t>(i)] = 1;
  }
  std::reverse(nodes.begin(), nodes.end());
  return nodes;
}

}  // namespace

std::optional<StreamSplit> split_stream(const Model& model, const std::vector<FixedType>& gathered,
                                        int max_cycles) {
  if (model.inputs.size() != 1 || is_output(model, 0)) return std::nullopt;
  const auto readers = readers_of(model);
  const auto first = static_cast<int>(model.inputs.size());  // tensor id of node 0
  // Tensors the prefix can compute: from the input through prefix ops only.
  std::vector<char> computable(static_cast<std::size_t>(model.tensor_count()), 0);
  computable[0] = 1;
  int conv_at = -1;
  for (std::size_t k = 0; k < model.nodes.size() && conv_at < 0; ++k) {
    const ModelNode& n = model.nodes[k];
    const bool from_input = std::all_of(n.inputs.begin(), n.inputs.end(), [&](int t) {
      return computable[static_cast<std::size_t>(t)];
    });
    if (!from_input) continue;
    if (std::holds_alternative<ConvOp>(n.op))
      conv_at = static_cast<int>(k);
    else if (prefix_op(n.op))
      computable[static_cast<std::size_t>(first) + k] = 1;
  }
  if (conv_at < 0) return std::nullopt;
  const ModelNode& conv = model.nodes[static_cast<std::size_t>(conv_at)];
  const auto* op = std::get_if<ConvOp>(&conv.op);
  const int image = conv.inputs[0];
  // The input and every prefix tensor are read only inside the prefix and by the
  // convolution (the tail sees only what the convolution makes), and are no outputs.
  const std::vector<int> prefix = ancestors(model, image);
  auto inside = [&](int node) {
    return node == conv_at || std::find(prefix.begin(), prefix.end(), node) != prefix.end();
  };
  for (int t = 0; t < model.tensor_count(); ++t) {
    const bool in_prefix = t == 0 || (t >= first && inside(t - first) && t - first != conv_at);
    if (!in_prefix) continue;
    if (is_output(model, t)) return std::nullopt;
    for (int r : readers[static_cast<std::size_t>(t)])
      if (!inside(r)) return std::nullopt;
  }

  StreamSplit s;
  s.conv_node = conv_at;
  std::vector<int> chain{conv_at};
  for (;;) {
    const int t = first + chain.back();
    const auto& r = readers[static_cast<std::size_t>(t)];
    if (r.size() != 1 || is_output(model, t)) break;
    if (!per_position(model.nodes[static_cast<std::size_t>(r[0])], op->cout)) break;
    chain.push_back(r[0]);
  }
  s.chain_nodes = static_cast<int>(chain.size());
  const Shape& in = model.shape_of(image);
  place_window(*op, in, conv.shape, max_cycles, s);

  // The image's formats: the input's, or what the prefix computes (no adders: its
  // graph's formats are the same whatever the optimiser's options).
  std::vector<FixedType> formats = model.inputs[0].types;
  if (!prefix.empty()) {
    Model& p = s.prefix;
    p.name = model.name + "_prefix";
    p.version = 2;
    p.inputs = model.inputs;
    p.input_types = model.input_types;
    std::vector<int> renamed(static_cast<std::size_t>(model.tensor_count()), -1);
    renamed[0] = 0;
    for (int n : prefix) {
      ModelNode copy = model.nodes[static_cast<std::size_t>(n)];
      for (int& i : copy.inputs) i = renamed[static_cast<std::size_t>(i)];
      renamed[static_cast<std::size_t>(first + n)] = static_cast<int>(1 + p.nodes.size());
      p.nodes.push_back(std::move(copy));
    }
    p.outputs = {renamed[static_cast<std::size_t>(image)]};
    const AdderGraph g = lower_model(p, {});
    formats.clear();
    for (const Operand& o : g.outputs) formats.push_back(operand_type(g, o));
  }
  // Per channel, the union of its formats over the image (padding reads as zero).
  s.channels.assign(static_cast<std::size_t>(op->cin), FixedType{false, 0, 0});
  for (std::size_t e = 0; e < formats.size(); ++e) {
    FixedType& c = s.channels[e % static_cast<std::size_t>(op->cin)];
    c = union_type(c, formats[e]);
  }

  // The kernel: the convolution as a dense layer over one window, then its chain.
  Model& k = s.kernel;
  k.name = model.name + "_kernel";
  k.version = 2;
  ModelInput window;
  window.name = "window";
  window.shape = {static_cast<int>(s.taps.size()) * op->cin};
  for (std::size_t e = 0; e < s.taps.size() * static_cast<std::size_t>(op->cin); ++e)
    window.types.push_back(s.channels[e % static_cast<std::size_t>(op->cin)]);
  k.input_types = window.types;
  k.inputs.push_back(std::move(window));
  DenseOp dense;
  dense.weights = op->kernel;  // [taps][cin][cout] is [taps * cin][cout] row-major
  dense.bias = op->bias;
  dense.n_in = k.inputs[0].shape[0];
  dense.n_out = op->cout;
  for (std::size_t c = 0; c < chain.size(); ++c) {
    const ModelNode& from = model.nodes[static_cast<std::size_t>(chain[c])];
    ModelNode n;
    n.name = from.name;
    n.at = from.at;
    n.inputs = {static_cast<int>(c)};
    n.shape = {op->cout};
    if (c == 0) {
      n.op = dense;
    } else if (const auto* q = std::get_if<QuantizeOp>(&from.op)) {
      QuantizeOp per = *q;
      per.to.resize(static_cast<std::size_t>(op->cout));
      n.op = per;
    } else if (const auto* t = std::get_if<LookupOp>(&from.op)) {
      LookupOp per = *t;
      per.to.resize(static_cast<std::size_t>(op->cout));
      n.op = per;
    } else {
      n.op = from.op;
    }
    k.nodes.push_back(std::move(n));
  }
  k.outputs = {static_cast<int>(chain.size())};
  if (gathered.empty()) return s;
  if (gathered.size() != static_cast<std::size_t>(op->cout))
    throw InternalError("split_stream: one gathered format per kernel output expected");

  // The tail: the chain's last tensor becomes its input; every other node stays.
  Model& t = s.tail;
  t.name = model.name + "_tail";
  t.version = 2;
  const int last = first + chain.back();
  ModelInput fmap;
  fmap.name = model.tensor_name(last);
  fmap.shape = model.shape_of(last);
  for (std::size_t e = 0; e < element_count(fmap.shape); ++e)
    fmap.types.push_back(gathered[e % gathered.size()]);
  t.input_types = fmap.types;
  t.inputs.push_back(std::move(fmap));
  std::vector<int> renamed(static_cast<std::size_t>(model.tensor_count()), -1);
  renamed[static_cast<std::size_t>(last)] = 0;
  for (std::size_t n = 0; n < model.nodes.size(); ++n) {
    const auto node = static_cast<int>(n);
    if (std::find(chain.begin(), chain.end(), node) != chain.end() ||
        std::find(prefix.begin(), prefix.end(), node) != prefix.end())
      continue;
    ModelNode copy = model.nodes[n];
    for (int& i : copy.inputs) {
      i = renamed[static_cast<std::size_t>(i)];
      if (i < 0) throw InternalError("split_stream: a tail node reads a streamed tensor");
    }
    renamed[static_cast<std::size_t>(first) + n] =
        static_cast<int>(t.inputs.size() + t.nodes.size());
    t.nodes.push_back(std::move(copy));
  }
  for (int o : model.outputs) t.outputs.push_back(renamed[static_cast<std::size_t>(o)]);
  return s;
}

}  // namespace dagen
