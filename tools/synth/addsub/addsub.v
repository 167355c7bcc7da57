// Equivalence check for the $sub half of tools/synth/add2alu.v: signed and
// unsigned subtractions, a shifted operand, a subtraction of differences,
// a wrapping (truncated) unsigned difference and a mixed add/sub chain.
module addsub (
    input  wire [63:0] x,
    output wire [69:0] y
);
    wire signed [11:0] a = x[11:0],  b = x[23:12], c = x[35:24], d = x[47:36];
    wire        [7:0]  e = x[55:48], f = x[63:56];
    wire signed [12:0] s0 = a - b;
    wire signed [15:0] s1 = (c <<< 3) - d;
    wire signed [16:0] s2 = s0 - s1;
    wire        [7:0]  u  = e - f;          // wraps modulo 256
    wire        [8:0]  v  = e - f + 9'd5;   // unsigned, 9 bits
    wire signed [13:0] w  = a + b - c;
    assign y = {w, v, u, s2, s1};
endmodule
