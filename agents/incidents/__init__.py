"""Incidents: events of many articles grouped into the real-world incidents they report."""

from .matching import Block, Incident, affinity, blocking_key

__all__ = ["Block", "Incident", "affinity", "blocking_key"]
