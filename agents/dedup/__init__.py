"""Near-duplicates: MinHash signatures, LSH bands routed by band key, and one decision rule."""

from .index import Decision, Entry, MemoryIndex, decide
from .minhash import Signature, signature

__all__ = ["Decision", "Entry", "MemoryIndex", "Signature", "decide", "signature"]
