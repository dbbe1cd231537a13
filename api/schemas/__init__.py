"""Response and request schemas of the API (families XCreate / XUpdate / XPublic / XsPublic)."""
