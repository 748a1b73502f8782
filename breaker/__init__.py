"""breaker: gets desk workers off their chair with the right movement, and keeps honest numbers."""

__version__ = "0.1.0"
