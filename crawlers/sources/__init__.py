"""Declarative notice sources: layouts, YAML definitions, tolerant extraction into Tenders."""
