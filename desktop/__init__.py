"""绩效目标申报助手 — offline filling, checking and exporting of performance-target declarations."""

__version__ = "0.1.0"
