// dagen_sadd: one digit of a digit-serial adder (--ii K > 1).
// {co, s} = a' + b' + ci with a' = a & ~za, b' = (b & ~zb), complemented when
// SUB = 1 (a - b = a + ~b + 1, the +1 being the frame's first carry-in).
// za / zb mark the bits of a digit that a shift moved in from below the frame
// (they read as zero).  The caller registers s and co (co is next digit's ci).
//
// On Xilinx (LUT6_2 + CARRY8) every bit is ONE LUT: for a one-bit digit the
// LUT6_2's two outputs are the sum and the carry of its five inputs (a, b, za,
// zb, ci); for wider digits O6 is the propagate a' ^ b' and O5 the generate a'
// of a CARRY8 chain whose carry-in is ci.  Written as a + b + ci, synthesis
// builds two LUTs per bit (sum and carry apart, or two chained adders).
// Synthesis gets the primitives, Verilator and Icarus Verilog the arithmetic
// (tests/tools/test_dagen_sadd.sh proves the two equal with Yosys' SAT solver).
`ifdef VERILATOR
`define DAGEN_SADD_MODEL
`elsif __ICARUS__
`define DAGEN_SADD_MODEL
`endif
`ifdef SYNTHESIS
`undef DAGEN_SADD_MODEL
`endif
module dagen_sadd #(
    parameter WIDTH = 1,
    parameter SUB = 0,
    /* verilator lint_off UNUSEDPARAM */
    parameter XILINX = 1  // 0: the arithmetic in synthesis too (other devices)
    /* verilator lint_on UNUSEDPARAM */
) (
    input wire [WIDTH-1:0] a,
    input wire [WIDTH-1:0] b,
    input wire [WIDTH-1:0] za,
    input wire [WIDTH-1:0] zb,
    input wire ci,
    output wire [WIDTH-1:0] s,
    output wire co
);
`ifdef DAGEN_SADD_MODEL
  wire [WIDTH-1:0] a_term = a & ~za;
  wire [WIDTH-1:0] b_term = (b & ~zb) ^ {WIDTH{SUB != 0}};
  assign {co, s} = {1'b0, a_term} + {1'b0, b_term} + {{WIDTH{1'b0}}, ci};
`else
  // I0 = a, I1 = b, I2 = za, I3 = zb, I4 = ci (one-bit digits) or 0.
  // One-bit: INIT[31:0] (O5) the carry, INIT[63:32] (O6) the sum.
  // Wider: O5 the generate a', O6 the propagate a' ^ b'.
  function [63:0] lut_init(input integer sub, input integer single);
    integer k;
    reg x, y, c;
    begin
      for (k = 0; k < 32; k = k + 1) begin
        x = k[0] & ~k[2];
        y = (k[1] & ~k[3]) ^ (sub != 0);
        c = k[4];
        if (single != 0) begin
          lut_init[k] = (x & y) | (x & c) | (y & c);
          lut_init[32+k] = x ^ y ^ c;
        end else begin
          lut_init[k] = x;
          lut_init[32+k] = x ^ y;
        end
      end
    end
  endfunction
  genvar i;
  generate
    if (XILINX == 0) begin : g_generic
      wire [WIDTH-1:0] a_term = a & ~za;
      wire [WIDTH-1:0] b_term = (b & ~zb) ^ {WIDTH{SUB != 0}};
      assign {co, s} = {1'b0, a_term} + {1'b0, b_term} + {{WIDTH{1'b0}}, ci};
    end else if (WIDTH == 1) begin : g_single
      LUT6_2 #(
          .INIT(lut_init(SUB, 1))
      ) lut (
          .O6(s[0]),
          .O5(co),
          .I0(a[0]),
          .I1(b[0]),
          .I2(za[0]),
          .I3(zb[0]),
          .I4(ci),
          .I5(1'b1)
      );
    end else begin : g_chain
      localparam integer BLOCKS = (WIDTH + 7) / 8;
      wire [8*BLOCKS-1:0] prop, gen, sum, cout;
      for (i = 0; i < 8 * BLOCKS; i = i + 1) begin : g_bit
        if (i < WIDTH) begin : g_lut
          LUT6_2 #(
              .INIT(lut_init(SUB, 0))
          ) lut (
              .O6(prop[i]),
              .O5(gen[i]),
              .I0(a[i]),
              .I1(b[i]),
              .I2(za[i]),
              .I3(zb[i]),
              .I4(1'b0),
              .I5(1'b1)
          );
        end else begin : g_pad
          assign prop[i] = 1'b0;
          assign gen[i]  = 1'b0;
        end
      end
      for (i = 0; i < BLOCKS; i = i + 1) begin : g_carry
        CARRY8 #(
            .CARRY_TYPE("SINGLE_CY8")
        ) chain (
            .CO(cout[8*i+:8]),
            .O(sum[8*i+:8]),
            .CI(i == 0 ? ci : cout[8*i-1]),
            .CI_TOP(1'b0),
            .DI(gen[8*i+:8]),
            .S(prop[8*i+:8])
        );
      end
      assign s  = sum[WIDTH-1:0];
      assign co = cout[WIDTH-1];
    end
  endgenerate
`endif
endmodule
`ifdef DAGEN_SADD_MODEL
`undef DAGEN_SADD_MODEL
`endif
