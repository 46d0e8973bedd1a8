"""Pages of integration: parse, call one service or selector, render."""
