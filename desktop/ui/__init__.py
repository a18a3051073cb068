"""The window: Qt widgets and item models over the domain (the only package that imports Qt)."""
