"""The base model emitted by datamodel-code-generator from ``schema/``; see ``model.py``."""
