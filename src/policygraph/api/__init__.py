"""The HTTP edge: one router per resource (the only package that imports FastAPI)."""
