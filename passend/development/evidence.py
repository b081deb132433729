"""Derived evidence providers for the quality framework (see passend.quality.evidence)."""
