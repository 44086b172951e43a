"""MinHash signatures of cleaned text, LSH band keys, and near-copy similarity.

Shingles are 4-grams of normalised words, so re-spacing and punctuation do not
matter. A signature is NUM_PERM minimum hashes (numpy, vectorised); it is cut
into BANDS bands of ROWS rows, and two articles become candidates when any band
is equal. ROWS = 2 makes candidates of pairs with Jaccard as low as ~0.3,
because a syndicated copy with a different tail or a truncated body is a near-
copy by *containment* (001 is all inside 000: Jaccard 0.47, containment 1.0),
which Jaccard alone would miss. Candidates are then checked on the signatures.

The permutations are multiply-add-shift hashes of the shingle folded to 32 bits,
((a*x + b) mod 2**64) >> 32 with random 64-bit a and b (Dietzfelbinger): 2-independent,
so the estimate of Jaccard has the error of independent permutations (standard error
0.044 at J = 0.5 with 128). Until 2026-12-01 they were (a*x + b) mod (2**61 - 1) with
a < 2**31: a*x wrapped around the prime only a few times, so every permutation ranked
the shingles nearly alike and the error was twice that; numpy's uint64 `%` also made a
signature 0.31 ms instead of 0.25. Signatures of the two schemes are not comparable.
Values are 32 bits: two different minima agree by chance once in 2**32 slots, and a
signature travels and stays in memory as 512 bytes (`pack`).
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

import numpy as np

from agents.arabic import normalize

NUM_PERM = 128
ROWS = 2
BANDS = NUM_PERM // ROWS
SHINGLE = 4  # words per shingle
MIN_JACCARD = 0.15  # below this the overlap is common phrases, whatever the containment says
_RNG = np.random.default_rng(20251201)  # fixed: signatures must agree across processes
_U64 = np.iinfo(np.uint64).max
_A = _RNG.integers(0, _U64, NUM_PERM, dtype=np.uint64, endpoint=True)[:, None]
_B = _RNG.integers(0, _U64, NUM_PERM, dtype=np.uint64, endpoint=True)[:, None]
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F], dtype=np.uint64)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    values: tuple[int, ...]  # NUM_PERM minimum hashes, 32-bit
    size: int  # number of distinct shingles

    @property
    def array(self) -> np.ndarray:
        return np.asarray(self.values, dtype=np.uint32)

    def bands(self) -> list[int]:
        return bands(self.array)

    def pack(self) -> str:
        """The values as base64 of little-endian uint32: what travels and what tables keep."""
        return base64.b64encode(self.array.astype("<u4").tobytes()).decode("ascii")


def bands(values: np.ndarray) -> list[int]:
    """Band keys: the band's position and a hash of its rows, so equal keys mean an equal
    band (ints: smaller than strings in an index holding 64 per article)."""
    raw = values.astype("<u4").tobytes()
    width = 4 * ROWS
    return [b << 32 | zlib.crc32(raw[b * width : (b + 1) * width]) for b in range(BANDS)]


def unpack(packed: str) -> np.ndarray:
    """Signature values from `Signature.pack`, as a uint32 array."""
    return np.frombuffer(base64.b64decode(packed), dtype="<u4").astype(np.uint32)


def signature(text: str) -> Signature | None:
    """The text's MinHash signature, or None when it is too short to have a shingle."""
    words = _WORD.findall(normalize(text))
    if len(words) < SHINGLE:
        return None
    tokens = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE + 1
    shingles = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):  # a shingle's hash mixes its words' hashes, in order
        shingles = shingles * np.uint64(31) + tokens[i : i + n] * _MIX[i]
    shingles = np.unique(shingles)
    x = (shingles ^ (shingles >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    hashed = (_A * x[None, :] + _B) >> np.uint64(32)  # uint64 arrays wrap: mod 2**64
    return Signature(tuple(hashed.min(axis=1).tolist()), len(shingles))


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """(estimated Jaccard, estimated containment of the smaller text in the larger)."""
    jaccard = sum(x == y for x, y in zip(a.values, b.values, strict=True)) / NUM_PERM
    return jaccard, containment(jaccard, a.size, b.size)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Containment of the smaller shingle set in the larger, from their Jaccard and sizes."""
    if jaccard == 0.0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, intersection / min(size_a, size_b))


def near_copy_score(jaccard: float, size_a: int, size_b: int, threshold: float) -> float | None:
    """The similarity that makes two texts near-copies, or None: containment at least
    `threshold`, with enough Jaccard to be more than shared stock phrases."""
    if jaccard < MIN_JACCARD:
        return None
    score = containment(jaccard, size_a, size_b)
    return round(score, 4) if score >= threshold else None


def near_copy(a: Signature, b: Signature, threshold: float) -> float | None:
    return near_copy_score(similarity(a, b)[0], a.size, b.size, threshold)
