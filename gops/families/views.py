"""Pages of families: parse, call one service or selector, render."""
