"""Carnet: ask a patient's shared medical record a question in plain words."""

__version__ = "0.1.0"
