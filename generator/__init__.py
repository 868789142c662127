"""Alignment Atlas: a static knowledge-base generator for research on alignment.

The pipeline, one package per stage: ``content`` loads and checks the YAML records,
``ingest`` turns listings into records, ``dedupe`` finds the same paper twice, ``site``
turns records into pages and exports, ``mkdocs`` publishes them through MkDocs, and ``cli``
holds one module per ``atlas`` sub-command.
"""

__version__ = "0.1.0"
