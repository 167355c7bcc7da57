// dagen_delay: a value delayed by 1..DEPTH clock cycles, every tap visible.
// taps[k*WIDTH +: WIDTH] is the input delayed by k+1 cycles.  da-gen uses it
// to carry a value across pipeline ranks to every later stage that reads it.
module dagen_delay #(
    parameter WIDTH = 1,
    parameter DEPTH = 1
) (
    input wire clk,
    input wire [WIDTH-1:0] d,
    output wire [WIDTH*DEPTH-1:0] taps
);
  reg [WIDTH*DEPTH-1:0] r;
  integer k;
  always @(posedge clk) begin
    r[WIDTH-1:0] <= d;
    for (k = 1; k < DEPTH; k = k + 1) r[k*WIDTH+:WIDTH] <= r[(k-1)*WIDTH+:WIDTH];
  end
  assign taps = r;
endmodule
