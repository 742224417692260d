"""The HTTP routes: one router per resource, each a thin translation between HTTP and the packages below."""
