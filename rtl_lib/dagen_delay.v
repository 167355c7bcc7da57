// dagen_delay: a value delayed by 1..DEPTH clock cycles, every tap visible.
// taps[k*WIDTH +: WIDTH] is the input delayed by k+1 cycles.  da-gen uses it
// to carry a value across pipeline ranks to every later stage that reads it.
// ZERO_AT_START = 1: the registers start at 0, an FPGA's configured value, so a
// delayed valid flag reads 0 (not X) until the first input reaches it.
module dagen_delay #(
    parameter WIDTH = 1,
    parameter DEPTH = 1,
    parameter ZERO_AT_START = 0
) (
    input wire clk,
    input wire [WIDTH-1:0] d,
    output wire [WIDTH*DEPTH-1:0] taps
);
  reg [WIDTH*DEPTH-1:0] r;
  integer k;
  generate
    if (ZERO_AT_START) begin : g_zero_at_start
      initial r = 0;
    end
  endgenerate
  always @(posedge clk) begin
    r[WIDTH-1:0] <= d;
    for (k = 1; k < DEPTH; k = k + 1) r[k*WIDTH+:WIDTH] <= r[(k-1)*WIDTH+:WIDTH];
  end
  assign taps = r;
endmodule
