// argmax over the last axis (removed): the index of the first maximum, as an
// unsigned integer of ceil(log2 n) bits.  A tree of comparisons, each muxing
// the larger value and its index; on a tie the left (lower) index wins.
#include "dagen/graph_builder.hpp"
#include "op_common.hpp"

namespace dagen {

using namespace ops;

ArgmaxOp ArgmaxOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {});
  require_inputs(c, 1);
  require_rank(c, 1, true, "an input with at least one axis");
  out.assign(c.inputs[0].begin(), c.inputs[0].end() - 1);
  return {};
}

std::vector<Fixed> ArgmaxOp::reference(const ValueInputs& in, const NodeContext&) const {
  const std::vector<Fixed>& x = in[0]->values;
  const auto n = static_cast<std::size_t>(in[0]->shape.back());
  std::vector<Fixed> y;
  for (std::size_t r = 0; r < x.size() / n; ++r) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (compare(x[r * n + i], x[r * n + best]) > 0) best = i;
    y.push_back({static_cast<i128>(best), 0});
  }
  return y;
}

std::vector<Operand> ArgmaxOp::lower(GraphBuilder& b, const OperandInputs& in,
                                     const NodeContext&) const {
  const std::vector<Operand>& x = in[0]->elements;
  const auto n = static_cast<std::size_t>(in[0]->shape.back());
  struct Candidate {
    Operand value, index;
  };
  std::vector<Operand> y;
  for (std::size_t r = 0; r < x.size() / n; ++r) {
    std::vector<Candidate> level;
    for (std::size_t i = 0; i < n; ++i)
      level.push_back({x[r * n + i], b.constant({static_cast<i128>(i), 0})});
    while (level.size() > 1) {
      std::vector<Candidate> next;
      for (std::size_t k = 0; k + 1 < level.size(); k += 2) {
        const Candidate& l = level[k];
        const Candidate& h = level[k + 1];
        const Operand left_wins = b.ge(l.value, h.value);  // ties: the lower index
        next.push_back({b.mux(left_wins, l.value, h.value), b.mux(left_wins, l.index, h.index)});
      }
      if (level.size() % 2) next.push_back(level.back());
      level = std::move(next);
    }
    y.push_back(level[0].index);
  }
  return y;
}

}  // namespace dagen
