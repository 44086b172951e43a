"""Extract stage: security events with places, groups, agencies, counts, dates and evidence."""

from .events import EventExtractor
from .gazetteer import Gazetteer

__all__ = ["EventExtractor", "Gazetteer"]
