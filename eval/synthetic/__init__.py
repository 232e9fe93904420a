"""Synthetic DMP-like corpus: French medical PDFs, ground truth and labelled questions (see README.md)."""

from .generator import generate_corpus

__all__ = ["generate_corpus"]
