"""The pure core of breaker: stdlib only, no I/O, no threads, and time is always an argument."""
