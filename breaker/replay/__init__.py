"""Activity traces and their replay on a virtual clock (``breaker simulate``)."""
