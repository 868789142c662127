"""The MkDocs adapter: the plugin, its configuration and the live preview."""
