"""Anbudsvakt shared core: settings, the Tender model, code lists, store and search index."""
