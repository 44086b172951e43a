"""Classify stage: is an article security news (DESIGN's scope) or unrelated noise."""

from .model import Classification, Classifier

__all__ = ["Classification", "Classifier"]
