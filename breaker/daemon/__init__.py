"""The running daemon: its clock, ticks, control requests, heartbeat, what it shows, and the runner that wires adapters."""
