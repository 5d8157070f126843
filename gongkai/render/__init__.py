"""Rendering: the web site, the PDF notice sheets and the search index."""
