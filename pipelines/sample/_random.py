"""Counter-based random numbers as polars expressions (splitmix64), no numpy needed.

Every draw is a pure function of (seed, stream, key): the same enterprise gets the same
numbers whatever the size of the run or the order of the rows, and the whole generator is
vectorised (no Python loop over rows). Integer arithmetic on UInt64 wraps in polars.
"""

from __future__ import annotations

import math

import polars as pl

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB


def splitmix(x: int) -> int:
    """splitmix64 of a Python int (for constants)."""
    z = (x + _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def py_uniform(seed: int, stream: int, key: int) -> float:
    """The same draw as `uniform`, in Python (for a handful of scalars)."""
    z = ((key * _GOLDEN) + _base(seed, stream)) & _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    z ^= z >> 31
    return ((z >> 11) + 0.5) / 2.0**53


def py_normal(seed: int, stream: int, key: int) -> float:
    u1 = py_uniform(seed, stream, key)
    u2 = py_uniform(seed, stream + 7919, key)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def _base(seed: int, stream: int) -> int:
    return splitmix(splitmix(seed & _MASK) ^ ((stream * 0xD1B54A32D192ED03) & _MASK))


def _u64(value: int) -> pl.Expr:
    return pl.lit(value & _MASK, dtype=pl.UInt64)


def _shr(z: pl.Expr, bits: int) -> pl.Expr:
    return z // _u64(1 << bits)


def uniform(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """Uniform draw in (0, 1) for each key (an integer expression, ≥ 0)."""
    z = key.cast(pl.UInt64) * _u64(_GOLDEN) + _u64(_base(seed, stream))
    z = z.xor(_shr(z, 30)) * _u64(_M1)
    z = z.xor(_shr(z, 27)) * _u64(_M2)
    z = z.xor(_shr(z, 31))
    return (_shr(z, 11).cast(pl.Float64) + 0.5) / 2.0**53


def normal(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """Standard normal draw for each key (Box–Muller on two independent streams)."""
    u1 = uniform(key, seed, stream)
    u2 = uniform(key, seed, stream + 7919)
    return (-2.0 * u1.log()).sqrt() * (2.0 * math.pi * u2).cos()
