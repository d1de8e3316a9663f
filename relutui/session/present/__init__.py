"""One module per view builder. Each has ``build(...)`` and, when the session caches its view,
``cache_key(...)``: the inputs whose change invalidates the cached view."""
