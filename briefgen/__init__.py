"""briefgen: a static site generator for structured news briefings."""

__version__ = "0.1.0"
