"""The records: the model, loading and checking, strict YAML reading and writing, the schema,
the taxonomy, links, canonical form and the records a git branch changes."""
