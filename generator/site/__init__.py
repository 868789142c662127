"""Pages as data: the paper index, page rendering, exports, charts, HTML safety and search."""
