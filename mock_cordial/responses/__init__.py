"""The HTTP handlers of the two surfaces: read the request, call the models, shape the answer."""
