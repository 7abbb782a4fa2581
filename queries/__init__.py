"""Named SPARQL queries: `.rq` files with a header, loaded by name and run with bound parameters."""
