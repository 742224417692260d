"""policygraph: a linked-data knowledge graph of French public-policy commitments."""

__version__ = "0.1.0"
