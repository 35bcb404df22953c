"""HTTP handlers of the Tempo v3 operations, one module per resource."""
