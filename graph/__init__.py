"""Rules as data: rule files, their checking and RDF building, validation, and the stores."""
