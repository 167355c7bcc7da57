// add2alu.v -- techmap used by tools/yosys_report.py and tools/ice40_fmax.py.
//
// Maps every two-input $add / $sub cell to ONE $alu cell (a plain carry-chain
// adder) BEFORE Yosys' `alumacc` pass runs.  alumacc (Yosys 0.23) otherwise
// merges chains/trees of additions into a single $macc cell, which `maccmap`
// turns into a carry-save tree of $fa full adders (two LUTs per bit per level)
// plus a final adder: about 2-3x the LUTs of the chain of two-input carry
// adders a vendor tool (Vivado) would build from the same RTL.  alumacc never
// merges $alu cells, so after this map each source-level `+`/`-` becomes
// exactly one carry-chain adder.  $mul/$neg/comparisons are left to alumacc.
//
// Semantics: $add/$sub extend A and B to Y_WIDTH (sign- or zero-extended by
// A_SIGNED/B_SIGNED) and compute Y = A +/- B mod 2^Y_WIDTH; $alu does the same
// with Y = A + (BI ? ~B : B) + CI.

(* techmap_celltype = "$add" *)
module _da_add2alu (A, B, Y);
    parameter A_SIGNED = 0;
    parameter B_SIGNED = 0;
    parameter A_WIDTH = 1;
    parameter B_WIDTH = 1;
    parameter Y_WIDTH = 1;
    input  [A_WIDTH-1:0] A;
    input  [B_WIDTH-1:0] B;
    output [Y_WIDTH-1:0] Y;
    wire   [Y_WIDTH-1:0] X, CO;   // unused propagate / carry-out vectors
    \$alu #(.A_SIGNED(A_SIGNED), .B_SIGNED(B_SIGNED), .A_WIDTH(A_WIDTH),
            .B_WIDTH(B_WIDTH), .Y_WIDTH(Y_WIDTH))
        _TECHMAP_REPLACE_ (.A(A), .B(B), .CI(1'b0), .BI(1'b0), .Y(Y), .X(X), .CO(CO));
endmodule

(* techmap_celltype = "$sub" *)
module _da_sub2alu (A, B, Y);
    parameter A_SIGNED = 0;
    parameter B_SIGNED = 0;
    parameter A_WIDTH = 1;
    parameter B_WIDTH = 1;
    parameter Y_WIDTH = 1;
    input  [A_WIDTH-1:0] A;
    input  [B_WIDTH-1:0] B;
    output [Y_WIDTH-1:0] Y;
    wire   [Y_WIDTH-1:0] X, CO;   // unused propagate / carry-out vectors
    \$alu #(.A_SIGNED(A_SIGNED), .B_SIGNED(B_SIGNED), .A_WIDTH(A_WIDTH),
            .B_WIDTH(B_WIDTH), .Y_WIDTH(Y_WIDTH))
        _TECHMAP_REPLACE_ (.A(A), .B(B), .CI(1'b1), .BI(1'b1), .Y(Y), .X(X), .CO(CO));
endmodule
