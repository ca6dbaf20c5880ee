"""Marsad (مرصد): see how claims and stories move through Arabic news."""

__version__ = "0.1.0"
