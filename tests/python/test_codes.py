"""dagen._codes: values <-> codes, the fast float64 path against the exact rational path."""

from fractions import Fraction

import numpy as np
import pytest

from dagen._codes import CodeError, ElementType, _encode_exact_python, decode, element_types, encode

U8_4 = {"width": 8, "signed": False, "frac_bits": 4}  # 0 .. 15.9375, LSB 1/16
S6_2 = {"width": 6, "signed": True, "frac_bits": 2}  # -8 .. 7.75, LSB 1/4
S0 = {"width": 0, "signed": True, "frac_bits": 0}  # the constant 0


def test_types_from_model_json_and_report_agree():
    a = element_types([{"signed": True, "int_bits": 3, "frac_bits": 2}])[0]
    b = element_types([S6_2])[0]
    assert (a.width, a.signed, a.frac_bits) == (b.width, b.signed, b.frac_bits) == (6, True, 2)
    assert (b.low, b.high) == (-32, 31)
    assert element_types([S0])[0].high == 0


def test_exact_values_encode_and_decode_round_trip():
    x = np.array([[0.0, -8.0, 0.0], [15.9375, 7.75, 0.0], [1.0625, -0.25, 0.0]])
    codes = encode(x, [U8_4, S6_2, S0])
    assert codes.dtype == np.int64
    assert codes.tolist() == [[0, -32, 0], [255, 31, 0], [17, -1, 0]]
    values, exact = decode(codes, [U8_4, S6_2, S0])
    assert exact and values.dtype == np.float64
    np.testing.assert_array_equal(values, x)


def test_one_vector_is_a_batch_of_one():
    assert encode([1.5, -2.0], [U8_4, S6_2]).tolist() == [[24, -8]]


def test_inexact_value_names_the_element():
    with pytest.raises(CodeError, match=r"x\[1, 0\] = 0\.03 is not exactly representable"):
        encode([[0.0, 0.0], [0.03, 0.0]], [U8_4, S6_2])


def test_out_of_range_names_the_element():
    with pytest.raises(CodeError, match=r"x\[0, 1\] = 8\.0 is outside element 1's range \[-8, 7\.75\]"):
        encode([[0.0, 8.0]], [U8_4, S6_2])
    with pytest.raises(CodeError, match="not a finite number"):
        encode([[np.nan, 0.0]], [U8_4, S6_2])
    with pytest.raises(CodeError, match="shape"):
        encode(np.zeros((2, 3)), [U8_4, S6_2])


def test_rounding_and_overflow_modes():
    t = [S6_2]
    x = [[0.1], [0.125], [-0.125], [-0.3], [9.0], [-9.0]]
    assert encode(x[:4], t, quantize="TRN").ravel().tolist() == [0, 0, -1, -2]
    assert encode(x[:4], t, quantize="RND").ravel().tolist() == [0, 1, 0, -1]
    assert encode(x[4:], t, overflow="SAT").ravel().tolist() == [31, -32]
    # 9.0 -> code 36 = 0b100100 in 6 bits -> -28; -9.0 -> -36 -> 28
    assert encode(x[4:], t, overflow="WRAP").ravel().tolist() == [-28, 28]
    with pytest.raises(ValueError, match="quantize"):
        encode(x, t, quantize="round")


def test_wide_elements_are_exact_python_ints():
    t = [{"width": 100, "signed": True, "frac_bits": 0}, {"width": 70, "signed": False, "frac_bits": 3}]
    big = (1 << 99) - 1
    x = np.array([[big, Fraction(5, 8)], [-(1 << 99), Fraction((1 << 67) - 1, 1)]], dtype=object)
    codes = encode(x, t)
    assert codes.dtype == object and codes.tolist() == [[big, 5], [-(1 << 99), ((1 << 67) - 1) * 8]]
    with pytest.raises(CodeError, match="outside"):
        encode(np.array([[1 << 99, 0]], dtype=object), t)
    same, exact = decode(codes, t)
    assert not exact and same.tolist() == codes.tolist()


def test_between_53_and_63_bits_stays_int64_and_exact():
    t = [{"width": 60, "signed": True, "frac_bits": 10}]
    x = np.array([[2.0**42 + 2.0**-10], [-(2.0**49)]])
    codes = encode(x, t)
    assert codes.dtype == np.int64
    assert codes.ravel().tolist() == [(1 << 52) + 1, -(1 << 59)]
    with pytest.raises(CodeError, match="outside"):
        encode([[2.0**49]], t)  # code 2**59 is one above the largest
    _, exact = decode(codes, t)
    assert not exact


@pytest.mark.parametrize("seed", range(20))
def test_fast_path_equals_exact_path(seed):
    rng = np.random.default_rng(seed)
    types = []
    for _ in range(6):
        width = int(rng.integers(0, 64))
        types.append(ElementType(width, bool(rng.integers(0, 2)), int(rng.integers(-8, 20))))
    x = np.empty((50, len(types)))
    for k, t in enumerate(types):
        lo, hi = t.low, t.high
        x[:, k] = rng.uniform(lo - 4, hi + 4, 50) * 2.0**-t.frac_bits
        x[:5, k] = np.array([lo, hi, lo - 1, hi + 1, 0]) * 2.0**-t.frac_bits
    for quantize in ("TRN", "RND"):
        for overflow in ("WRAP", "SAT"):
            fast = encode(x, types, quantize=quantize, overflow=overflow)
            exact = _encode_exact_python(x, types, quantize, overflow, "x")
            assert fast.dtype == np.int64
            assert fast.tolist() == exact.tolist(), (quantize, overflow)
