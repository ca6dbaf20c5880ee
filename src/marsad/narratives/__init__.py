"""Narratives: claim families and matching against catalogues of known disinformation narratives."""
