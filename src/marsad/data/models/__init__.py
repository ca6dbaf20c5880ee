"""Trained model files (see docs/models/)."""
