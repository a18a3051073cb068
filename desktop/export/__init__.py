"""Files in and out: the 数据包 (JSON) now; the official tables (xlsx, PDF) build on the same project."""
