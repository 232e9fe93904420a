"""The service layer: the one entry for adapters (CLI, HTTP API, FHIR, LangChain).

`service.facade.Carnet` wires the store, vectors, embedder, ingestor and searcher from one Settings object;
`service.access` and `service.auth` decide who may read what; `service.serialize` writes the wire format.
"""
