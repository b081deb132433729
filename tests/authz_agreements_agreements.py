"""PLACEHOLDER: rules written by the helper owning this part."""

RULES: dict = {}
