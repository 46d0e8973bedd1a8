"""Pages of bluecards: parse, call one service or selector, render."""
