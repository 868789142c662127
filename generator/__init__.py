"""Alignment Atlas: a static knowledge-base generator for research on alignment.

The pipeline, one module per stage: ``records`` loads and checks the YAML records,
``ingest`` and ``normalize`` turn listings into records, ``dedupe`` finds the same paper
twice, ``render`` turns records into pages, and the MkDocs plugin publishes them.
"""

__version__ = "0.1.0"
