"""Views of the quality framework, by topic: frameworks (definition), assessments (a school's
self-assessment and its review), overview (SWV matrix, comparisons, exports)."""
