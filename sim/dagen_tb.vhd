-- Generic GHDL testbench for a da-gen VHDL design, the VHDL twin of harness.cpp.
-- Replays a vector file ("dagen-vectors 1", see src/io/vectors.cpp): drives one
-- input vector per clock cycle and compares y with the expected output
-- `LATENCY` cycles later.  The design is reached through dagen_dut, a wrapper
-- da-gen --verify writes with the same ports for every design (src/flow/verify_ghdl.cpp).
-- Elements of any width: x and y are read as hex strings by VHDL-2008 hread.
library ieee;
use ieee.std_logic_1164.all;
use std.textio.all;

entity dagen_tb is
  generic (
    XW : positive;
    YW : positive;
    LATENCY : natural;
    COUNT : positive;
    VALID : boolean;
    VECTORS : string := "vectors.txt"
  );
end entity dagen_tb;

architecture sim of dagen_tb is
  signal clk, x_valid, y_valid : std_logic := '0';
  signal x : std_logic_vector(XW - 1 downto 0) := (others => '0');
  signal y : std_logic_vector(YW - 1 downto 0);

  -- With the handshake every third cycle is invalid (as in harness.cpp).
  function valid_pattern(t : natural) return std_logic is
  begin
    if t mod 3 /= 2 then
      return '1';
    end if;
    return '0';
  end function;
begin
  dut : entity work.dagen_dut
    port map (clk => clk, x_valid => x_valid, x => x, y_valid => y_valid, y => y);

  run : process
    file f : text;
    variable l, o : line;
    -- The last LATENCY + 1 vectors, indexed by cycle modulo LATENCY + 1.
    type x_ring is array (0 to LATENCY) of std_logic_vector(XW - 1 downto 0);
    type y_ring is array (0 to LATENCY) of std_logic_vector(YW - 1 downto 0);
    variable xs : x_ring;
    variable ys : y_ring;
    variable xv : std_logic_vector(XW - 1 downto 0);
    variable yv : std_logic_vector(YW - 1 downto 0);
    variable magic : string(1 to 13);
    variable version, xw_file, yw_file, latency_file, count_file : integer;
    variable good : boolean;
    variable k : natural;
    variable mismatches : natural := 0;

    procedure mismatch(text : string) is
    begin
      mismatches := mismatches + 1;
      if mismatches <= 10 then
        write(o, "MISMATCH " & text);
        writeline(output, o);
      end if;
    end procedure;
  begin
    file_open(f, VECTORS, read_mode);
    readline(f, l);
    read(l, magic);
    read(l, version);
    readline(f, l);
    read(l, xw_file);
    read(l, yw_file);
    read(l, latency_file);
    read(l, count_file);
    assert magic = "dagen-vectors" and version = 1 and xw_file = XW and yw_file = YW and
      latency_file = LATENCY and count_file = COUNT
      report "FAIL: the vector file does not fit this testbench" severity failure;
    for t in 0 to COUNT + LATENCY - 1 loop
      if t < COUNT then  -- afterwards the last input stays on x
        readline(f, l);
        hread(l, xv, good);
        assert good report "FAIL: bad x in vector " & integer'image(t) severity failure;
        hread(l, yv, good);
        assert good report "FAIL: bad y in vector " & integer'image(t) severity failure;
        xs(t mod (LATENCY + 1)) := xv;
        ys(t mod (LATENCY + 1)) := yv;
      end if;
      x <= xv;
      x_valid <= valid_pattern(t);
      wait for 1 ns;
      if VALID and t < LATENCY and y_valid /= '0' then
        mismatch("y_valid set at cycle " & integer'image(t) & ", before any input");
      end if;
      if t >= LATENCY then
        k := (t - LATENCY) mod (LATENCY + 1);
        if VALID and y_valid /= valid_pattern(t - LATENCY) then
          mismatch("y_valid at vector " & integer'image(t - LATENCY));
        elsif y /= ys(k) then
          mismatch("vector " & integer'image(t - LATENCY) & ": x=" & to_hstring(xs(k)) &
                   " expected y=" & to_hstring(ys(k)) & " got y=" & to_hstring(y));
        end if;
      end if;
      clk <= '1';
      wait for 1 ns;
      clk <= '0';
      wait for 1 ns;
    end loop;
    if mismatches = 0 then
      write(o, "PASS: " & integer'image(COUNT) & " vectors, latency " & integer'image(LATENCY));
    else
      write(o, "FAIL: " & integer'image(mismatches) & " of " & integer'image(COUNT) &
            " vectors mismatched");
    end if;
    writeline(output, o);
    wait;
  end process;
end architecture sim;
