// A drop-in for alkaid 0.8.2's shift_adder (same parameters, ports and function:
// out = ((in0 << max(-SHIFT1, 0)) +/- (in1 << max(SHIFT1, 0))) >> DROP_LSBS, BW_OUT bits), written
// as ONE addition or subtraction, i.e. one carry chain.  alkaid writes a subtraction whose minuend
// is the shifted operand (SHIFT1 < 0) as a negation of the low bits, an OR of them (the borrow)
// and `hi0 - hi1 - borrow`, which Yosys, as tools/yosys_report.py runs it, builds as three carry
// chains; a vendor tool may take the 1-bit borrow as the carry-in of one chain.  This module
// counts alkaid's adders as one chain each (benchmarks/alkaid_resources.py, "one-chain" rows); the
// designs using it pass the same function check.  Not alkaid's code: written from the function.
`timescale 1ns / 1ps

module shift_adder #(
    parameter BW_INPUT0 = 32,
    parameter BW_INPUT1 = 32,
    parameter SIGNED0 = 0,
    parameter SIGNED1 = 0,
    parameter BW_OUT = 32,
    parameter DROP_LSBS = 0,
    parameter SHIFT1 = 0,
    parameter IS_SUB = 0
) (
    input [BW_INPUT0-1:0] in0,
    input [BW_INPUT1-1:0] in1,
    output [BW_OUT-1:0] out
);
  localparam L0 = (SHIFT1 < 0) ? -SHIFT1 : 0;  // zero LSBs below in0
  localparam L1 = (SHIFT1 > 0) ? SHIFT1 : 0;  // zero LSBs below in1
  localparam T0 = BW_INPUT0 + L0;
  localparam T1 = BW_INPUT1 + L1;
  localparam T = (T0 > T1) ? T0 : T1;
  localparam W = ((T > BW_OUT + DROP_LSBS) ? T : BW_OUT + DROP_LSBS) + 2;

  wire e0 = SIGNED0 ? in0[BW_INPUT0-1] : 1'b0;
  wire e1 = SIGNED1 ? in1[BW_INPUT1-1] : 1'b0;
  wire [W-1:0] a, b, sum;
  // in0 / in1 in place: W - T sign (or zero) bits, the operand, its zero LSBs
  generate
    if (L0 > 0) begin : a_low
      assign a = {{(W - T0) {e0}}, in0, {L0{1'b0}}};
    end else begin : a_flush
      assign a = {{(W - T0) {e0}}, in0};
    end
    if (L1 > 0) begin : b_low
      assign b = {{(W - T1) {e1}}, in1, {L1{1'b0}}};
    end else begin : b_flush
      assign b = {{(W - T1) {e1}}, in1};
    end
    if (IS_SUB == 1) begin : sub
      assign sum = a - b;
    end else begin : add
      assign sum = a + b;
    end
  endgenerate
  assign out = sum[BW_OUT-1+DROP_LSBS:DROP_LSBS];
endmodule
