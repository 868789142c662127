"""The importer: readers of listings, BibTeX and Atom, normalization, extraction rules and
classification into the taxonomy."""
